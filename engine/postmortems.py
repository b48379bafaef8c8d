"""Post-mortems (复盘) of runs: the facts of a run read from the store for the pure
analysis (engine/model/postmortem.py), and the report's summary, sign-off and reopen.
Across runs: engine/runbook_history.py. Improvement actions: engine/improvements.py.

An open report's figures are read from the run's events each time (the events are the
record; nothing is stored twice). Signing off stores the figures, the summary and the
actions as they were signed, as a numbered revision, and locks the report: a later
change is refused with `postmortem.locked` until a manager reopens it, with a reason,
which starts the next revision. Sign-off and reopen are events of the run's log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import CueflowError, ErrorCode
from engine.executor.advance import record
from engine.executor.graphs import graph_of_run
from engine.exports.document import ReportDocument
from engine.model.events import EventKind
from engine.model.postmortem import EventRecord, RunFacts, analyse
from engine.model.review_states import REPORT_TRANSITIONS, ReportAction, ReportStatus
from engine.model.run_states import RunStatus
from engine.store.accounts import User
from engine.store.postmortems import ImprovementAction, PostMortemReport, PostMortemSignOff
from engine.store.runs import Event, RosterEntry, Run, RunNode

ENDED = (RunStatus.COMPLETED, RunStatus.CANCELLED)
_REPORT_KINDS = "postmortem.%"  # events about the report, not the run: not its facts


# ----- the facts of a run --------------------------------------------------------------


def facts_of(session: Session, run: Run) -> RunFacts:
    """What the analysis reads of one run: its graph, plan, events, roster and names."""
    planned = {
        node_id: (start, due)
        for node_id, start, due in session.execute(
            select(RunNode.node_id, RunNode.planned_start, RunNode.planned_due).where(
                RunNode.run_id == run.id
            )
        )
    }
    events = tuple(events_of(session, run.id))
    roster: dict[str, list[int]] = {}
    for role, user_id in session.execute(
        select(RosterEntry.role, RosterEntry.user_id)
        .where(RosterEntry.run_id == run.id)
        .order_by(RosterEntry.id)
    ):
        roster.setdefault(role, []).append(user_id)
    people = {e.actor_id for e in events} | {u for ids in roster.values() for u in ids}
    return RunFacts(
        graph=graph_of_run(session, run),
        go_live=run.go_live,
        tz=run.tz,
        planned=planned,
        events=events,
        variables=dict(run.variables or {}),
        roster=roster,
        names=names_of(session, people),
    )


def events_of(session: Session, run_id: int) -> list[EventRecord]:
    """The run's own log in id order: every event but those about its post-mortem."""
    rows = session.execute(
        select(
            Event.id,
            Event.at,
            Event.kind,
            Event.actor_id,
            Event.node_id,
            Event.task_id,
            Event.before,
            Event.after,
            Event.note,
        )
        .where(Event.run_id == run_id, Event.kind.not_like(_REPORT_KINDS))
        .order_by(Event.id)
    )
    return [EventRecord(*row) for row in rows]


def names_of(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    wanted = [u for u in user_ids if u is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def zone_of(run: Run) -> ZoneInfo:
    return ZoneInfo(run.tz)


def live_report(session: Session, run: Run) -> dict[str, Any]:
    """The run's post-mortem as it stands now, read from its events (JSON-ready)."""
    return analyse(facts_of(session, run)).as_dict()


# ----- the report: summary, sign-off, reopen -------------------------------------------


def report_row(session: Session, run: Run) -> PostMortemReport | None:
    return session.scalar(select(PostMortemReport).where(PostMortemReport.run_id == run.id))


def ensure_report(session: Session, run: Run, now: datetime) -> PostMortemReport:
    """The run's report row, made (open, revision 1) on the first change."""
    row = report_row(session, run)
    if row is None:
        row = PostMortemReport(
            workspace_id=run.workspace_id,
            run_id=run.id,
            status=ReportStatus.OPEN,
            revision=1,
            summary="",
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        save(session)
    return row


def save(session: Session) -> None:
    """Flush; a concurrent change of the same report or action is a clear 409."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError):
        session.rollback()
        raise CueflowError(
            ErrorCode.CONFLICT,
            "Someone else changed this post-mortem a moment ago; reload it and try again.",
        ) from None


def require_open(row: PostMortemReport) -> None:
    """Refuse a change of a signed-off report (409 `postmortem.locked`)."""
    if row.status is ReportStatus.SIGNED_OFF:
        raise CueflowError(
            ErrorCode.POSTMORTEM_LOCKED,
            f"Revision {row.revision} of this post-mortem is signed off and locked; a"
            " manager reopens it (with a reason) to change it.",
            extra={"revision": row.revision, "status": str(row.status)},
        )


def set_summary(session: Session, run: Run, summary: str, *, user: User, now: datetime):
    row = ensure_report(session, run, now)
    require_open(row)
    row.summary, row.updated_at, row.updated_by_id = summary, now, user.id
    save(session)
    return row


def sign_off(
    session: Session, run: Run, *, user: User, now: datetime, summary: str | None = None
) -> PostMortemReport:
    """Store the figures, summary and actions as revision n, and lock the report."""
    if run.status not in ENDED:
        raise CueflowError(
            ErrorCode.RUN_NOT_FINISHED,
            f"The run is {run.status}; sign off its post-mortem once it has ended.",
            extra={"status": str(run.status)},
        )
    row = ensure_report(session, run, now)
    require_open(row)
    REPORT_TRANSITIONS.after(ReportAction.SIGN_OFF, row.status)
    if summary is not None:
        row.summary = summary
    report = live_report(session, run)
    actions = [action_facts(a, zone_of(run)) for a in actions_of(session, row)]
    row.sign_offs.append(
        PostMortemSignOff(
            revision=row.revision,
            signed_at=now,
            signed_by_id=user.id,
            summary=row.summary,
            report=report,
            actions=actions,
        )
    )
    row.status, row.updated_at, row.updated_by_id = ReportStatus.SIGNED_OFF, now, user.id
    save(session)
    on_time = report["on_time"]
    record(
        session,
        run,
        EventKind.POSTMORTEM_SIGN_OFF,
        at=now,
        actor_id=user.id,
        before={"status": str(ReportStatus.OPEN), "revision": row.revision},
        after={
            "status": str(row.status),
            "revision": row.revision,
            "on_time_percent": on_time["percent"],
            "judged": on_time["judged"],
            "actions": len(actions),
        },
    )
    return row


def reopen(session: Session, run: Run, *, user: User, now: datetime, reason: str):
    """Unlock a signed-off report as the next revision; the signed ones stay as signed."""
    row = report_row(session, run)
    if row is None:
        raise CueflowError(
            ErrorCode.POSTMORTEM_TRANSITION, "The post-mortem has not been signed off yet."
        )
    REPORT_TRANSITIONS.after(ReportAction.REOPEN, row.status)
    before = {"status": str(row.status), "revision": row.revision}
    row.status, row.revision = ReportStatus.OPEN, row.revision + 1
    row.updated_at, row.updated_by_id = now, user.id
    save(session)
    after = {"status": str(row.status), "revision": row.revision}
    record(
        session,
        run,
        EventKind.POSTMORTEM_REOPEN,
        at=now,
        actor_id=user.id,
        before=before,
        after=after,
        note=reason,
    )
    return row


def actions_of(session: Session, row: PostMortemReport | None) -> list[ImprovementAction]:
    if row is None:
        return []
    return list(
        session.scalars(
            select(ImprovementAction)
            .where(ImprovementAction.postmortem_id == row.id)
            .order_by(ImprovementAction.id)
        )
    )


def action_facts(action: ImprovementAction, zone: ZoneInfo) -> dict[str, Any]:
    """An action as a report shows it (and a sign-off keeps it); times in the run's zone."""
    due = action.due
    return {
        "id": action.id,
        "title": action.title,
        "detail": action.detail,
        "kind": str(action.kind),
        "status": str(action.status),
        "owner_id": action.owner_id,
        "owner": action.owner.name if action.owner else "",
        "node_id": action.node_id,
        "due_at": due.astimezone(zone).isoformat() if due else None,
        "carried_run_id": action.carried_run_id,
        "applied_revision": action.applied_revision,
    }


@dataclass(frozen=True)
class ReportView:
    """A run's post-mortem as the API serves it: live while open, as signed when locked."""

    run: Run
    row: PostMortemReport | None
    report: dict[str, Any]
    live: bool
    actions: list[ImprovementAction]

    @property
    def status(self) -> ReportStatus:
        return self.row.status if self.row else ReportStatus.OPEN

    @property
    def revision(self) -> int:
        return self.row.revision if self.row else 1

    @property
    def signed(self) -> PostMortemSignOff | None:
        if self.row is None or self.row.status is not ReportStatus.SIGNED_OFF:
            return None
        return self.row.sign_offs[-1]

    @property
    def summary(self) -> str:
        signed = self.signed
        return signed.summary if signed else (self.row.summary if self.row else "")


def view(session: Session, run: Run) -> ReportView:
    row = report_row(session, run)
    signed = row.sign_offs[-1] if row and row.status is ReportStatus.SIGNED_OFF else None
    report = signed.report if signed else live_report(session, run)
    return ReportView(run, row, report, signed is None, actions_of(session, row))


def document(session: Session, run: Run, now: datetime) -> ReportDocument:
    """The post-mortem as an export renders it (Markdown, PDF)."""
    current = view(session, run)
    zone = zone_of(run)
    signed = current.signed
    return ReportDocument(
        run_id=run.id,
        run_name=run.name,
        runbook_name=run.runbook.name,
        version=run.version.number,
        run_status=str(run.status),
        status=str(current.status),
        revision=current.revision,
        live=current.live,
        summary=current.summary,
        signed_at=signed.signed_at.astimezone(zone).isoformat() if signed else None,
        signed_by=signed.signed_by.name if signed and signed.signed_by else None,
        generated_at=now.astimezone(zone).isoformat(),
        report=current.report,
        actions=[action_facts(a, zone) for a in current.actions],
    )
