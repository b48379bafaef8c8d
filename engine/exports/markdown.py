"""The post-mortem as Markdown (templates/postmortem.md.j2): one document to paste into a
chat group or a wiki, bilingual headings, every table of the report."""

from __future__ import annotations

from engine.exports.document import ReportDocument
from engine.exports.render import environment


def postmortem_markdown(doc: ReportDocument) -> str:
    titles = {n["node_id"]: n["title"] for n in doc.report["nodes"]}
    template = environment(False).get_template("postmortem.md.j2")
    return template.render(doc=doc, r=doc.report, titles=titles)
