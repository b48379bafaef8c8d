"""Across the runs of one runbook: which steps are late most often, how long they really
take, the durations that suggests, and applying them to the draft in one audited edit."""

from __future__ import annotations

import pytest

from tests.postmortem.driven import DrivenRun, drive_live_stream


@pytest.fixture
def two_runs(database, crew) -> tuple[DrivenRun, DrivenRun]:
    first = drive_live_stream(database, crew)
    # the same story again, but the data review takes 20 minutes longer
    second = drive_live_stream(database, crew, runbook_id=first.runbook_id, slower=20)
    signed = crew.manager.client().post(
        crew.url(f"/runs/{first.run_id}/postmortem/sign-off"), json={}
    )
    assert signed.status_code == 200  # the first counts as signed, the second as it stands
    return first, second


def test_history_lists_the_late_steps_and_suggests_durations(two_runs):
    first, second = two_runs
    crew = first.crew
    response = crew.staff["host"].client().get(crew.url(f"/runbooks/{first.runbook_id}/history"))
    assert response.status_code == 200, response.json
    history = response.json
    assert history["runs"] == 2
    assert [r["id"] for r in history["run_list"]] == [first.run_id, second.run_id]
    nodes = {n["node_id"]: n for n in history["nodes"]}
    recap = nodes["recap"]  # +26 and +46; 76 and 96 minutes against 60 planned
    assert (recap["runs_seen"], recap["late_count"], recap["late_percent"]) == (2, 2, 100)
    assert (recap["mean_late_minutes"], recap["worst_lateness_minutes"]) == (36, 46)
    assert recap["mean_early_minutes"] is None
    warmup = nodes["warmup"]  # -10 twice: early, never late
    assert (warmup["mean_late_minutes"], warmup["mean_early_minutes"]) == (None, 10)
    assert (recap["median_actual_minutes"], recap["planned_minutes"]) == (86, 60)
    assert history["nodes"][0]["node_id"] == "recap"  # late every time, and the latest
    on_time = [n["node_id"] for n in history["nodes"] if n["late_count"] == 0]
    assert on_time == ["rehearse", "show", "warmup"]  # 0, -2, -10: the later first
    suggested = {s["node_id"]: s["suggested_minutes"] for s in history["suggestions"]}
    assert suggested == {"poster": 135, "warmup": 60, "rehearse": 5, "go": 15, "recap": 90}
    assert [s["node_id"] for s in history["suggestions"]] == list(suggested)  # runbook order
    assert response.headers["ETag"] == f'"{history["draft_revision"]}"'


def test_suggestions_are_applied_to_the_draft_in_one_audited_edit(two_runs):
    first, _ = two_runs
    crew = first.crew
    url = crew.url(f"/runbooks/{first.runbook_id}/history/apply")
    revision = crew.api.get(crew.url(f"/runbooks/{first.runbook_id}/history")).json[
        "draft_revision"
    ]
    match = {"If-Match": f'"{revision}"'}
    assert crew.manager.client().post(url, json={}, headers=match).status_code == 403
    assert crew.api.post(url, json={}).status_code == 428
    assert crew.api.post(url, json={}, headers={"If-Match": '"999"'}).status_code == 412

    only = crew.api.post(url, json={"node_ids": ["recap"]}, headers=match)
    assert only.status_code == 200, only.json
    assert [s["node_id"] for s in only.json["applied"]] == ["recap"]
    everything = crew.api.post(url, headers={"If-Match": f'"{revision + 1}"'})
    assert everything.status_code == 200, everything.json
    assert everything.json["revision"] == revision + 2
    assert [s["node_id"] for s in everything.json["applied"]] == [
        "poster",
        "warmup",
        "rehearse",
        "go",
    ]
    graph = crew.api.get(crew.url(f"/runbooks/{first.runbook_id}/draft")).json["graph"]
    durations = {n["id"]: n.get("duration_minutes") for n in graph["nodes"]}
    assert (durations["poster"], durations["recap"], durations["go"], durations["plan"]) == (
        135,
        90,
        15,
        60,
    )

    nothing = crew.api.post(url, headers={"If-Match": f'"{revision + 2}"'})
    assert (nothing.status_code, nothing.json["code"]) == (409, "history.nothing_to_apply")
    events = (
        crew.manager.client()
        .get(
            crew.url("/events"),
            query_string={"runbook_id": first.runbook_id, "kind": "runbook.draft_edit"},
        )
        .json["events"]
    )
    assert [
        (e["after"]["edit"], e["after"]["node_ids"], e["after"]["revision"]) for e in events
    ] == [
        ("apply_suggestions", ["poster", "warmup", "rehearse", "go"], revision + 2),
        ("apply_suggestions", ["recap"], revision + 1),
    ]
