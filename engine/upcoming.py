"""What is coming for a staff member: the human steps (tasks, approvals) of the roles they
hold in runs that have not ended (scheduled, running or paused) and that have not opened
yet: the node is still pending in its run and has no task. Soonest planned first.

The planned times are the ones the run stored when it was cast (`RunNode.planned_start`,
`planned_due`, moved with go-live by engine/runs.py); nothing is recomputed here. A step
on a branch a decision may still leave out shows until the run leaves it out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, nulls_last, select
from sqlalchemy.orm import Session

from engine.executor.graphs import graph_of_run
from engine.model.graph import Node
from engine.model.nodes import HUMAN_KINDS
from engine.model.run_states import RUN_TERMINAL, NodeState
from engine.store.runs import RosterEntry, Run, RunNode, Task
from engine.store.scoping import in_workspace

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class UpcomingStep:
    """One step of one run that will come to the person, with its planned times."""

    run: Run
    node: Node
    planned_start: datetime | None
    planned_due: datetime | None

    @property
    def offset_minutes(self) -> int | None:
        """The planned start against go-live, in whole minutes (negative before T0)."""
        if self.planned_start is None:
            return None
        return round((self.planned_start - self.run.go_live) / timedelta(minutes=1))


def roles_held(
    session: Session, workspace_id: int, user_id: int, run_id: int | None = None
) -> dict[int, set[str]]:
    """The roles the person holds in each run of the workspace that has not ended."""
    statement = (
        in_workspace(Run, workspace_id)
        .with_only_columns(RosterEntry.run_id, RosterEntry.role)
        .select_from(Run)
        .join(RosterEntry, RosterEntry.run_id == Run.id)
        .where(RosterEntry.user_id == user_id, Run.status.not_in(RUN_TERMINAL))
    )
    if run_id is not None:
        statement = statement.where(Run.id == run_id)
    roles: dict[int, set[str]] = defaultdict(set)
    for held_in, role in session.execute(statement):
        roles[held_in].add(role)
    return roles


def _pending_nodes(session: Session, run_ids: set[int]) -> Iterable[tuple[Run, RunNode]]:
    """The nodes of these runs not reached yet (pending, no task), soonest planned first."""
    has_task = exists().where(Task.run_id == RunNode.run_id, Task.node_id == RunNode.node_id)
    statement = (
        select(Run, RunNode)
        .join(RunNode, RunNode.run_id == Run.id)
        .where(Run.id.in_(run_ids), RunNode.state == NodeState.PENDING, ~has_task)
        .order_by(nulls_last(RunNode.planned_start.asc()), Run.go_live, Run.id, RunNode.id)
    )
    return session.execute(statement)  # type: ignore[return-value]


def upcoming_steps(
    session: Session,
    workspace_id: int,
    user_id: int,
    *,
    run_id: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[UpcomingStep]:
    """The person's coming steps (see the module's rules), at most `limit`."""
    roles = roles_held(session, workspace_id, user_id, run_id)
    if not roles:
        return []
    steps: list[UpcomingStep] = []
    for run, row in _pending_nodes(session, set(roles)):
        node = graph_of_run(session, run).node_by_id.get(row.node_id)
        if node is None or node.kind not in HUMAN_KINDS or node.role not in roles[run.id]:
            continue
        steps.append(UpcomingStep(run, node, row.planned_start, row.planned_due))
        if len(steps) >= limit:
            break
    return steps
