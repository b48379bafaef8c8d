"""Improvement actions: a manager adds them with an owner; a next-run task goes into the
runbook's next run when it starts, a draft edit is applied to the draft as one normal,
audited draft edit; following them through goes on after the sign-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.postmortem.driven import DrivenRun, drive_live_stream


@pytest.fixture
def finished(database, crew) -> DrivenRun:
    return drive_live_stream(database, crew)


def _add(run: DrivenRun, **action) -> dict:
    url = run.crew.url(f"/runs/{run.run_id}/postmortem/actions")
    response = run.crew.manager.client().post(url, json=action)
    assert response.status_code == 201, response.json
    return response.json


def _start_next_run(run: DrivenRun, go_live: datetime) -> dict:
    crew = run.crew
    roster = {role: [p.user_id] for role, p in crew.staff.items()}
    roster["manager"] = [crew.manager.user_id]
    body = {
        "runbook_id": run.runbook_id,
        "go_live": go_live.isoformat(),
        "roster": roster,
        "start": True,
    }
    response = crew.api.post(crew.url("/runs"), json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_a_next_run_task_goes_to_its_owner_in_the_next_run(finished):
    crew, owner = finished.crew, finished.crew.staff["assistant"]
    lesson = _add(
        finished,
        title="海报提前一天完成",
        detail="Poster was 25 minutes late; start it a day earlier.",
        owner_id=owner.user_id,
        kind="next_run_task",
        node_id="poster",
    )
    assert (lesson["status"], lesson["carried_run_id"], lesson["due"]) == ("open", None, None)
    signed = crew.manager.client().post(
        crew.url(f"/runs/{finished.run_id}/postmortem/sign-off"), json={}
    )
    assert signed.status_code == 200

    go_live = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    next_run = _start_next_run(finished, go_live)
    mine = owner.client().get(crew.url("/improvement-actions"), query_string={"mine": "true"})
    [carried] = mine.json
    assert carried["id"] == lesson["id"]
    assert carried["carried_run_id"] == next_run["id"]
    assert carried["due"] == go_live.isoformat()  # no due of its own: the next go-live
    assert carried["run_id"] == finished.run_id  # where it was learned
    in_next = crew.api.get(
        crew.url("/improvement-actions"), query_string={"carried_run_id": next_run["id"]}
    )
    assert [a["id"] for a in in_next.json] == [lesson["id"]]
    # carried once: the run after that does not take it again
    _start_next_run(finished, go_live + timedelta(days=7))
    again = crew.api.get(crew.url(f"/improvement-actions/{lesson['id']}")).json
    assert again["carried_run_id"] == next_run["id"]

    # following it through after the sign-off: the owner marks it done, others may not
    url = crew.url(f"/improvement-actions/{lesson['id']}")
    assert crew.staff["host"].client().post(f"{url}/complete", json={}).status_code == 403
    assert owner.client().post(f"{url}/drop", json={}).status_code == 403  # managers drop
    done = owner.client().post(f"{url}/complete", json={"note": "Started on Monday"})
    assert done.status_code == 200
    assert (done.json["status"], done.json["close_note"]) == ("done", "Started on Monday")
    twice = owner.client().post(f"{url}/complete", json={})
    assert (twice.status_code, twice.json["code"]) == (409, "postmortem.action_invalid_transition")
    reopened = owner.client().post(f"{url}/reopen", json={}).json
    assert (reopened["status"], reopened["closed_at"]) == ("open", None)
    # the report still shows the action as agreed at the sign-off
    revision = crew.api.get(crew.url(f"/runs/{finished.run_id}/postmortem/revisions/1")).json
    assert [(a["title"], a["status"]) for a in revision["actions"]] == [
        ("海报提前一天完成", "open")
    ]


def test_a_draft_edit_is_applied_to_the_draft_as_one_audited_edit(finished, database):
    crew = finished.crew
    changes = [
        {"op": "update_node", "node_id": "poster", "changes": {"duration_minutes": 150}},
        {
            "op": "add_node",
            "node": {
                "id": "poster_check",
                "kind": "task",
                "phase": "pre_event",
                "title": "海报审核 Poster check",
                "role": "assistant",
                "duration_minutes": 15,
            },
        },
        {"op": "add_edge", "edge": {"source": "poster", "target": "poster_check"}},
        {"op": "add_edge", "edge": {"source": "poster_check", "target": "rehearse"}},
    ]
    lesson = _add(
        finished,
        title="给海报留足时间并加审核",
        owner_id=crew.planner.user_id,
        kind="draft_edit",
        changes=changes,
    )
    url = crew.url(f"/improvement-actions/{lesson['id']}/apply")
    draft = crew.api.get(crew.url(f"/runbooks/{finished.runbook_id}/draft")).json
    revision = draft["revision"]

    assert crew.manager.client().post(url, headers={"If-Match": f'"{revision}"'}).status_code == 403
    assert crew.api.post(url).status_code == 428
    stale = crew.api.post(url, headers={"If-Match": f'"{revision - 1}"'})
    assert stale.status_code == 412
    assert stale.json["current_revision"] == revision
    applied = crew.api.post(url, headers={"If-Match": f'"{revision}"'})
    assert applied.status_code == 200, applied.json
    assert applied.json["revision"] == revision + 1
    assert applied.headers["ETag"] == f'"{revision + 1}"'
    assert applied.json["counts"]["errors"] == 0
    assert (applied.json["action"]["status"], applied.json["action"]["applied_revision"]) == (
        "done",
        revision + 1,
    )
    graph = crew.api.get(crew.url(f"/runbooks/{finished.runbook_id}/draft")).json["graph"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["poster"]["duration_minutes"] == 150
    assert nodes["poster_check"]["title"] == "海报审核 Poster check"
    assert {(e["source"], e["target"]) for e in graph["edges"]} >= {
        ("poster", "poster_check"),
        ("poster_check", "rehearse"),
    }
    again = crew.api.post(url, headers={"If-Match": f'"{revision + 1}"'})
    assert (again.status_code, again.json["code"]) == (409, "postmortem.action_invalid_transition")

    [event] = (
        crew.manager.client()
        .get(
            crew.url("/events"),
            query_string={"runbook_id": finished.runbook_id, "kind": "runbook.draft_edit"},
        )
        .json["events"]
    )
    assert event["actor_id"] == crew.planner.user_id
    assert event["before"] == {"revision": revision}
    assert event["after"]["edit"] == "improvement_action"
    assert event["after"]["improvement_action_id"] == lesson["id"]
    assert (event["after"]["revision"], event["after"]["from_run_id"]) == (
        revision + 1,
        finished.run_id,
    )


def test_a_change_that_no_longer_fits_the_draft_is_refused_and_the_action_stays_open(finished):
    crew = finished.crew
    lesson = _add(
        finished,
        title="删掉预热",
        owner_id=crew.planner.user_id,
        kind="draft_edit",
        changes=[{"op": "update_node", "node_id": "gone", "changes": {"title": "x"}}],
    )
    revision = crew.api.get(crew.url(f"/runbooks/{finished.runbook_id}/draft")).json["revision"]
    url = crew.url(f"/improvement-actions/{lesson['id']}/apply")
    refused = crew.api.post(url, headers={"If-Match": f'"{revision}"'})
    assert refused.status_code == 404
    assert "gone" in refused.json["detail"]
    assert crew.api.get(crew.url(f"/improvement-actions/{lesson['id']}")).json["status"] == "open"
    draft = crew.api.get(crew.url(f"/runbooks/{finished.runbook_id}/draft")).json
    assert draft["revision"] == revision


def test_actions_are_checked_when_added_and_changed(finished, factory):
    crew = finished.crew
    url = crew.url(f"/runs/{finished.run_id}/postmortem/actions")
    manager = crew.manager.client()
    owner = crew.staff["host"].user_id
    no_changes = manager.post(url, json={"title": "t", "owner_id": owner, "kind": "draft_edit"})
    assert (no_changes.status_code, no_changes.json["errors"][0]["field"]) == (422, "changes")
    stray = {"op": "delete_node", "node_id": "plan"}
    follow_up = manager.post(url, json={"title": "t", "owner_id": owner, "changes": [stray]})
    assert follow_up.status_code == 422
    half = manager.post(
        url,
        json={
            "title": "t",
            "owner_id": owner,
            "kind": "draft_edit",
            "changes": [{"op": "add_edge"}],
        },
    )
    assert half.json["errors"][0]["field"] == "changes.0.edge"
    # PostgreSQL cannot store a NUL character: refused as a field error, not a 500
    assert manager.post(url, json={"title": "a\u0000b", "owner_id": owner}).status_code == 422
    nul = {"op": "update_node", "node_id": "plan", "changes": {"title": "x\u0000"}}
    nested = manager.post(
        url, json={"title": "t", "owner_id": owner, "kind": "draft_edit", "changes": [nul]}
    )
    assert (nested.status_code, nested.json["errors"][0]["field"]) == (
        422,
        "changes.0.changes.title",  # the very string that holds it
    )
    outsider = factory.person(factory.workspace()).user_id
    assert manager.post(url, json={"title": "t", "owner_id": outsider}).status_code == 422
    assert (
        crew.staff["host"].client().post(url, json={"title": "t", "owner_id": owner}).status_code
        == 403
    )

    action = manager.post(url, json={"title": "Follow up", "owner_id": owner}).json
    item = crew.url(f"/improvement-actions/{action['id']}")
    changed = manager.patch(item, json={"title": "Follow up with the platform", "due_at": None})
    assert changed.json["title"] == "Follow up with the platform"
    assert manager.delete(item).status_code == 204
    assert manager.get(item).status_code == 404


def test_every_change_of_an_action_is_in_the_audit_trail(finished):
    crew = finished.crew
    manager, owner = crew.manager.client(), crew.staff["host"]
    action = _add(finished, title="提前彩排", owner_id=owner.user_id, kind="follow_up")
    base = crew.url(f"/improvement-actions/{action['id']}")
    assert manager.patch(base, json={"title": "提前一天彩排"}).status_code == 200
    done = owner.client().post(f"{base}/complete", json={"note": "已安排"})
    assert done.status_code == 200, done.json
    events = manager.get(
        crew.url("/events"), query_string={"run_id": finished.run_id, "kind": "postmortem.*"}
    ).json["events"]
    trail = [(e["kind"], e["actor_id"]) for e in reversed(events)]
    assert trail == [
        ("postmortem.action_add", crew.manager.user_id),
        ("postmortem.action_change", crew.manager.user_id),
        ("postmortem.action_complete", owner.user_id),
    ]
    assert events[0]["before"]["status"] == "open" and events[0]["after"]["status"] == "done"
    assert events[0]["note"] == "已安排"


def test_renaming_and_tagging_a_runbook_is_audited(finished):
    crew = finished.crew
    url = crew.url(f"/runbooks/{finished.runbook_id}")
    crew.api.patch(url, json={"name": "周五直播", "tags": ["直播"]})
    crew.api.patch(url, json={"name": "周五直播"})  # no change: no event
    events = (
        crew.manager.client()
        .get(
            crew.url("/events"),
            query_string={"runbook_id": finished.runbook_id, "kind": "runbook.update"},
        )
        .json["events"]
    )
    assert len(events) == 1
    assert events[0]["after"] == {"name": "周五直播", "tags": ["直播"]}
