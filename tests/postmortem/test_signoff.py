"""A manager signs the post-mortem off: its figures, summary and actions are kept as that
revision and locked; a change is refused with `postmortem.locked` until an explicit,
audited reopen starts the next revision."""

from __future__ import annotations

import pytest

from engine.model.run_states import TaskAction
from tests.postmortem.driven import DrivenRun, T, drive_live_stream, start_live_stream


@pytest.fixture
def finished(database, crew) -> DrivenRun:
    return drive_live_stream(database, crew)


def _url(run: DrivenRun, rest: str = "") -> str:
    return run.crew.url(f"/runs/{run.run_id}/postmortem{rest}")


def test_sign_off_locks_the_report_and_a_reopen_starts_the_next_revision(finished):
    manager = finished.crew.manager.client()
    owner = finished.user("assistant")
    summary = {"summary": "海报延误 25 分钟：提前一天开始。"}
    assert manager.patch(_url(finished), json=summary).status_code == 200
    action = {"title": "海报提前一天", "owner_id": owner, "kind": "next_run_task"}
    assert manager.post(_url(finished, "/actions"), json=action).status_code == 201

    signed = manager.post(_url(finished, "/sign-off"), json={})
    assert signed.status_code == 200, signed.json
    doc = signed.json
    assert (doc["status"], doc["revision"], doc["live"]) == ("signed_off", 1, False)
    assert doc["signed_off"]["signed_by"]["id"] == finished.user("manager")
    assert doc["summary"] == summary["summary"]
    assert doc["report"]["on_time"]["percent"] == 37.5

    # locked: every change of the report is refused, clearly
    for response in (
        manager.patch(_url(finished), json={"summary": "changed"}),
        manager.post(_url(finished, "/actions"), json=action),
        manager.post(_url(finished, "/sign-off"), json={}),
    ):
        assert response.status_code == 409, response.json
        assert response.json["code"] == "postmortem.locked"
        assert "reopen" in response.json["detail"]
    [kept] = doc["actions"]
    url = finished.crew.url(f"/improvement-actions/{kept['id']}")
    assert manager.patch(url, json={"title": "x"}).json["code"] == "postmortem.locked"
    assert manager.delete(url).json["code"] == "postmortem.locked"

    # a reopen needs a reason, and starts revision 2; revision 1 stays as signed
    assert manager.post(_url(finished, "/reopen"), json={}).status_code == 422
    reopened = manager.post(_url(finished, "/reopen"), json={"reason": "GMV was corrected"})
    assert reopened.status_code == 200
    assert (reopened.json["status"], reopened.json["revision"]) == ("open", 2)
    assert reopened.json["live"] is True
    assert manager.patch(_url(finished), json={"summary": "GMV corrected"}).status_code == 200
    again = manager.post(_url(finished, "/sign-off"), json={}).json
    assert (again["revision"], again["summary"]) == (2, "GMV corrected")
    assert [s["revision"] for s in again["sign_offs"]] == [1, 2]
    first = manager.get(_url(finished, "/revisions/1")).json
    assert first["summary"] == summary["summary"]
    assert [a["title"] for a in first["actions"]] == ["海报提前一天"]
    assert first["report"]["on_time"]["judged"] == 8
    assert manager.get(_url(finished, "/revisions/3")).status_code == 404

    # both are in the audit trail, with the reason; neither is part of the run's figures
    events = manager.get(
        finished.crew.url("/events"),
        query_string={
            "run_id": finished.run_id,
            "kind": ["postmortem.sign_off", "postmortem.reopen"],
        },
    ).json["events"]
    assert [(e["kind"], e["before"]["revision"], e["after"]["revision"]) for e in events] == [
        ("postmortem.sign_off", 2, 2),
        ("postmortem.reopen", 1, 2),
        ("postmortem.sign_off", 1, 1),
    ]
    assert events[1]["note"] == "GMV was corrected"
    assert events[2]["after"]["on_time_percent"] == 37.5
    assert again["report"]["event_count"] == 49


def test_only_managers_sign_off_and_only_an_ended_run(database, crew):
    run = start_live_stream(database, crew)
    run.claim("plan", "assistant", T(-215))
    manager = crew.manager.client()
    early = manager.post(_url(run, "/sign-off"), json={})
    assert early.status_code == 409
    assert early.json["code"] == "postmortem.run_not_finished"
    # a live run's post-mortem is readable, from its events so far
    live = crew.staff["host"].client().get(_url(run)).json
    assert (live["run_status"], live["live"], live["report"]["on_time"]["judged"]) == (
        "running",
        True,
        0,
    )
    nodes = {n["node_id"]: n["state"] for n in live["report"]["nodes"]}
    assert (nodes["start"], nodes["plan"], nodes["poster"]) == ("done", "active", "pending")
    for person in (crew.planner, crew.staff["host"]):
        refused = person.client().post(_url(run, "/sign-off"), json={})
        assert refused.status_code == 403
    assert manager.post(_url(run, "/reopen"), json={"reason": "x"}).json["code"] == (
        "postmortem.invalid_transition"
    )


def test_a_cancelled_run_can_be_signed_off(database, crew):
    run = start_live_stream(database, crew)
    run.complete("plan", "assistant", T(-160))
    run.act("warmup", TaskAction.REPORT_PROBLEM, "operator", T(-130), note="Platform down")
    manager = crew.manager.client()
    assert manager.post(crew.url(f"/runs/{run.run_id}/cancel")).status_code == 200
    signed = manager.post(_url(run, "/sign-off"), json={"summary": "平台故障，活动取消"})
    assert signed.status_code == 200
    report = signed.json["report"]
    assert (report["status"], report["on_time"]["judged"]) == ("cancelled", 1)
    assert report["problems"][0]["resolution"] is None


def test_outside_the_workspace_the_post_mortem_is_not_found(finished, factory):
    stranger = factory.person(factory.workspace(), "manager").client()
    for rest in ("", ".md", ".pdf", "/revisions/1"):
        assert stranger.get(_url(finished, rest)).status_code == 404
    assert stranger.post(_url(finished, "/sign-off"), json={}).status_code == 404
    assert stranger.get(finished.crew.url(f"/runs/{finished.run_id}/tasks.csv")).status_code == 404
