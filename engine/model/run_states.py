"""The statuses of a run, its nodes, its tasks and its cues, and every allowed change, as data.

These words and rules are defined here once: the store keeps the values, the API's
"what may I do now" and the browser app's legend come from these tables. Every change
goes through a table (`Transitions.after` or `.check`), which refuses a change it does
not list with a `CueflowError` carrying a stable code; the caller writes the event.

In plain words:

- A run is scheduled when created, running once started, may be paused and resumed,
  and ends completed (an end node was reached) or cancelled (by a person).
- A node of a run is pending until every path into it has arrived. Then it is ready
  (a task is open, a timer set, a message to send, cues planned) or, for start,
  decision and end, done at once (engine.model.run). A claimed task makes its node
  active. A node is skipped when every path into it is dead, or when a person skips
  its task or cue series. There is no "failed": a person reports a problem on a task
  (the blocked flag below), and a message that cannot be sent is retried by the
  executor, so the run's graph never holds a failed node it cannot get past.
- A task is open until someone claims it, and ends done, skipped or cancelled (its
  run ended while it was open). A manager may reopen a done or skipped task for
  rework; that never rewinds the run (see engine.model.run).
- A blocking problem is a flag beside the status (`TaskState.blocked`), not a status:
  a problem can be reported on an open or a claimed task and must not lose who holds
  it. A blocked task cannot be completed: the problem is resolved first (or a
  manager skips the task); the report itself stays in the event log for the
  post-mortem. The executor escalates blocked tasks.
- Who may act (`ACTION_RULES`) depends on the actor's relation to the task, never on
  a workspace role directly: the API decides the relations, this table the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Generic, TypeVar

from engine.errors import CueflowError, ErrorCode
from engine.model.vocabulary import Phase, Role

A = TypeVar("A", bound=StrEnum)
S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class Transition(Generic[A, S]):
    """One row of a table: `action` moves a thing from `before` to `after`."""

    action: A
    before: S
    after: S


class Transitions(Generic[A, S]):
    """The allowed changes of one status vocabulary: rows of (action, before, after)."""

    def __init__(self, subject: str, code: ErrorCode, rows: Iterable[tuple[A, S, S]]) -> None:
        self.subject = subject
        self.code = code
        self.rows: tuple[Transition[A, S], ...] = tuple(Transition(*row) for row in rows)
        self._after: dict[tuple[A, S], S] = {}
        self._row_of: dict[tuple[S, S], Transition[A, S]] = {}
        for row in self.rows:
            if (row.action, row.before) in self._after:
                raise ValueError(f"{subject}: two rows for {row.action} from {row.before}")
            self._after[row.action, row.before] = row.after
            self._row_of.setdefault((row.before, row.after), row)

    def after(self, action: A, before: S) -> S:
        """The status `action` leads to from `before`; refused when no row allows it."""
        try:
            return self._after[action, before]
        except KeyError:
            raise CueflowError(
                self.code,
                f"This {self.subject} is {before}: “{action.replace('_', ' ')}” is not "
                "possible now.",
                extra={"status": str(before), "action": str(action)},
            ) from None

    def check(self, before: S, after: S) -> Transition[A, S]:
        """The row that moves `before` to `after` (the event to write); refused if none."""
        row = self._row_of.get((before, after))
        if row is None:
            raise CueflowError(
                self.code,
                f"A {self.subject} cannot go from {before} to {after}.",
                extra={"status": str(before), "to": str(after)},
            )
        return row

    def allows(self, before: S, after: S) -> bool:
        return (before, after) in self._row_of

    def actions_from(self, before: S) -> tuple[A, ...]:
        """The actions the table allows from `before`, in table order."""
        return tuple(dict.fromkeys(row.action for row in self.rows if row.before == before))


# ----- runs ----------------------------------------------------------------------------


class RunStatus(StrEnum):
    """Where a run stands.

    scheduled  created and planned (go-live, roster, targets) but not started: no task
               exists yet.
    running    started: tasks are open, timers and reminders are set, the run advances.
    paused     held by a manager: timers, reminders and escalations wait, nothing
               advances and nobody acts on tasks until it is resumed.
    completed  an end node was reached (engine.model.run); final.
    cancelled  called off by a person; open tasks are cancelled; final.
    """

    SCHEDULED = "scheduled"
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class RunAction(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    COMPLETE = "complete"  # the engine's, when an end node is done
    CANCEL = "cancel"


RUN_TERMINAL: frozenset[RunStatus] = frozenset({RunStatus.COMPLETED, RunStatus.CANCELLED})
RUN_WORKING: frozenset[RunStatus] = frozenset({RunStatus.RUNNING})  # tasks and advance

RUN_TRANSITIONS: Transitions[RunAction, RunStatus] = Transitions(
    "run",
    ErrorCode.RUN_TRANSITION,
    [
        (RunAction.START, RunStatus.SCHEDULED, RunStatus.RUNNING),
        (RunAction.PAUSE, RunStatus.RUNNING, RunStatus.PAUSED),
        (RunAction.RESUME, RunStatus.PAUSED, RunStatus.RUNNING),
        (RunAction.COMPLETE, RunStatus.RUNNING, RunStatus.COMPLETED),
        (RunAction.CANCEL, RunStatus.SCHEDULED, RunStatus.CANCELLED),
        (RunAction.CANCEL, RunStatus.RUNNING, RunStatus.CANCELLED),
        (RunAction.CANCEL, RunStatus.PAUSED, RunStatus.CANCELLED),
    ],
)


def check_run_transition(old: RunStatus, new: RunStatus) -> Transition[RunAction, RunStatus]:
    """The row allowing a run to go from `old` to `new`; `run.invalid_transition` if none."""
    return RUN_TRANSITIONS.check(RunStatus(old), RunStatus(new))


# ----- nodes of a run ------------------------------------------------------------------


class NodeState(StrEnum):
    """Where one node of a run stands.

    pending  not every path into it has arrived yet (the initial state of every node).
    ready    its work can begin: a task is open (nobody claimed it yet), a timer is
             waiting, a message is to be sent, a cue series is planned.
    active   a person claimed its task and is on it.
    done     its work is finished and the run has moved past it. start, decision and
             end nodes go straight from pending to done.
    skipped  not done: every path into it was dead (a decision chose another branch),
             or a person skipped its task or cue series (then the run goes on past it).
    """

    PENDING = "pending"
    READY = "ready"
    ACTIVE = "active"
    DONE = "done"
    SKIPPED = "skipped"


class NodeAction(StrEnum):
    ARRIVE = "arrive"  # every path into it arrived, at least one alive
    RESOLVE = "resolve"  # start, decision and end: done by the model at once
    ELIMINATE = "eliminate"  # every path into it is dead
    BEGIN = "begin"  # its task was claimed (or reassigned to someone)
    RELEASE = "release"  # its task was unclaimed
    FINISH = "finish"  # its work is over
    SKIP = "skip"  # a person skipped it


NODE_OPEN: frozenset[NodeState] = frozenset({NodeState.READY, NodeState.ACTIVE})
NODE_FINISHED: frozenset[NodeState] = frozenset({NodeState.DONE, NodeState.SKIPPED})

NODE_TRANSITIONS: Transitions[NodeAction, NodeState] = Transitions(
    "node of a run",
    ErrorCode.NODE_TRANSITION,
    [
        (NodeAction.ARRIVE, NodeState.PENDING, NodeState.READY),
        (NodeAction.RESOLVE, NodeState.PENDING, NodeState.DONE),
        (NodeAction.ELIMINATE, NodeState.PENDING, NodeState.SKIPPED),
        (NodeAction.BEGIN, NodeState.READY, NodeState.ACTIVE),
        (NodeAction.RELEASE, NodeState.ACTIVE, NodeState.READY),
        (NodeAction.FINISH, NodeState.READY, NodeState.DONE),
        (NodeAction.FINISH, NodeState.ACTIVE, NodeState.DONE),
        (NodeAction.SKIP, NodeState.READY, NodeState.SKIPPED),
        (NodeAction.SKIP, NodeState.ACTIVE, NodeState.SKIPPED),
    ],
)


def check_node_transition(old: NodeState, new: NodeState) -> Transition[NodeAction, NodeState]:
    return NODE_TRANSITIONS.check(NodeState(old), NodeState(new))


# ----- tasks ---------------------------------------------------------------------------


class TaskStatus(StrEnum):
    """Where a human task (of a task or approval node) stands.

    open       waiting for a person of its role to claim or complete it.
    claimed    a person took it (by claiming, or a manager reassigned it to them).
    done       completed with its checklist, fields and metrics (run_completion).
    skipped    a manager, or the live crew during the show, decided it will not be done;
               the run goes on past it.
    cancelled  its run was cancelled, or completed, while it was still open.
    """

    OPEN = "open"
    CLAIMED = "claimed"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class TaskAction(StrEnum):
    """What a person may do to the work of a run: a task, or (skip, shift) a live cue."""

    CLAIM = "claim"
    UNCLAIM = "unclaim"
    COMPLETE = "complete"
    REPORT_PROBLEM = "report_problem"
    RESOLVE_PROBLEM = "resolve_problem"
    REOPEN = "reopen"
    REASSIGN = "reassign"
    SKIP = "skip"
    SHIFT = "shift"  # a cue moved live; cues only (CUE_TRANSITIONS)
    CANCEL = "cancel"  # the engine's, when the run ends; nobody does it by hand


TASK_OPEN: frozenset[TaskStatus] = frozenset({TaskStatus.OPEN, TaskStatus.CLAIMED})
TASK_TERMINAL: frozenset[TaskStatus] = frozenset(
    {TaskStatus.DONE, TaskStatus.SKIPPED, TaskStatus.CANCELLED}
)

_open, _claimed = TaskStatus.OPEN, TaskStatus.CLAIMED

TASK_TRANSITIONS: Transitions[TaskAction, TaskStatus] = Transitions(
    "task",
    ErrorCode.TASK_TRANSITION,
    [
        (TaskAction.CLAIM, _open, _claimed),
        (TaskAction.UNCLAIM, _claimed, _open),
        (TaskAction.COMPLETE, _open, TaskStatus.DONE),  # a quick tick: claim and complete
        (TaskAction.COMPLETE, _claimed, TaskStatus.DONE),
        (TaskAction.REPORT_PROBLEM, _open, _open),
        (TaskAction.REPORT_PROBLEM, _claimed, _claimed),
        (TaskAction.RESOLVE_PROBLEM, _open, _open),
        (TaskAction.RESOLVE_PROBLEM, _claimed, _claimed),
        (TaskAction.REOPEN, TaskStatus.DONE, _open),
        (TaskAction.REOPEN, TaskStatus.SKIPPED, _open),
        (TaskAction.REASSIGN, _open, _claimed),  # handed to a named person
        (TaskAction.REASSIGN, _claimed, _claimed),
        (TaskAction.SKIP, _open, TaskStatus.SKIPPED),
        (TaskAction.SKIP, _claimed, TaskStatus.SKIPPED),
        (TaskAction.CANCEL, _open, TaskStatus.CANCELLED),
        (TaskAction.CANCEL, _claimed, TaskStatus.CANCELLED),
    ],
)

# Which node state an open task puts its node in. A finished task reaches its node
# through engine.model.run.on_finished, in the advance that moves the run on.
NODE_STATE_OF_OPEN_TASK: dict[TaskStatus, NodeState] = {
    TaskStatus.OPEN: NodeState.READY,
    TaskStatus.CLAIMED: NodeState.ACTIVE,
}

_CLEARS_BLOCK = frozenset(
    {
        TaskAction.RESOLVE_PROBLEM,
        TaskAction.SKIP,
        TaskAction.REOPEN,
        TaskAction.CANCEL,
    }
)


@dataclass(frozen=True)
class TaskState:
    """A task's status and whether a reported problem blocks it."""

    status: TaskStatus
    blocked: bool = False


def check_task_transition(action: TaskAction, old: TaskStatus) -> TaskStatus:
    """The status `action` leads to from `old`; `task.invalid_transition` if none."""
    return TASK_TRANSITIONS.after(TaskAction(action), TaskStatus(old))


def task_after(action: TaskAction, state: TaskState, *, blocking: bool = True) -> TaskState:
    """The task after `action`. `blocking` tells whether a reported problem blocks it."""
    action = TaskAction(action)
    if action is TaskAction.RESOLVE_PROBLEM and not state.blocked:
        raise CueflowError(
            ErrorCode.TASK_TRANSITION,
            "The task has no blocking problem to resolve.",
            extra={"status": str(state.status), "action": str(action)},
        )
    if action is TaskAction.COMPLETE and state.blocked:
        raise CueflowError(
            ErrorCode.TASK_TRANSITION,
            "A reported problem blocks this task; resolve it before completing.",
            extra={"status": str(state.status), "action": str(action), "blocked": True},
        )
    status = check_task_transition(action, state.status)
    blocked = state.blocked
    if action is TaskAction.REPORT_PROBLEM:
        blocked = blocked or blocking
    elif action in _CLEARS_BLOCK:
        blocked = False
    return replace(state, status=status, blocked=blocked)


# ----- cues of a recurring node --------------------------------------------------------


class CueStatus(StrEnum):
    """One occurrence of a recurring cue (a coupon push, a lottery).

    planned  at its planned time, or at the time the live crew shifted it to.
    sent     the executor sent it to the node's role.
    skipped  the live crew (or a manager) dropped this one occurrence.
    """

    PLANNED = "planned"
    SENT = "sent"
    SKIPPED = "skipped"


class CueAction(StrEnum):
    SHIFT = TaskAction.SHIFT.value
    SKIP = TaskAction.SKIP.value
    SEND = "send"  # the executor's


CUE_TRANSITIONS: Transitions[CueAction, CueStatus] = Transitions(
    "cue",
    ErrorCode.CUE_TRANSITION,
    [
        (CueAction.SHIFT, CueStatus.PLANNED, CueStatus.PLANNED),
        (CueAction.SKIP, CueStatus.PLANNED, CueStatus.SKIPPED),
        (CueAction.SEND, CueStatus.PLANNED, CueStatus.SENT),
    ],
)


# ----- who may act ---------------------------------------------------------------------


class Actor(StrEnum):
    """How a person stands to one task (the API works these out; `may_act` rules on them).

    assignee     the task is theirs: they claimed it, a manager reassigned it to them,
                 or it is open and was offered to them when it was created.
    role_holder  they hold the node's role in the run's roster now.
    supervisor   a workspace manager or admin (access.Permission.SUPERVISE_TASKS).
    live_crew    they hold a live-crew role (`LIVE_CREW_ROLES`) in the run's roster;
                 counts only for nodes of the execution phase, while the show is on.
    """

    ASSIGNEE = "assignee"
    ROLE_HOLDER = "role_holder"
    SUPERVISOR = "supervisor"
    LIVE_CREW = "live_crew"


LIVE_CREW_ROLES: frozenset[str] = frozenset({Role.OPERATOR, Role.CONTROLLER})  # 中控, 场控
LIVE_CREW_PHASES: frozenset[Phase] = frozenset({Phase.EXECUTION})

_A, _R, _S, _L = Actor.ASSIGNEE, Actor.ROLE_HOLDER, Actor.SUPERVISOR, Actor.LIVE_CREW

ACTION_RULES: dict[TaskAction, frozenset[Actor]] = {
    TaskAction.CLAIM: frozenset({_A, _R}),
    TaskAction.UNCLAIM: frozenset({_A, _S}),
    TaskAction.COMPLETE: frozenset({_A}),
    TaskAction.REPORT_PROBLEM: frozenset({_A, _R, _S, _L}),
    TaskAction.RESOLVE_PROBLEM: frozenset({_A, _S}),
    TaskAction.REOPEN: frozenset({_S}),
    TaskAction.REASSIGN: frozenset({_S}),
    TaskAction.SKIP: frozenset({_S, _L}),
    TaskAction.SHIFT: frozenset({_S, _L}),
    TaskAction.CANCEL: frozenset(),
}


def actors(
    *, holds_role: bool, is_assignee: bool, is_supervisor: bool, is_live_crew: bool, phase: Phase
) -> frozenset[Actor]:
    """Every way this person stands to a node of `phase`."""
    flags = {
        Actor.ASSIGNEE: is_assignee,
        Actor.ROLE_HOLDER: holds_role,
        Actor.SUPERVISOR: is_supervisor,
        Actor.LIVE_CREW: is_live_crew and Phase(phase) in LIVE_CREW_PHASES,
    }
    return frozenset(actor for actor, holds in flags.items() if holds)


def may_act(
    action: TaskAction,
    *,
    holds_role: bool,
    is_assignee: bool,
    is_supervisor: bool,
    is_live_crew: bool,
    phase: Phase,
) -> bool:
    """Whether a person standing so to a node of `phase` may take `action` (any status)."""
    standing = actors(
        holds_role=holds_role,
        is_assignee=is_assignee,
        is_supervisor=is_supervisor,
        is_live_crew=is_live_crew,
        phase=phase,
    )
    return bool(ACTION_RULES[TaskAction(action)] & standing)


def check_may_act(action: TaskAction, **standing: bool | Phase) -> None:
    """`may_act`, raising `task.not_allowed` when the answer is no."""
    if not may_act(action, **standing):  # type: ignore[arg-type]
        raise CueflowError(
            ErrorCode.TASK_NOT_ALLOWED,
            f"You may not {TaskAction(action).replace('_', ' ')} this task.",
            extra={"action": str(action)},
        )


def available_actions(state: TaskState, **standing: bool | Phase) -> tuple[TaskAction, ...]:
    """What this person may do to a task in `state` now, in table order (for the API)."""
    return tuple(
        action
        for action in TASK_TRANSITIONS.actions_from(state.status)
        if (action is not TaskAction.RESOLVE_PROBLEM or state.blocked)
        and (action is not TaskAction.COMPLETE or not state.blocked)
        and action is not TaskAction.CANCEL
        and may_act(action, **standing)  # type: ignore[arg-type]
    )
