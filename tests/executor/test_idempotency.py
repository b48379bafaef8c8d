"""A phone that lost the answer to its action sends it again with the same Idempotency-Key
and gets the first answer: the task is completed once, the cue skipped once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.executor.conftest import graph_of, task_node

SCRIPT = graph_of([task_node("script", "host")], [("start", "script"), ("script", "end")])


def _completions(crew, run_id: int) -> int:
    events = crew.api.get(crew.url(f"/runs/{run_id}/events")).json
    return sum(e["kind"] == "task.complete" for e in events)


def test_a_retried_completion_gets_the_first_answer_and_completes_once(crew, workers):
    run = crew.start_run(SCRIPT)
    workers.burst()
    [script] = crew.tasks_of("host")
    host = crew.staff["host"].client()
    url = crew.url(f"/tasks/{script['id']}/complete")
    key = {"Idempotency-Key": "7f0c1c1e-host-complete"}

    # Ticking nothing fails; the key is free again for the corrected request.
    incomplete = host.post(url, json={"checklist": {}}, headers=key)
    assert (incomplete.status_code, incomplete.json["code"]) == (422, "task.incomplete")
    first = host.post(url, json={"checklist": {"done": True}}, headers=key)
    assert first.status_code == 200, first.json
    again = host.post(url, json={"checklist": {"done": True}}, headers=key)
    assert again.status_code == 200
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _completions(crew, run["id"]) == 1

    other_request = host.post(url, json={"checklist": {"done": True}, "note": "x"}, headers=key)
    assert (other_request.status_code, other_request.json["code"]) == (
        422,
        "request.idempotency_key_reused",
    )
    without_key = host.post(url, json={"checklist": {"done": True}})
    assert (without_key.status_code, without_key.json["code"]) == (409, "task.invalid_transition")
    # Keys are each person's own: the same key from someone else is a new action.
    manager = crew.manager.client()
    assert (
        manager.post(
            crew.url(f"/tasks/{script['id']}/note"), json={"note": "好"}, headers=key
        ).status_code
        == 200
    )


def test_a_retried_cue_skip_skips_once(crew, workers):
    cues = graph_of(
        [
            {
                "id": "coupons",
                "kind": "recurring",
                "phase": "execution",
                "title": "推券",
                "role": "operator",
                "offset_minutes": 0,
                "settings": {"every_minutes": 20, "count": 2, "cue": "推券"},
            }
        ],
        [("start", "coupons"), ("coupons", "end")],
    )
    run = crew.start_run(cues, go_live=datetime.now(UTC) + timedelta(hours=2))
    workers.burst()
    [first_cue, _] = crew.api.get(crew.url(f"/runs/{run['id']}/cues")).json
    operator = crew.staff["operator"].client()
    url = crew.url(f"/runs/{run['id']}/cues/{first_cue['id']}/skip")
    key = {"Idempotency-Key": "cue-skip-1"}
    answers = [operator.post(url, json={"reason": "库存不足"}, headers=key) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json == answers[1].json
    events = crew.api.get(crew.url(f"/runs/{run['id']}/events")).json
    assert sum(e["kind"] == "cue.skip" for e in events) == 1
