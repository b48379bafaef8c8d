"""Improvement actions of a post-mortem: a manager adds them with an owner; each is a
follow-up, a task carried into the runbook's next run, or an edit of the runbook draft
(engine/model/review_states.py says what each kind does).

Writing an action (add, change, delete) is writing the report: refused once it is
signed off (`postmortem.locked`). Following one through is not, and goes on after the
sign-off: its owner (or a manager) marks it done, a manager drops it, a planner applies
a draft edit, and the runbook's next run takes the next-run tasks when it starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import runbooks
from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model import draft_edits
from engine.model.access import Permission, can
from engine.model.draft_edits import Doc, Edit
from engine.model.events import EventKind
from engine.model.review_states import (
    ACTION_TRANSITIONS,
    ActionChange,
    ActionKind,
    ActionStatus,
)
from engine.postmortems import ensure_report, require_open, save
from engine.store.accounts import Membership, User
from engine.store.postmortems import ImprovementAction, PostMortemReport
from engine.store.runs import Event, Run

# The draft changes an action may carry, each one edit of engine.model.draft_edits, and
# the fields each needs besides `op`.
CHANGE_OPS: dict[str, tuple[str, ...]] = {
    "add_node": ("node",),
    "update_node": ("node_id", "changes"),
    "delete_node": ("node_id",),
    "add_edge": ("edge",),
    "update_edge": ("edge_id", "changes"),
    "delete_edge": ("edge_id",),
}
_EDITS: dict[str, Callable[[Doc, Mapping[str, Any]], Edit]] = {
    "add_node": lambda doc, c: draft_edits.add_node(doc, c["node"]),
    "update_node": lambda doc, c: draft_edits.update_node(doc, c["node_id"], c["changes"]),
    "delete_node": lambda doc, c: draft_edits.delete_node(doc, c["node_id"]),
    "add_edge": lambda doc, c: draft_edits.add_edge(doc, c["edge"]),
    "update_edge": lambda doc, c: draft_edits.update_edge(doc, c["edge_id"], c["changes"]),
    "delete_edge": lambda doc, c: draft_edits.delete_edge(doc, c["edge_id"]),
}
EDITABLE = ("title", "detail", "kind", "owner_id", "node_id", "due_at", "changes")


def add(
    session: Session,
    run: Run,
    *,
    user: User,
    now: datetime,
    title: str,
    kind: ActionKind,
    owner_id: int,
    detail: str = "",
    node_id: str | None = None,
    due_at: datetime | None = None,
    changes: Sequence[Mapping[str, Any]] | None = None,
) -> ImprovementAction:
    """Add an action to the run's open post-mortem."""
    report = ensure_report(session, run, now)
    require_open(report)
    _check_owner(session, run.workspace_id, owner_id)
    _check_changes(kind, changes)
    action = ImprovementAction(
        workspace_id=run.workspace_id,
        postmortem_id=report.id,
        title=title,
        detail=detail,
        kind=kind,
        status=ActionStatus.OPEN,
        owner_id=owner_id,
        node_id=node_id,
        due_at=due_at,
        changes=[dict(c) for c in changes] if changes else None,
        created_at=now,
        created_by_id=user.id,
        updated_at=now,
        close_note="",
    )
    session.add(action)
    report.updated_at, report.updated_by_id = now, user.id
    save(session)
    _audit(session, action, EventKind.ACTION_ADD, user.id, now, None, _state(action))
    return action


def update(
    session: Session,
    action: ImprovementAction,
    fields: Mapping[str, Any],
    *,
    user: User,
    now: datetime,
) -> ImprovementAction:
    """Change an open action of an open post-mortem."""
    require_open(action.postmortem)
    _require_status(action, ActionStatus.OPEN, "changed")
    if "owner_id" in fields:
        _check_owner(session, action.workspace_id, fields["owner_id"])
    kind = fields.get("kind", action.kind)
    changes = fields.get("changes", action.changes)
    if kind is not ActionKind.DRAFT_EDIT and "changes" not in fields:
        changes = None  # a kind that carries no draft change drops the old one
    _check_changes(kind, changes)
    for name in EDITABLE:
        if name in fields:
            setattr(action, name, fields[name])
    before = _state(action)
    action.changes = [dict(c) for c in changes] if changes else None
    action.updated_at = now
    save(session)
    _audit(session, action, EventKind.ACTION_CHANGE, user.id, now, before, _state(action))
    return action


def delete(session: Session, action: ImprovementAction, *, user: User, now: datetime) -> None:
    """Delete an open action of an open post-mortem (one carried out stays on record)."""
    require_open(action.postmortem)
    _require_status(action, ActionStatus.OPEN, "deleted")
    _audit(session, action, EventKind.ACTION_DELETE, user.id, now, _state(action), None)
    session.delete(action)
    save(session)


def change_status(
    session: Session,
    action: ImprovementAction,
    change: ActionChange,
    membership: Membership,
    *,
    now: datetime,
    note: str = "",
) -> ImprovementAction:
    """Complete, drop or reopen an action. Its owner may complete or reopen it; managers
    may do all three. Allowed after the sign-off: this is following it through."""
    manager = can(membership.role, Permission.SIGN_OFF)
    owner = action.owner_id == membership.user_id and change is not ActionChange.DROP
    if not (manager or owner):
        raise CueflowError(
            ErrorCode.FORBIDDEN,
            "Only the action's owner or a manager may do this"
            + (" (only managers drop actions)." if change is ActionChange.DROP else "."),
        )
    before = _state(action)
    action.status = ACTION_TRANSITIONS.after(change, action.status)
    if action.status is ActionStatus.OPEN:
        action.closed_at = action.closed_by_id = None
        action.close_note = note
    else:
        action.closed_at, action.closed_by_id, action.close_note = now, membership.user_id, note
    action.updated_at = now
    save(session)
    kind = EventKind(f"postmortem.action_{change}")
    _audit(session, action, kind, membership.user_id, now, before, _state(action), note)
    return action


def _state(action: ImprovementAction) -> dict[str, Any]:
    return {
        "action_id": action.id,
        "title": action.title,
        "kind": str(action.kind),
        "status": str(action.status),
        "owner_id": action.owner_id,
    }


def _audit(
    session: Session,
    action: ImprovementAction,
    kind: EventKind,
    actor_id: int,
    now: datetime,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    note: str = "",
) -> None:
    """Every change of an action is an event of its run's audit trail."""
    run = action.postmortem.run
    session.add(
        Event(
            workspace_id=action.workspace_id,
            run_id=run.id,
            runbook_id=run.runbook_id,
            at=now,
            actor_id=actor_id,
            kind=kind,
            before=before,
            after=after,
            note=note,
        )
    )


def apply(
    session: Session,
    action: ImprovementAction,
    *,
    expected_revision: int,
    user: User,
    now: datetime,
):
    """Apply a draft-edit action to its runbook's draft as one normal, audited draft
    edit; the action is then done. Returns the edit and the checked draft."""
    if action.kind is not ActionKind.DRAFT_EDIT:
        raise CueflowError(
            ErrorCode.ACTION_TRANSITION,
            f"Only a draft_edit action changes the draft; this one is a {action.kind}.",
        )
    _require_status(action, ActionStatus.OPEN, "applied")
    run = action.postmortem.run
    changes = action.changes or []
    edit, checked = runbooks.edit_draft(
        session,
        run.runbook,
        lambda doc: _apply_changes(doc, changes),
        expected_revision=expected_revision,
        user=user,
        now=now,
        kind="improvement_action",
        audit={"improvement_action_id": action.id, "from_run_id": run.id},
    )
    action.status = ACTION_TRANSITIONS.after(ActionChange.COMPLETE, action.status)
    action.closed_at, action.closed_by_id = now, user.id
    action.applied_revision = run.runbook.draft.revision
    action.updated_at = now
    save(session)
    return edit, checked


def _apply_changes(doc: Doc, changes: Sequence[Mapping[str, Any]]) -> Edit:
    for change in changes:
        doc = _EDITS[change["op"]](doc, change).doc
    return Edit(doc)


def carry_into(session: Session, run: Run, now: datetime) -> list[ImprovementAction]:
    """The runbook's open next-run tasks, from the post-mortems of its other runs, become
    this run's (called as the run starts). Each is carried once."""
    actions = list(
        session.scalars(
            select(ImprovementAction)
            .join(PostMortemReport, PostMortemReport.id == ImprovementAction.postmortem_id)
            .join(Run, Run.id == PostMortemReport.run_id)
            .where(
                Run.runbook_id == run.runbook_id,
                Run.id != run.id,
                ImprovementAction.kind == ActionKind.NEXT_RUN_TASK,
                ImprovementAction.status == ActionStatus.OPEN,
                ImprovementAction.carried_run_id.is_(None),
            )
            .order_by(ImprovementAction.id)
        )
    )
    for action in actions:
        action.carried_run_id, action.carried_at, action.updated_at = run.id, now, now
    return actions


def _require_status(action: ImprovementAction, status: ActionStatus, done_to_it: str) -> None:
    if action.status is not status:
        raise CueflowError(
            ErrorCode.ACTION_TRANSITION,
            f"The action is {action.status}; only an {status} action can be {done_to_it}.",
            extra={"status": str(action.status)},
        )


def _check_owner(session: Session, workspace_id: int, owner_id: int) -> None:
    member = session.scalar(
        select(Membership.id).where(
            Membership.workspace_id == workspace_id, Membership.user_id == owner_id
        )
    )
    if member is None:
        raise CueflowError(
            ErrorCode.VALIDATION,
            "The owner must be a member of this workspace.",
            errors=[FieldError("owner_id", "Not a member.")],
        )


def _check_changes(kind: ActionKind, changes: Sequence[Mapping[str, Any]] | None) -> None:
    """A draft edit carries at least one well-formed change; the other kinds carry none.
    Whether a change fits the draft is known only when it is applied."""
    if kind is not ActionKind.DRAFT_EDIT:
        if changes:
            raise CueflowError(
                ErrorCode.VALIDATION,
                f"A {kind} action carries no draft changes.",
                errors=[FieldError("changes", "Only for kind draft_edit.")],
            )
        return
    if not changes:
        raise CueflowError(
            ErrorCode.VALIDATION,
            "A draft_edit action needs the changes to make.",
            errors=[FieldError("changes", "At least one change.")],
        )
    errors: list[FieldError] = []
    for index, change in enumerate(changes):
        needs = CHANGE_OPS.get(change.get("op"))  # type: ignore[arg-type]
        if needs is None:
            errors.append(FieldError(f"changes.{index}.op", f"One of {', '.join(CHANGE_OPS)}."))
            continue
        errors += [
            FieldError(f"changes.{index}.{name}", "Missing.")
            for name in needs
            if change.get(name) is None
        ]
        if _has_nul(change):  # PostgreSQL's JSONB cannot store one
            errors.append(FieldError(f"changes.{index}", "Must not contain NUL characters."))
    if errors:
        raise CueflowError(ErrorCode.VALIDATION, "A change is incomplete.", errors=errors)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False
