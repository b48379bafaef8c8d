"""The kinds of event in the audit trail, defined once. An event is append-only: who did
what, when, to which object, with the state before and after.

Run, node, task and cue kinds are named after the transitions of run_states.py; the
post-mortem (engine/model/postmortem.py) and the audit views read them back.
"""

from __future__ import annotations

from enum import StrEnum

from engine.model.run_states import NodeState, RunAction, TaskAction


class EventKind(StrEnum):
    """Every event kind. `before` / `after` hold the changed fields of the object.

    run.*        a run's status changed (`after.status`), or its go-live moved
                 (`before.go_live`, `after.go_live`, ISO 8601).
    node.*       a node of a run became ready, was done or skipped (`after.state`).
    task.*       a task action (`before`/`after`: status, blocked, assignee_id; a
                 completion's `after.result` holds checklist, fields, metrics, note).
    timer.*      a timer fired: a wait ended, a message was sent, a cue went out, a
                 reminder or an escalation was due (`after.index`, `after.planned`).
    cue.*        the live crew shifted or skipped one cue (`before`/`after`.fire_at).
    notification.*  a notification was delivered or finally failed.
    runbook.*    a runbook was created, renamed/tagged/archived (`runbook.update`), its
                 draft saved or edited, a version published.
    postmortem.* a manager signed the post-mortem off or reopened it; an improvement
                 action was added, changed, deleted, completed, dropped or reopened.
    """

    RUN_CREATE = "run.create"
    RUN_START = f"run.{RunAction.START}"
    RUN_PAUSE = f"run.{RunAction.PAUSE}"
    RUN_RESUME = f"run.{RunAction.RESUME}"
    RUN_COMPLETE = f"run.{RunAction.COMPLETE}"
    RUN_CANCEL = f"run.{RunAction.CANCEL}"
    RUN_GO_LIVE_MOVED = "run.go_live_moved"
    NODE_READY = f"node.{NodeState.READY}"
    NODE_ACTIVE = f"node.{NodeState.ACTIVE}"
    NODE_DONE = f"node.{NodeState.DONE}"
    NODE_SKIPPED = f"node.{NodeState.SKIPPED}"
    TASK_OPEN = "task.open"
    TASK_CLAIM = f"task.{TaskAction.CLAIM}"
    TASK_UNCLAIM = f"task.{TaskAction.UNCLAIM}"
    TASK_COMPLETE = f"task.{TaskAction.COMPLETE}"
    TASK_REPORT_PROBLEM = f"task.{TaskAction.REPORT_PROBLEM}"
    TASK_RESOLVE_PROBLEM = f"task.{TaskAction.RESOLVE_PROBLEM}"
    TASK_REOPEN = f"task.{TaskAction.REOPEN}"
    TASK_REASSIGN = f"task.{TaskAction.REASSIGN}"
    TASK_SKIP = f"task.{TaskAction.SKIP}"
    TASK_NOTE = "task.note"
    TIMER_TIMER = "timer.timer"
    TIMER_SEND = "timer.send"
    TIMER_CUE = "timer.cue"
    TIMER_REMINDER = "timer.reminder"
    TIMER_ESCALATION = "timer.escalation"
    CUE_SHIFT = f"cue.{TaskAction.SHIFT}"
    CUE_SKIP = f"cue.{TaskAction.SKIP}"
    NOTIFICATION_SENT = "notification.sent"
    NOTIFICATION_FAILED = "notification.failed"
    RUNBOOK_CREATE = "runbook.create"
    RUNBOOK_DRAFT_SAVE = "runbook.draft_save"
    RUNBOOK_DRAFT_EDIT = "runbook.draft_edit"
    RUNBOOK_PUBLISH = "runbook.publish"
    POSTMORTEM_SIGN_OFF = "postmortem.sign_off"
    POSTMORTEM_REOPEN = "postmortem.reopen"
    ACTION_ADD = "postmortem.action_add"
    ACTION_CHANGE = "postmortem.action_change"
    ACTION_DELETE = "postmortem.action_delete"
    ACTION_COMPLETE = "postmortem.action_complete"
    ACTION_DROP = "postmortem.action_drop"
    ACTION_REOPEN = "postmortem.action_reopen"
    RUNBOOK_UPDATE = "runbook.update"


def run_event(action: RunAction) -> EventKind:
    return EventKind(f"run.{action}")


def node_event(state: NodeState) -> EventKind:
    return EventKind(f"node.{state}")


def task_event(action: TaskAction) -> EventKind:
    return EventKind(f"task.{action}")
