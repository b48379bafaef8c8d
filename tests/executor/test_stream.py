"""The live stream: a page following a run hears of a change made on another device,
resumes after a reconnect without missing anything, and sees only its own workspace."""

from __future__ import annotations

import json

from engine.model.access import WorkspaceRole
from tests.executor.conftest import graph_of, task_node

GRAPH = graph_of(
    [task_node("a", "host"), task_node("b", "assistant")],
    [("start", "a"), ("a", "b"), ("b", "end")],
)


def _messages(response) -> list[dict]:
    body = response.get_data(as_text=True)
    blocks = [b for b in body.split("\n\n") if b.startswith("id: ")]
    return [json.loads(b.split("data: ", 1)[1]) for b in blocks]


def test_a_page_hears_of_changes_and_resumes_after_a_reconnect(crew, workers):
    run = crew.start_run(GRAPH)
    workers.burst()
    watcher = crew.manager.client()
    url = crew.url(f"/stream?run_id={run['id']}&after=0")
    first = watcher.get(url)
    assert first.mimetype == "text/event-stream"
    seen = _messages(first)
    assert {"run.create", "run.start", "task.open"} <= {m["kind"] for m in seen}
    assert all(m["run_id"] == run["id"] for m in seen)

    [task] = crew.tasks_of("host")
    assert crew.complete("host", task).status_code == 200
    workers.burst()
    resumed = watcher.get(
        crew.url(f"/stream?run_id={run['id']}"), headers={"Last-Event-ID": str(seen[-1]["id"])}
    )
    kinds = [m["kind"] for m in _messages(resumed)]
    assert kinds[0] == "task.complete"
    assert "node.ready" in kinds and kinds.count("task.open") == 1  # b, and nothing again


def test_a_stream_shows_only_its_workspace(crew, workers, factory):
    crew.start_run(GRAPH)
    workers.burst()
    other_ws = factory.workspace()
    outsider = factory.person(other_ws, WorkspaceRole.ADMIN).client()
    assert outsider.get(crew.url("/stream")).status_code == 404
    own = outsider.get(f"/api/workspaces/{other_ws}/stream?after=0")
    assert _messages(own) == []
