"""Demo runs of the built-in live-stream runbook, so that each demo person sees their part
at first login: three finished streams with signed post-mortems (history and suggested
durations have something to read), tonight's stream under way with the host's rehearsal
open, and the weekend's stream whose plan waits for the manager's approval.

The runs are played through the same functions the API and the RQ jobs call
(`engine.runs`, `engine.tasks.act`, `fire_timer`, `advance_run`), each given the moment it
happens, so their events, timings and post-mortems are real ones. Idempotent: a run whose
name exists in the workspace is not played again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import improvements, postmortems, runs, tasks
from engine.executor.advance import advance_run, roster_of
from engine.executor.graphs import graph_of_run
from engine.executor.timers import fire_timer
from engine.model.graph import Node
from engine.model.nodes.task import FieldType
from engine.model.review_states import ActionKind
from engine.model.run_states import RunStatus, TaskAction, TaskStatus
from engine.model.run_times import TimeKind
from engine.model.vocabulary import NodeKind
from engine.store.accounts import Membership, User, Workspace
from engine.store.runbooks import Runbook
from engine.store.runs import Run, Task, Timer, TimerStatus
from engine.templates import roles_of

TZ = "Asia/Shanghai"
TEMPLATE = "live_stream"
PREFIX = "示范 · "
# Minutes late (negative: early) against each step's planned due, in a typical stream;
# every demo run varies them a little, so history sees the same steps late most times.
LATENESS = {
    "live_plan": 30,
    "product_selection": 120,
    "warmup_poster": 150,
    "warmup_copy": -60,
    "group_content": -90,
    "reservation_count": 10,
    "scene_setup": 25,
    "rehearsal": -5,
    "final_check": 4,
    "closing": 6,
    "stream_data": 200,
    "sales_data": 260,
    "review_meeting": 45,
}
METRICS = {
    "new_wecom_contacts": 320,
    "new_group_members": 210,
    "live_duration": 182,
    "interactions": 5200,
    "viewers": 12800,
    "avg_watch_time": 3.4,
    "shares": 640,
    "orders": 1180,
    "gmv": 268000,
    "roi": 3.1,
    "clicks": 15400,
    "paying_customers": 960,
    "repeat_customers": 210,
}
# Problems the crew reports (and solves) along the way in the finished streams.
PROBLEMS = {
    "scene_setup": "补光灯坏了一盏，临时借用隔壁直播间的",
    "sales_data": "后台订单导出超时，改用分批导出",
}
FIELDS = {"reservations": 2300, "theme": "秋冬上新福利专场", "audience": "25–40 岁宝妈与白领"}
TARGETS = {"gmv_target": 250000, "viewer_target": 12000, "reservation_target": 2000}


@dataclass(frozen=True)
class DemoRun:
    name: str
    go_live: Callable[[datetime], datetime]  # from the moment the demo is loaded
    pace: float  # how much of LATENESS this run shows
    # Play until a task like this opens; None: to the end, problems reported on the way.
    stop: Callable[[Task], bool] | None
    lateness: Mapping[str, float] = field(default_factory=dict)  # this run's own, in minutes


def _evening(days_ago: int) -> Callable[[datetime], datetime]:
    def at(now: datetime) -> datetime:
        day = now.astimezone(ZoneInfo(TZ)) - timedelta(days=days_ago)
        return day.replace(hour=20, minute=0, second=0, microsecond=0)

    return at


def _in(minutes: int) -> Callable[[datetime], datetime]:
    def at(now: datetime) -> datetime:
        soon = now + timedelta(minutes=minutes)
        return soon.replace(second=0, microsecond=0) + timedelta(minutes=5 - soon.minute % 5)

    return at


DEMO_RUNS = (
    DemoRun(f"{PREFIX}10月福利专场", _evening(21), 1.2, None),
    DemoRun(f"{PREFIX}11月上新专场", _evening(14), 0.8, None),
    DemoRun(f"{PREFIX}双12 预热专场", _evening(7), 1.0, None),
    # The controller set the scene early, so the host's rehearsal is open at start-up.
    DemoRun(
        f"{PREFIX}今晚直播",
        _in(60),
        1.0,
        lambda task: task.role == "host",
        {"scene_setup": -40, "reservation_count": 0},
    ),
    DemoRun(f"{PREFIX}周末大促直播", _in(85 * 60), 1.0, lambda task: task.role == "manager"),
)


def load_demo_runs(session: Session, workspace: Workspace, runbook: Runbook, now: datetime):
    """Play each demo run that the workspace does not have yet."""
    have = set(session.scalars(select(Run.name).where(Run.workspace_id == workspace.id)))
    for demo in DEMO_RUNS:
        if demo.name not in have:
            _Player(session, workspace, runbook, demo, now).play()


class _Player:
    def __init__(self, session, workspace, runbook, demo: DemoRun, now: datetime) -> None:
        self.session, self.workspace, self.demo, self.now = session, workspace, demo, now
        self.manager = self._user("manager@cueflow.demo")
        go_live = demo.go_live(now)
        self.clock = go_live - timedelta(days=8)
        # Each role of the live-stream runbook is cast: the demo has a person for each.
        roster = {role: [self._user(f"{role}@cueflow.demo").id] for role in roles_of(TEMPLATE)}
        plan = runs.RunPlan(
            name=demo.name,
            go_live=go_live,
            tz=TZ,
            roster=roster,
            variables=TARGETS,
            reminder_lead_minutes=None,  # played in the past: nothing to remind anyone of
            escalation_delay_minutes=None,
        )
        version = runbook.versions[-1]
        self.run = runs.create_run(
            session, runbook, version, plan, user=self.manager, now=self.clock
        )
        runs.change_status(session, self.run, RunStatus.RUNNING, user=self.manager, now=self.clock)
        advance_run(session, self.run.id, self.clock)
        self.graph = graph_of_run(session, self.run)

    def play(self) -> None:
        """Complete tasks and fire timers in time order, as the crew and the executor would,
        until the demo's stop task opens, the next thing lies after now, or the run ends."""
        while True:
            open_tasks = self._open_tasks()
            if self.demo.stop is not None and any(map(self.demo.stop, open_tasks)):
                return
            moves = [(self._times(t)[1], 0, t.id, t) for t in open_tasks]
            moves += [(max(t.fire_at, self.clock), 1, t.id, t) for t in self._timers()]
            if not moves:
                break
            at, _, _, item = min(moves, key=lambda m: m[:3])
            if at > self.now:
                return
            self.clock = at
            if isinstance(item, Timer):
                fire_timer(self.session, item.id, at)
            else:
                self._complete(item, at)
        if self.run.status is RunStatus.COMPLETED:
            self._sign_off()

    def _open_tasks(self) -> list[Task]:
        return list(
            self.session.scalars(
                select(Task)
                .where(Task.run_id == self.run.id, Task.status.in_(OPEN))
                .order_by(Task.id)
            )
        )

    def _timers(self) -> list[Timer]:
        return list(
            self.session.scalars(
                select(Timer).where(
                    Timer.run_id == self.run.id,
                    Timer.status == TimerStatus.PENDING,
                    Timer.kind.not_in([TimeKind.REMINDER, TimeKind.ESCALATION]),
                )
            )
        )

    def _times(self, task: Task) -> tuple[datetime, datetime]:
        """When the task's person starts it (its planned start, or when it opened if that
        was later) and finishes it (its planned length plus the run's lateness for it)."""
        node = self.graph.node_by_id[task.node_id]
        length = timedelta(minutes=node.duration_minutes or 5)
        own = self.demo.lateness.get(task.node_id)
        late = own if own is not None else LATENESS.get(task.node_id, 0) * self.demo.pace
        started = max(task.ready_at, (task.due_at or task.ready_at + length) - length)
        return started, started + max(length + timedelta(minutes=late), timedelta(minutes=2))

    def _complete(self, task: Task, at: datetime) -> None:
        node = self.graph.node_by_id[task.node_id]
        user_id = task.assignee_id or roster_of(self.session, task.run_id, task.role)[0]
        member = self._member(user_id)
        started, _ = self._times(task)
        if task.status is TaskStatus.OPEN:
            tasks.act(self.session, task, member, TaskAction.CLAIM, now=started)
        if self.demo.stop is None and task.node_id in PROBLEMS:
            self._problem(task, member, PROBLEMS[task.node_id], started, at)
        payload = _payload(node, self.demo.pace)
        tasks.act(self.session, task, member, TaskAction.COMPLETE, now=at, payload=payload)
        advance_run(self.session, self.run.id, at)

    def _problem(self, task: Task, member, note: str, started: datetime, done: datetime):
        """A problem that holds the task up a third of the way in; the manager clears it."""
        reported = started + (done - started) / 3
        tasks.act(self.session, task, member, TaskAction.REPORT_PROBLEM, now=reported, note=note)
        manager = self._member(self.manager.id)
        cleared = reported + (done - reported) / 2
        tasks.act(
            self.session, task, manager, TaskAction.RESOLVE_PROBLEM, now=cleared, note="已解决"
        )

    def _sign_off(self) -> None:
        ended = self.clock + timedelta(hours=2)
        improvements.add(
            self.session,
            self.run,
            user=self.manager,
            now=ended,
            title="场景搭建提前 30 分钟开始",
            kind=ActionKind.FOLLOW_UP,
            owner_id=self._user("controller@cueflow.demo").id,
            node_id="scene_setup",
        )
        summary = "GMV 达成目标；场景搭建与数据复盘偏晚，下场提前准备。"
        postmortems.sign_off(self.session, self.run, user=self.manager, now=ended, summary=summary)

    def _user(self, email: str) -> User:
        return self.session.scalars(select(User).where(User.email == email)).one()

    def _member(self, user_id: int) -> Membership:
        return self.session.scalars(
            select(Membership).where(
                Membership.workspace_id == self.workspace.id, Membership.user_id == user_id
            )
        ).one()


OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)


def _payload(node: Node, pace: float) -> dict[str, Any]:
    if node.kind is NodeKind.APPROVAL:
        return {"approved": True, "note": "通过"}
    settings = node.settings
    return {
        "checklist": {item.id: True for item in settings.checklist},
        "fields": {f.key: _field_value(f) for f in settings.required_fields},
        "metrics": {m.key: _metric_value(m.key, pace) for m in settings.metric_fields},
    }


def _field_value(spec) -> Any:
    if spec.key in FIELDS:
        return FIELDS[spec.key]
    return {
        FieldType.NUMBER: 1,
        FieldType.TEXT: f"已完成：{spec.label}",
        FieldType.BOOL: True,
        FieldType.CHOICE: spec.choices[0] if spec.choices else "",
    }[spec.type]


def _metric_value(key: str, pace: float) -> int | float:
    base = METRICS.get(key, 1)
    value = base * (2.2 - pace)  # the slower runs sold less
    return round(value, 2) if isinstance(base, float) or key == "gmv" else round(value)
