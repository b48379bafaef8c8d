"""The post-mortem as PDF: templates/postmortem.html.j2 with the Gantt chart inline,
laid out by WeasyPrint (HTML and CSS to PDF, with Pango: Chinese is set in Noto Sans
CJK when fonts-noto-cjk is installed, which `make run` and `make test` see to).

WeasyPrint is imported on first use (it loads Pango through cffi).
"""

from __future__ import annotations

from engine.exports.document import ReportDocument
from engine.exports.gantt import chart_rows, gantt_svg
from engine.exports.render import environment

CHART_LABELS = {
    "planned": "计划 planned",
    "on_time": "准时 on time",
    "late": "延误 late",
    "other": "其他 other",
    "go_live": "T0 开播",
}


def postmortem_html(doc: ReportDocument) -> str:
    shown, total = chart_rows(doc.report)
    template = environment(True).get_template("postmortem.html.j2")
    return template.render(
        doc=doc,
        r=doc.report,
        titles={n["node_id"]: n["title"] for n in doc.report["nodes"]},
        chart=gantt_svg(doc.report, CHART_LABELS),
        shown=len(shown),
        total=total,
    )


def postmortem_pdf(doc: ReportDocument) -> bytes:
    from weasyprint import HTML

    html = HTML(string=postmortem_html(doc))
    return html.write_pdf() or b""  # the <title> is the PDF's title
