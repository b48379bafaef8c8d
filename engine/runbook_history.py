"""A runbook across its runs: which steps are late most often and by how much, how long
each really takes, and the durations to suggest (engine/model/history.py), read from the
runbook's latest ended runs; applying the suggestions is one audited draft edit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import runbooks
from engine.errors import CueflowError, ErrorCode
from engine.model.draft_edits import Edit
from engine.model.history import (
    RunbookHistory,
    actuals_from_dict,
    actuals_of,
    apply_suggestions,
    runbook_history,
)
from engine.model.postmortem import analyse
from engine.model.review_states import ReportStatus
from engine.postmortems import ENDED, facts_of
from engine.store.accounts import User
from engine.store.postmortems import PostMortemReport, PostMortemSignOff
from engine.store.runbooks import Runbook
from engine.store.runs import Run

HISTORY_RUNS = 20  # the latest ended runs a runbook's history reads, by default


def history(
    session: Session, runbook: Runbook, *, last: int = HISTORY_RUNS
) -> tuple[RunbookHistory, list[Run]]:
    """Lateness and durations per node over the runbook's latest ended runs (oldest
    first), against its draft. A signed-off run counts as signed; another as it stands."""
    runs = list(
        session.scalars(
            select(Run)
            .where(Run.runbook_id == runbook.id, Run.status.in_(ENDED))
            .order_by(Run.go_live.desc(), Run.id.desc())
            .limit(last)
        )
    )[::-1]
    signed = {
        run_id: report
        for run_id, report in session.execute(
            select(PostMortemReport.run_id, PostMortemSignOff.report)
            .join(PostMortemSignOff, PostMortemSignOff.postmortem_id == PostMortemReport.id)
            .where(
                PostMortemReport.run_id.in_([r.id for r in runs]),
                PostMortemReport.status == ReportStatus.SIGNED_OFF,
                PostMortemSignOff.revision == PostMortemReport.revision,
            )
        )
    }
    actuals = [
        actuals_from_dict(run.id, signed[run.id])
        if run.id in signed
        else actuals_of(run.id, analyse(facts_of(session, run)))
        for run in runs
    ]
    draft = runbooks.check_stored(runbook.draft.graph).graph
    return runbook_history(actuals, draft), runs


def apply_history(
    session: Session,
    runbook: Runbook,
    *,
    expected_revision: int,
    user: User,
    now: datetime,
    node_ids: list[str] | None = None,
    last: int = HISTORY_RUNS,
):
    """Set every suggested duration (or those of `node_ids`) in the draft as one audited
    draft edit. Returns the suggestions applied, the edit and the checked draft."""
    runbooks.require_revision(runbook.draft, expected_revision)
    learned, _ = history(session, runbook, last=last)
    chosen = [s for s in learned.suggestions if node_ids is None or s.node_id in node_ids]
    if not chosen:
        raise CueflowError(
            ErrorCode.NOTHING_TO_APPLY,
            "The runbook's history suggests no duration to change"
            + (" for these nodes." if node_ids is not None else "."),
        )
    edit, checked = runbooks.edit_draft(
        session,
        runbook,
        lambda doc: Edit(apply_suggestions(doc, chosen)),
        expected_revision=expected_revision,
        user=user,
        now=now,
        kind="apply_suggestions",
        audit={"node_ids": [s.node_id for s in chosen], "runs": learned.runs},
    )
    return chosen, edit, checked
