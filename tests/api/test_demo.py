"""The demo a newcomer meets after `make run`: each demo person logs in to their part of
the day (the host's rehearsal open before tonight's stream, the manager's plan approval for
the weekend), and three finished streams with signed post-mortems feed the history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.demo import DEMO_PASSWORD, DEMO_WORKSPACE
from engine.demo_runs import DEMO_RUNS
from engine.store.accounts import Workspace
from engine.store.runs import Event, Run


@pytest.fixture
def demo(app, database):
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["cueflow", "demo"])
    assert loaded.exit_code == 0, loaded.output
    with database.session() as session:
        return session.scalar(select(Workspace.id).where(Workspace.name == DEMO_WORKSPACE))


def _login(app, email: str):
    client = app.test_client()
    answer = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.json
    client.environ_base["HTTP_X_CSRF_TOKEN"] = answer.json["csrf_token"]
    return client


def _runs(client, ws: int) -> dict[str, dict]:
    listed = client.get(f"/api/workspaces/{ws}/runs")
    assert listed.status_code == 200, listed.json
    return {run["name"]: run for run in listed.json}


def test_the_host_finds_the_rehearsal_open_before_tonights_stream(app, demo):
    host = _login(app, "host@cueflow.demo")
    tonight = _runs(host, demo)["示范 · 今晚直播"]
    assert tonight["status"] == "running"
    go_live = datetime.fromisoformat(tonight["go_live"])
    assert timedelta(minutes=55) <= go_live - datetime.now(UTC) <= timedelta(minutes=66)
    [rehearsal] = host.get(f"/api/workspaces/{demo}/tasks?mine=true").json
    assert (rehearsal["title"], rehearsal["run_name"]) == ("主播熟悉脚本与彩排", tonight["name"])
    assert datetime.fromisoformat(rehearsal["due_at"]) > datetime.now(UTC)


def test_the_manager_finds_the_weekend_plan_waiting_for_approval(app, demo):
    manager = _login(app, "manager@cueflow.demo")
    runs = _runs(manager, demo)
    weekend = runs["示范 · 周末大促直播"]
    assert weekend["status"] == "running"
    mine = manager.get(f"/api/workspaces/{demo}/tasks?mine=true").json
    assert [(t["title"], t["run_name"]) for t in mine] == [("直播方案审批", weekend["name"])]
    approved = manager.post(
        f"/api/workspaces/{demo}/tasks/{mine[0]['id']}/complete",
        json={"approved": True, "note": "选品没问题"},
    )
    assert approved.status_code == 200, approved.json


def test_finished_streams_have_signed_post_mortems_and_a_history(app, demo):
    manager = _login(app, "manager@cueflow.demo")
    runs = _runs(manager, demo)
    finished = [r for r in runs.values() if r["status"] == "completed"]
    assert len(finished) == 3
    for run in finished:
        report = manager.get(f"/api/workspaces/{demo}/runs/{run['id']}/postmortem").json
        assert report["status"] == "signed_off", run["name"]
        assert report["report"]["on_time"]["judged"] > 20
        problems = [p["text"] for p in report["report"]["problems"]]
        assert "补光灯坏了一盏，临时借用隔壁直播间的" in problems
    runbook_id = finished[0]["runbook_id"]
    history = manager.get(f"/api/workspaces/{demo}/runbooks/{runbook_id}/history").json
    assert history["runs"] == 3
    late = {n["node_id"] for n in history["nodes"] if n["late_count"] == 3}
    assert {"scene_setup", "warmup_poster", "sales_data"} <= late
    assert {s["node_id"] for s in history["suggestions"]} >= {"warmup_poster", "sales_data"}


def test_loading_the_demo_again_duplicates_nothing(app, database, demo):
    with database.session() as session:
        before = session.scalar(select(func.count(Event.id)))
    again = app.test_cli_runner().invoke(args=["cueflow", "demo"])
    assert again.exit_code == 0, again.output
    with database.session() as session:
        names = session.scalars(select(Run.name).where(Run.workspace_id == demo)).all()
        after = session.scalar(select(func.count(Event.id)))
    assert sorted(names) == sorted(d.name for d in DEMO_RUNS)
    assert after == before
