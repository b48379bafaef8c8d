"""A run held in memory that writes its event log as the executor and the task rules do
(engine/executor/advance.py, engine/tasks.py, engine/runs.py), on a clock the caller
sets: the post-mortem's tests and benchmark drive it. Each call takes `at`, the time
the action happens; nothing reads a clock.

Every status change goes through the model's own tables (`task_after`, the run's and
nodes' transitions), so an action the engine would refuse is refused here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.model.events import EventKind, node_event, run_event, task_event
from engine.model.run import Advance, CreateTask, InMemoryRun
from engine.model.run_completion import check_completion
from engine.model.run_log import EventRecord
from engine.model.run_states import (
    RUN_TRANSITIONS,
    NodeState,
    RunStatus,
    TaskAction,
    TaskState,
    TaskStatus,
    task_after,
)
from engine.model.vocabulary import NodeKind


@dataclass
class TaskRow:
    id: int
    node_id: str
    status: TaskStatus = TaskStatus.OPEN
    blocked: bool = False
    assignee_id: int | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "blocked": self.blocked,
            "assignee_id": self.assignee_id,
        }


class RecordedRun:
    """One run of `graph`: `events` is its log, `node_states` its live node rows."""

    def __init__(
        self,
        graph,
        roster: Mapping[str, Sequence[int]],
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        self.graph = graph
        self.roster = {role: list(ids) for role, ids in roster.items()}
        self.run = InMemoryRun(graph, dict(variables or {}))
        self.events: list[EventRecord] = []
        self.tasks: dict[str, TaskRow] = {}  # by node id: one task per node
        self.node_states: dict[str, NodeState] = {}  # as the store's run-node rows
        self.status = RunStatus.SCHEDULED

    def record(self, kind: EventKind, at: datetime, **fields: Any) -> None:
        self.events.append(EventRecord(len(self.events) + 1, at, str(kind), **fields))

    # ----- the run -----------------------------------------------------------------

    def create(self, at: datetime, go_live: datetime, actor_id: int | None = None) -> None:
        after = {"version": 1, "go_live": go_live.isoformat()}
        self.record(EventKind.RUN_CREATE, at, actor_id=actor_id, after=after)

    def start(self, at: datetime, actor_id: int | None = None) -> Advance:
        self._run_to(RunStatus.RUNNING, at, actor_id)
        return self._apply(self.run.start(), at)

    def cancel(self, at: datetime, actor_id: int | None = None) -> None:
        self._end(RunStatus.CANCELLED, at, actor_id)

    def move_go_live(self, at: datetime, old: datetime, new: datetime, actor_id: int) -> None:
        self.record(
            EventKind.RUN_GO_LIVE_MOVED,
            at,
            actor_id=actor_id,
            before={"go_live": old.isoformat()},
            after={"go_live": new.isoformat()},
        )

    def fire(self, node_id: str, at: datetime, kind: EventKind = EventKind.TIMER_TIMER) -> Advance:
        """A wait's timer fired (or a notify was sent): its node is done."""
        self.record(kind, at, node_id=node_id, after={"index": 0, "planned": at.isoformat()})
        return self._apply(self.run.finish(node_id), at)

    def _run_to(self, status: RunStatus, at: datetime, actor_id: int | None) -> None:
        row = RUN_TRANSITIONS.check(self.status, status)
        before, self.status = self.status, status
        self.record(
            run_event(row.action),
            at,
            actor_id=actor_id,
            before={"status": str(before)},
            after={"status": str(status)},
        )

    def _end(self, status: RunStatus, at: datetime, actor_id: int | None) -> None:
        for task in self.tasks.values():
            if task.status in (TaskStatus.OPEN, TaskStatus.CLAIMED):
                task.status = TaskStatus.CANCELLED  # in bulk, without events, as finish_run
        self._run_to(status, at, actor_id)

    def _apply(self, advance: Advance, at: datetime) -> Advance:
        """Write what an advance changed, as engine.executor.advance.Step.apply does."""
        self.run.apply(advance)
        for node_id, state in advance.node_states().items():
            before = self.node_states.get(node_id, NodeState.PENDING)
            self.node_states[node_id] = state
            self.record(
                node_event(state),
                at,
                node_id=node_id,
                before={"state": str(before)},
                after={"state": str(state)},
            )
        for effect in advance.effects:
            if isinstance(effect, CreateTask):
                people = self.roster.get(effect.role or "", [])
                task = TaskRow(len(self.tasks) + 1, effect.node_id)
                task.assignee_id = people[0] if len(people) == 1 else None
                self.tasks[effect.node_id] = task
                self.record(
                    EventKind.TASK_OPEN,
                    at,
                    node_id=effect.node_id,
                    task_id=task.id,
                    after={"assignee_id": task.assignee_id},
                )
        if advance.run_completed:
            self._end(RunStatus.COMPLETED, at, None)
        return advance

    # ----- tasks -------------------------------------------------------------------

    def act(
        self,
        node_id: str,
        action: TaskAction,
        actor_id: int,
        at: datetime,
        *,
        note: str = "",
        payload: Mapping[str, Any] | None = None,
        assignee_id: int | None = None,
        blocking: bool = True,
        advance_at: datetime | None = None,
    ) -> Advance:
        """Take `action` on the node's task as engine.tasks.act does; a finished task's
        node is advanced at `advance_at` (default: at once)."""
        if self.status not in (RunStatus.RUNNING, RunStatus.PAUSED):
            raise ValueError(f"the run is {self.status}; its tasks can no longer change")
        task = self.tasks[node_id]
        before = task.fields()
        state = task_after(action, TaskState(task.status, task.blocked), blocking=blocking)
        task.status, task.blocked = state.status, state.blocked
        after_extra: dict[str, Any] = {}
        if action is TaskAction.CLAIM:
            task.assignee_id = actor_id
            self._node_moves(node_id, NodeState.READY, NodeState.ACTIVE)
        elif action is TaskAction.UNCLAIM:
            people = self.roster.get(self.graph.node_by_id[node_id].role or "", [])
            task.assignee_id = people[0] if len(people) == 1 else None
            self._node_moves(node_id, NodeState.ACTIVE, NodeState.READY)
        elif action is TaskAction.REASSIGN:
            task.assignee_id = assignee_id
        elif action is TaskAction.COMPLETE:
            node = self.graph.node_by_id[node_id]
            after_extra["result"] = check_completion(node, payload or {}).as_dict()
        after = {**task.fields(), **after_extra}
        self.record(
            task_event(action),
            at,
            actor_id=actor_id,
            node_id=node_id,
            task_id=task.id,
            before=before,
            after=after,
            note=note,
        )
        if action in (TaskAction.COMPLETE, TaskAction.SKIP):
            outcome = NodeState.DONE if action is TaskAction.COMPLETE else NodeState.SKIPPED
            if self.status is RunStatus.RUNNING:
                return self._apply(self.run.finish(node_id, outcome), advance_at or at)
        return Advance()

    def _node_moves(self, node_id: str, old: NodeState, new: NodeState) -> None:
        if self.node_states.get(node_id) is old:
            self.node_states[node_id] = new

    def claim(self, node_id: str, actor_id: int, at: datetime) -> None:
        self.act(node_id, TaskAction.CLAIM, actor_id, at)

    def complete(
        self,
        node_id: str,
        actor_id: int,
        at: datetime,
        *,
        metrics: Mapping[str, Any] | None = None,
        approved: bool = True,
        note: str = "",
        advance_at: datetime | None = None,
    ) -> Advance:
        """Complete the node's task, ticking every checklist item."""
        node = self.graph.node_by_id[node_id]
        if node.kind is NodeKind.APPROVAL:
            payload: dict[str, Any] = {"approved": approved, "note": note}
        else:
            ticks = {item.id: True for item in node.settings.checklist}
            payload = {"checklist": ticks, "metrics": dict(metrics or {}), "note": note}
        return self.act(
            node_id,
            TaskAction.COMPLETE,
            actor_id,
            at,
            note=note,
            payload=payload,
            advance_at=advance_at,
        )
