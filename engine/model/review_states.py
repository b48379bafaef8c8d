"""The statuses of a post-mortem report and of its improvement actions, and every allowed
change, as data (the same `Transitions` tables as engine/model/run_states.py).

In plain words:

- A run's post-mortem is open while managers write it: its figures are read live from
  the run's events, its summary and its improvement actions may change. A manager signs
  it off: the figures, the summary and the actions as agreed are stored as revision n,
  and the report is locked. Changing it again needs an explicit reopen (with a reason,
  audited), which starts revision n + 1; the signed revisions stay as they were.
- An improvement action is a lesson with an owner. It stays open until it is done or
  dropped; following it through (marking it done, carrying it into the next run,
  applying it to the draft) is not a change of the report, so a sign-off never stops it.
"""

from __future__ import annotations

from enum import StrEnum

from engine.errors import ErrorCode
from engine.model.run_states import Transitions


class ReportStatus(StrEnum):
    """Where a run's post-mortem stands.

    open        being written: live figures, summary and actions may change.
    signed_off  a manager signed it off: the revision's figures, summary and actions are
                stored and locked; only a reopen (a new revision) changes it again.
    """

    OPEN = "open"
    SIGNED_OFF = "signed_off"


class ReportAction(StrEnum):
    SIGN_OFF = "sign_off"
    REOPEN = "reopen"


REPORT_TRANSITIONS: Transitions[ReportAction, ReportStatus] = Transitions(
    "post-mortem",
    ErrorCode.POSTMORTEM_TRANSITION,
    [
        (ReportAction.SIGN_OFF, ReportStatus.OPEN, ReportStatus.SIGNED_OFF),
        (ReportAction.REOPEN, ReportStatus.SIGNED_OFF, ReportStatus.OPEN),
    ],
)


class ActionKind(StrEnum):
    """How an improvement action reaches the next event.

    follow_up      the owner does it and marks it done; nothing else is changed.
    next_run_task  carried into the runbook's next run when that run starts: it is on
                   the owner's list for that run, due by the action's due time or else
                   that run's go-live, until the owner marks it done.
    draft_edit     a change of the runbook draft (its `changes`), applied by a planner
                   as one normal, audited draft edit; applying it marks it done.
    """

    FOLLOW_UP = "follow_up"
    NEXT_RUN_TASK = "next_run_task"
    DRAFT_EDIT = "draft_edit"


class ActionStatus(StrEnum):
    """Where an improvement action stands.

    open     agreed and not yet carried out.
    done     carried out (by its owner, or applied to the draft).
    dropped  a manager decided not to do it.
    """

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


CLOSED_ACTIONS = frozenset({ActionStatus.DONE, ActionStatus.DROPPED})


class ActionChange(StrEnum):
    COMPLETE = "complete"
    DROP = "drop"
    REOPEN = "reopen"


ACTION_TRANSITIONS: Transitions[ActionChange, ActionStatus] = Transitions(
    "improvement action",
    ErrorCode.ACTION_TRANSITION,
    [
        (ActionChange.COMPLETE, ActionStatus.OPEN, ActionStatus.DONE),
        (ActionChange.DROP, ActionStatus.OPEN, ActionStatus.DROPPED),
        (ActionChange.REOPEN, ActionStatus.DONE, ActionStatus.OPEN),
        (ActionChange.REOPEN, ActionStatus.DROPPED, ActionStatus.OPEN),
    ],
)
