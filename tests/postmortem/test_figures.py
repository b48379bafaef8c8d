"""The post-mortem of a live-stream run driven through the whole runbook on the real
database, with late and early steps, read back through the API: every figure checked
exactly, the node states rebuilt from the events alone, and the figures found again in
the Markdown and the PDF (opened with pypdf)."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from engine.config import PROJECT_ROOT
from engine.model.postmortem import EventRecord, replay_node_states
from tests.postmortem.driven import RUN_NAME, TZ, DrivenRun, T, drive_live_stream

ZONE = ZoneInfo(TZ)


def at(minutes: float) -> str:
    """T(minutes) as the report writes it: ISO 8601 in the run's time zone."""
    return T(minutes).astimezone(ZONE).isoformat()


def events_of(run: DrivenRun) -> list[EventRecord]:
    """The run's log, read back through the API as a client would."""
    rows = run.crew.manager.client().get(run.crew.url(f"/runs/{run.run_id}/events")).json
    fields = ("id", "kind", "actor_id", "node_id", "task_id", "before", "after", "note")
    return [EventRecord(at=_time(e["at"]), **{name: e[name] for name in fields}) for e in rows]


def _time(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value)


def assert_replay_matches_the_table(run: DrivenRun) -> None:
    table = run.node_states()
    assert replay_node_states(events_of(run), table) == table


@pytest.fixture
def finished(database, crew) -> DrivenRun:
    return drive_live_stream(database, crew)


def test_node_states_rebuilt_from_the_events_equal_the_table_mid_show_and_at_the_end(
    database, crew
):
    seen = []

    def mid_show(run: DrivenRun) -> None:
        assert_replay_matches_the_table(run)
        table = run.node_states()
        assert (table["show"], table["flash"], table["recap"]) == ("active", "active", "pending")
        seen.append(True)

    run = drive_live_stream(database, crew, mid_show=mid_show)
    assert seen
    assert_replay_matches_the_table(run)
    assert set(run.node_states().values()) == {"done"}


def test_every_figure_of_the_post_mortem(finished):
    crew = finished.crew
    response = crew.manager.client().get(crew.url(f"/runs/{finished.run_id}/postmortem"))
    assert response.status_code == 200, response.json
    doc = response.json
    assert (doc["status"], doc["revision"], doc["live"], doc["run_status"]) == (
        "open",
        1,
        True,
        "completed",
    )
    r = doc["report"]
    host, assistant, operator = (finished.user(role) for role in ("host", "assistant", "operator"))
    controller, manager = finished.user("controller"), finished.user("manager")
    assert (r["go_live"], r["started_at"], r["ended_at"]) == (at(0), at(-220), at(206))
    assert r["on_time"] == {"judged": 8, "on_time": 3, "late": 5, "percent": 37.5}

    nodes = {n["node_id"]: n for n in r["nodes"]}
    lateness = {k: n["lateness_minutes"] for k, n in nodes.items() if n["judged"]}
    assert lateness == {
        "plan": 10,
        "poster": 25,
        "warmup": -10,
        "rehearse": 0,
        "go": 3,
        "show": -2,
        "flash": 5,
        "recap": 26,
    }
    show = nodes["show"]
    assert (show["planned_start"], show["planned_due"]) == (at(0), at(120))
    assert (show["ready_at"], show["started_at"], show["finished_at"]) == (at(3), at(3), at(118))
    assert (show["planned_minutes"], show["actual_minutes"], show["completed_by"]) == (
        120,
        115,
        host,
    )
    flash = nodes["flash"]  # reworked after a reopen: the first completion finished it
    assert (flash["finished_at"], flash["reopened"], flash["completed_by"]) == (at(35), 1, operator)
    poster = nodes["poster"]  # reassigned by the manager to the controller, who did it
    assert (poster["completed_by"], poster["actual_minutes"]) == (controller, 135)
    assert (nodes["end"]["lateness_minutes"], nodes["end"]["judged"]) == (26, False)

    roles = {row["key"]: row for row in r["by_role"]}
    assert list(roles) == ["assistant", "host", "manager", "operator"]
    assert {k: (v["judged"], v["on_time"], v["late"]) for k, v in roles.items()} == {
        "assistant": (3, 0, 3),
        "host": (2, 2, 0),
        "manager": (1, 0, 1),
        "operator": (2, 1, 1),
    }
    assert (
        roles["assistant"]["mean_late_minutes"],
        roles["assistant"]["total_late_minutes"],
    ) == (
        20.3,
        61,
    )
    assert (roles["assistant"]["worst_node_id"], roles["operator"]["on_time_percent"]) == (
        "recap",
        50,
    )
    people = {
        row["key"]: (row["judged"], row["on_time"], row["mean_late_minutes"], row["early"])
        for row in r["by_person"]
    }
    assert people == {
        host: (2, 2, None, 1),
        assistant: (2, 0, 18, 0),
        operator: (2, 1, 5, 1),
        controller: (1, 0, 25, 0),
        manager: (1, 0, 3, 0),
    }

    path = r["critical_path"]
    assert [s["node_id"] for s in path] == [
        "start",
        "plan",
        "poster",
        "rehearse",
        "go",
        "show",
        "recap",
        "end",
    ]
    assert [s["lost_minutes"] for s in path] == [0, 10, 15, -25, 3, -5, 28, 0]
    assert [s["buffer_left_minutes"] for s in path] == [220, 150, 15, 10, -3, -118, -206, -206]
    slack = r["go_live_slack"]
    assert (slack["milestone_id"], slack["lost_minutes"], slack["most_lost_node_id"]) == (
        "flash",
        3,
        "poster",
    )
    assert (slack["planned_margin_minutes"], slack["actual_margin_minutes"]) == (0, -3)

    metrics = [
        (
            m["node_id"],
            m["key"],
            m["actual"],
            m["target"],
            m["achievement_percent"],
            m["entered_by"],
        )
        for m in r["metrics"]
    ]
    assert metrics == [
        ("show", "viewers", 45000, 60000, 75.0, host),
        ("flash", "orders", 1234, 1000, 123.4, operator),
        ("recap", "gmv", 912345.67, 1000000, 91.2, assistant),
        ("recap", "roi", 3.2, None, None, assistant),
        ("recap", "repurchase", 12.5, 20, 62.5, assistant),
    ]
    problems = [
        (p["node_id"], p["reported_by"], p["reported_at"], p["blocking"], p["resolution"]["how"])
        for p in r["problems"]
    ]
    assert problems == [
        ("warmup", operator, at(-120), True, "resolved"),
        ("rehearse", host, at(-14), False, "completed"),
        ("flash", controller, at(10), False, "completed"),
    ]
    assert [p["resolution"]["minutes_open"] for p in r["problems"]] == [20, 4, 25]
    # the run's own log: run create/start/complete, nodes, tasks (no timer fired)
    assert r["event_count"] == 49


def test_a_report_of_a_problem_says_whether_it_blocked(finished):
    reports = [e for e in events_of(finished) if e.kind == "task.report_problem"]
    assert [(e.node_id, e.after["blocking"], e.after["blocked"]) for e in reports] == [
        ("warmup", True, True),
        ("rehearse", False, False),
        ("flash", False, False),
    ]


def test_the_markdown_holds_the_title_and_the_figures(finished):
    crew = finished.crew
    response = crew.staff["host"].client().get(crew.url(f"/runs/{finished.run_id}/postmortem.md"))
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    text = response.get_data(as_text=True)
    assert text.startswith(f"# 复盘 Post-mortem · {RUN_NAME}\n")
    assert "**37.5%** on time: 3 of 8 judged steps, 5 late." in text
    poster = (
        "| Poster | assistant | 06-18 17:20 | 06-18 19:20 | 06-18 19:45 | 2小时 | 2小时15分钟 |"
    )
    assert poster + " 晚 25 分钟 | ✗ |" in text
    role = (
        "| assistant | 3 | 0 | 0.0% | 3 | 20 分钟 | 0 | — | 1小时1分钟 | Data review (晚 26 分钟) |"
    )
    assert role in text
    assert "| GMV | Data review | 912,345.67 CNY | 1,000,000 | 91.2% |" in text
    assert "Coupon template rejected by the platform" in text


def test_the_pdf_holds_the_title_the_figures_and_the_gantt_chart(finished):
    crew = finished.crew
    response = crew.manager.client().get(crew.url(f"/runs/{finished.run_id}/postmortem.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    kept = PROJECT_ROOT / "artifacts" / "postmortem.pdf"  # for people to look at
    kept.parent.mkdir(exist_ok=True)
    kept.write_bytes(response.data)
    pdf = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert pdf.metadata.title == f"复盘 Post-mortem · {RUN_NAME}"
    assert f"复盘 Post-mortem · {RUN_NAME}" in text
    for figure in (
        "37.5%",
        "晚 25 分钟",
        "晚 26 分钟",
        "早 10 分钟",
        "912,345.67",
        "123.4%",
        "1,234",
    ):
        assert figure in text, figure
    assert "甘特图 Gantt" in text and "T0 开播" in text  # the chart, its text kept as text
    assert "计划 planned" in text and "延误 late" in text  # its legend
