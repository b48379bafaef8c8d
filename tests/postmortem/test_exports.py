"""The exports' own rules: CSV cells a spreadsheet would run as formulas are defused,
Markdown table cells stay in their cell, a big run's Gantt chart shows its critical path,
and a run with nothing done yet still exports."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from bench.postmortem import finished_run
from engine.exports.csv import cell, csv_chunks
from engine.exports.document import ReportDocument
from engine.exports.gantt import MAX_ROWS, chart_rows, gantt_svg
from engine.exports.markdown import postmortem_markdown
from engine.exports.pdf import CHART_LABELS
from engine.exports.render import md
from engine.model.postmortem import analyse
from tests.executor.conftest import graph_of, task_node


def test_csv_cells_that_would_run_as_formulas_are_defused():
    assert [cell(v) for v in ("=HYPERLINK(1)", "+1", "-x", "@sum", "ok", "直播")] == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-x",
        "'@sum",
        "ok",
        "直播",
    ]
    assert [cell(v) for v in (-10.5, 3, None, True, {"a": "预约"})] == [
        -10.5,
        3,
        "",
        "true",
        '{"a": "预约"}',
    ]
    chunks = list(csv_chunks(("a", "b"), ({"a": i, "b": "x"} for i in range(1200)), batch=500))
    assert len(chunks) == 4  # header, then 500, 500 and 200 rows
    assert chunks[0] == "\ufeffa,b\r\n" and chunks[1].startswith("0,x\r\n")


def test_markdown_cells_keep_pipes_and_line_breaks_inside():
    assert md("a | b\nc") == "a \\| b c"


def test_a_big_run_charts_its_critical_path_first():
    report = analyse(finished_run(90)).as_dict()
    rows, total = chart_rows(report)
    assert (len(rows), total) == (MAX_ROWS, 90)
    shown = {n["node_id"] for n in rows}
    critical = {s["node_id"] for s in report["critical_path"]} - {"start", "end"}
    assert len(critical) < MAX_ROWS and critical <= shown
    others = [n for n in report["nodes"] if n["node_id"] not in critical | {"start", "end"}]
    latest = sorted(others, key=lambda n: -(n["lateness_minutes"] or 0))[: MAX_ROWS - len(critical)]
    assert {n["node_id"] for n in latest} == shown - critical
    ids = [n["node_id"] for n in rows]
    assert ids == [n["node_id"] for n in report["nodes"] if n["node_id"] in shown]  # in order
    svg = gantt_svg(report, CHART_LABELS)
    assert svg.startswith("<svg") and "T0 开播" in svg


def test_a_run_with_nothing_done_yet_still_exports(crew):
    graph = graph_of([task_node("brief", "host")], [("start", "brief"), ("brief", "end")])
    go_live = datetime.now(UTC) + timedelta(days=1)
    runbook_id = crew.publish(graph)
    body = {"runbook_id": runbook_id, "go_live": go_live.isoformat(), "roster": {"host": []}}
    body["roster"] = {"host": [crew.staff["host"].user_id]}
    run = crew.api.post(crew.url("/runs"), json=body).json
    base = crew.url(f"/runs/{run['id']}/postmortem")
    text = crew.api.get(base + ".md").get_data(as_text=True)
    assert "**—** on time: 0 of 0 judged steps" in text
    pdf = crew.api.get(base + ".pdf")
    assert pdf.status_code == 200
    assert "复盘 Post-mortem" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_the_document_names_people_by_id():
    doc = ReportDocument(
        run_id=1,
        run_name="r",
        runbook_name="b",
        version=1,
        run_status="completed",
        status="open",
        revision=1,
        live=True,
        summary="",
        signed_at=None,
        signed_by=None,
        generated_at="2026-06-18T20:00:00+08:00",
        report=analyse(finished_run(30)).as_dict(),
        actions=[],
    )
    assert doc.name_of(1) == "Host" and doc.name_of(99) == "#99" and doc.name_of(None) == ""
    assert "| Host | " in postmortem_markdown(doc)


def test_the_markdown_never_carries_html_or_links_from_what_people_typed(crew):
    graph = graph_of([task_node("brief", "host")], [("start", "brief"), ("brief", "end")])
    runbook_id = crew.publish(graph)
    body = {
        "runbook_id": runbook_id,
        "name": "<script>alert(1)</script> 直播",
        "go_live": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        "roster": {"host": [crew.staff["host"].user_id]},
    }
    run = crew.api.post(crew.url("/runs"), json=body).json
    base = crew.url(f"/runs/{run['id']}/postmortem")
    summary = '<img src=x onerror=alert(1)> [领奖](javascript:alert(1)) <link rel="x">'
    assert crew.manager.client().patch(base, json={"summary": summary}).status_code == 200
    answer = crew.api.get(base + ".md")
    text = answer.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 直播" in text
    assert "&lt;img src=x onerror=alert(1)&gt; \\[领奖\\](javascript:alert(1)) &lt;link" in text
    for raw in ("<script", "<img", "<link", "[领奖]("):
        assert raw not in text, raw
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
