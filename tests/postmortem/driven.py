"""A live-stream run played out on the real database at chosen times, for figures that
can be checked to the minute.

Why not through the API: the API and the RQ workers read the wall clock (and should),
so a run driven through them has lateness in seconds that no test can predict. Here the
run is driven through the very functions the API handlers and the RQ jobs call
(`engine.runs`, `engine.tasks.act`, `engine.executor.advance.advance_run`), each given the
moment it happens; the database, the events and everything read back (the post-mortem,
its exports, through the API) are the real ones. tests/postmortem/test_realtime.py
drives a run through the API and real workers and checks what real time allows.

The story is the one of tests/model/test_postmortem.py (`drive`), so the figures are
the same: plan +10, poster +25 (reassigned to the controller), warm-up -10, rehearse 0,
go/no-go +3, show -2, flash sale +5 (its orders reworked after a reopen), recap +26.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine import runbooks, runs, tasks
from engine.executor.advance import advance_run
from engine.model.graph_format import dump_graph
from engine.model.run_states import RunStatus, TaskAction
from engine.store.accounts import Membership, User
from engine.store.db import Database
from engine.store.runbooks import Runbook
from engine.store.runs import RunNode, Task
from tests.executor.conftest import Crew
from tests.model.live_stream_run import GO_LIVE, TARGETS, TZ, T, live_stream

__all__ = ["GO_LIVE", "TZ", "DrivenRun", "T", "drive_live_stream", "live_stream_doc"]

RUN_NAME = "双11 直播 · 复盘"
GRAPH = live_stream()


def live_stream_doc() -> dict:
    return dump_graph(GRAPH)


@dataclass
class DrivenRun:
    database: Database
    crew: Crew
    runbook_id: int
    run_id: int

    def user(self, role: str) -> int:
        """The user id of the person cast in `role` (the manager for `manager`)."""
        return self.crew.manager.user_id if role == "manager" else self.crew.staff[role].user_id

    def act(self, node_id: str, action: TaskAction, role: str, at: datetime, **kwargs) -> None:
        """`role`'s person takes `action` on the node's task at `at`; the run then advances
        at the same moment, as a prompt worker would."""
        with self.database.session() as session:
            task = session.scalar(
                select(Task).where(Task.run_id == self.run_id, Task.node_id == node_id)
            )
            member = session.scalar(
                select(Membership).where(
                    Membership.workspace_id == self.crew.ws,
                    Membership.user_id == self.user(role),
                )
            )
            tasks.act(session, task, member, action, now=at, **kwargs)
        self.advance(at)

    def advance(self, at: datetime) -> None:
        with self.database.session() as session:
            advance_run(session, self.run_id, at)

    def claim(self, node_id: str, role: str, at: datetime) -> None:
        self.act(node_id, TaskAction.CLAIM, role, at)

    def complete(
        self,
        node_id: str,
        role: str,
        at: datetime,
        *,
        metrics: dict[str, Any] | None = None,
        note: str = "",
    ) -> None:
        node = GRAPH.node_by_id[node_id]
        if node.kind == "approval":
            payload: dict[str, Any] = {"approved": True, "note": note}
        else:
            payload = {"checklist": {i.id: True for i in node.settings.checklist}, "note": note}
        if metrics:
            payload["metrics"] = metrics
        self.act(node_id, TaskAction.COMPLETE, role, at, payload=payload, note=note)

    def node_states(self) -> dict[str, str]:
        with self.database.session() as session:
            rows = session.execute(
                select(RunNode.node_id, RunNode.state).where(RunNode.run_id == self.run_id)
            )
            return {node_id: str(state) for node_id, state in rows}


def start_live_stream(database: Database, crew: Crew, *, runbook_id: int | None = None):
    """A run of the live-stream runbook (published through the API once), started at
    T-220 by the manager."""
    runbook_id = runbook_id or crew.publish(live_stream_doc())
    roster = {role: [p.user_id] for role, p in crew.staff.items()}
    roster["manager"] = [crew.manager.user_id]
    with database.session() as session:
        runbook = session.get(Runbook, runbook_id)
        version = runbook.versions[-1]
        manager = session.get(User, crew.manager.user_id)
        plan = runs.RunPlan(
            name=RUN_NAME,
            go_live=GO_LIVE,
            tz=TZ,
            roster=roster,
            variables=TARGETS,
            reminder_lead_minutes=None,  # no reminders or escalations: a run in the past
            escalation_delay_minutes=None,
        )
        run = runs.create_run(session, runbook, version, plan, user=manager, now=T(-1440))
        runs.change_status(session, run, RunStatus.RUNNING, user=manager, now=T(-220))
        run_id = run.id
    driven = DrivenRun(database, crew, runbook_id, run_id)
    driven.advance(T(-220))
    return driven


def drive_live_stream(
    database: Database,
    crew: Crew,
    *,
    mid_show: Callable[[DrivenRun], None] | None = None,
    runbook_id: int | None = None,
    slower: float = 0,
) -> DrivenRun:
    """The whole story, to the run's end at T+206. `mid_show` is called while the show and
    the flash sale are under way. `slower` adds minutes to the recap (for history tests)."""
    run = start_live_stream(database, crew, runbook_id=runbook_id)
    run.claim("plan", "assistant", T(-215))
    run.complete("plan", "assistant", T(-150))
    reassign = {"assignee_id": run.user("controller")}
    run.act("poster", TaskAction.REASSIGN, "manager", T(-145), **reassign)
    run.claim("warmup", "operator", T(-140))
    problem = "Coupon template rejected by the platform"
    run.act("warmup", TaskAction.REPORT_PROBLEM, "operator", T(-120), note=problem)
    fixed = "Used last week's template"
    run.act("warmup", TaskAction.RESOLVE_PROBLEM, "manager", T(-100), note=fixed)
    run.complete("warmup", "operator", T(-80))
    run.complete("poster", "controller", T(-15))
    battery = {"note": "Mic battery low", "blocking": False}
    run.act("rehearse", TaskAction.REPORT_PROBLEM, "host", T(-14), **battery)
    run.complete("rehearse", "host", T(-10), note="Spare battery in")
    run.complete("go", "manager", T(3))
    run.claim("show", "host", T(3))
    run.claim("flash", "operator", T(5))
    if mid_show is not None:
        mid_show(run)
    flooded = {"note": "Comments flooded", "blocking": False}
    run.act("flash", TaskAction.REPORT_PROBLEM, "controller", T(10), **flooded)
    run.complete("flash", "operator", T(35), metrics={"orders": 1180}, note="Sale closed")
    run.act("flash", TaskAction.REOPEN, "manager", T(60), note="Count cancelled orders out")
    run.complete("flash", "operator", T(70), metrics={"orders": 1234})
    run.complete("show", "host", T(118), metrics={"viewers": 45000})
    run.claim("recap", "assistant", T(130))
    figures = {"gmv": 912345.67, "roi": 3.2, "repurchase": 12.5}
    run.complete("recap", "assistant", T(206 + slower), metrics=figures)
    return run


def publish_draft_of(database: Database, runbook_id: int, user_id: int, at: datetime) -> None:
    """Publish the runbook's draft as its next version (for a later run of the new plan)."""
    with database.session() as session:
        runbook = session.get(Runbook, runbook_id)
        runbooks.publish(session, runbook, user=session.get(User, user_id), now=at)
