"""The post-mortem (复盘) of a run: the figures (live while open, as signed once locked),
the manager's summary and improvement actions, sign-off and reopen, the signed
revisions, and the exports: Markdown, PDF with a Gantt chart, the run's tasks as CSV.

Everyone in the workspace reads a post-mortem; managers and admins write, sign off and
reopen it (`postmortems.sign_off`).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response
from flask_smorest import Blueprint

from api.access import now, require_member, require_user
from api.database import db
from api.improvement_actions import (
    ActionCreateSchema,
    ImprovementActionSchema,
    PersonSchema,
)
from api.postmortem_schemas import ActionFactsSchema, PostMortemFiguresSchema
from api.problems import problem_doc
from engine import audit, improvements, postmortems
from engine.errors import CueflowError, ErrorCode
from engine.exports.csv import TASK_COLUMNS, csv_chunks
from engine.exports.markdown import postmortem_markdown
from engine.exports.pdf import postmortem_pdf
from engine.model.access import Permission
from engine.model.review_states import ReportStatus
from engine.model.run_states import RunStatus
from engine.store.runs import Run
from engine.store.scoping import get_in_workspace

blp = Blueprint(
    "postmortems",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/runs/<id:run_id>",
    description="Post-mortems (复盘): figures, actions, sign-off, exports",
)

NOT_FOUND = problem_doc("Not a member, or no such run")
FORBIDDEN = problem_doc("Only managers and admins write and sign off post-mortems")
LOCKED = problem_doc(
    "Signed off and locked (`postmortem.locked`), the run has not ended"
    " (`postmortem.run_not_finished`), or not signed off (`postmortem.invalid_transition`)"
)
INVALID = problem_doc("A field is not valid; `errors` names each")


class SignOffSchema(ma.Schema):
    revision = ma.fields.Integer(required=True)
    signed_at = ma.fields.DateTime(required=True)
    signed_by = ma.fields.Nested(PersonSchema, allow_none=True, required=True)
    summary = ma.fields.String(required=True)


class SignedRevisionSchema(SignOffSchema):
    report = ma.fields.Nested(PostMortemFiguresSchema, required=True)
    actions = ma.fields.List(ma.fields.Nested(ActionFactsSchema), required=True)


class PostMortemSchema(ma.Schema):
    run_id = ma.fields.Integer(required=True)
    run_name = ma.fields.String(required=True)
    runbook_id = ma.fields.Integer(required=True)
    run_status = ma.fields.Enum(RunStatus, by_value=True, required=True)
    status = ma.fields.Enum(ReportStatus, by_value=True, required=True)
    revision = ma.fields.Integer(required=True)
    live = ma.fields.Boolean(
        required=True,
        metadata={"description": "true: figures read now from the events; false: as signed"},
    )
    summary = ma.fields.String(required=True)
    signed_off = ma.fields.Nested(
        SignOffSchema, allow_none=True, required=True, metadata={"description": "When locked"}
    )
    sign_offs = ma.fields.List(
        ma.fields.Nested(SignOffSchema),
        required=True,
        metadata={"description": "Every signed revision, oldest first"},
    )
    report = ma.fields.Nested(PostMortemFiguresSchema, required=True)
    actions = ma.fields.List(ma.fields.Nested(ImprovementActionSchema), required=True)


class PostMortemSummarySchema(ma.Schema):
    summary = ma.fields.String(required=True, validate=ma.validate.Length(max=20000))


class PostMortemSignOffRequestSchema(ma.Schema):
    summary = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(max=20000),
        metadata={"description": "Set the summary as it is signed (else: keep it)"},
    )


class PostMortemReopenSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 2000))


def load_run(workspace_id: int, run_id: int, permission: Permission = Permission.READ) -> Run:
    require_member(workspace_id, permission)
    return get_in_workspace(db(), Run, run_id, workspace_id)


def _sign_off(row) -> dict[str, Any]:
    return {
        "revision": row.revision,
        "signed_at": row.signed_at,
        "signed_by": row.signed_by,
        "summary": row.summary,
    }


def _payload(run: Run) -> dict[str, Any]:
    current = postmortems.view(db(), run)
    signed = current.signed
    return {
        "run_id": run.id,
        "run_name": run.name,
        "runbook_id": run.runbook_id,
        "run_status": run.status,
        "status": current.status,
        "revision": current.revision,
        "live": current.live,
        "summary": current.summary,
        "signed_off": _sign_off(signed) if signed else None,
        "sign_offs": [_sign_off(s) for s in current.row.sign_offs] if current.row else [],
        "report": current.report,
        "actions": current.actions,
    }


@blp.route("/postmortem")
@blp.response(200, PostMortemSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_postmortem(workspace_id: int, run_id: int):
    """The run's post-mortem: planned against actual per step, lateness by role and person,
    the critical path and the slack to go-live, targets against actuals, problems, and the
    improvement actions. Live while open (also during the run); as signed once locked."""
    return _payload(load_run(workspace_id, run_id))


@blp.route("/postmortem", methods=["PATCH"])
@blp.arguments(PostMortemSummarySchema)
@blp.response(200, PostMortemSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **LOCKED)
def write_summary(body, workspace_id: int, run_id: int):
    """Managers: write the summary (conclusions, what to keep, what to change)."""
    run = load_run(workspace_id, run_id, Permission.SIGN_OFF)
    postmortems.set_summary(db(), run, body["summary"], user=require_user(), now=now())
    db().commit()
    return _payload(run)


@blp.route("/postmortem/sign-off", methods=["POST"])
@blp.arguments(PostMortemSignOffRequestSchema, required=False)
@blp.response(200, PostMortemSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **LOCKED)
def sign_off(body, workspace_id: int, run_id: int):
    """Managers: sign off the post-mortem of an ended run. Its figures, summary and
    actions are stored as this revision and locked (audited: `postmortem.sign_off`)."""
    run = load_run(workspace_id, run_id, Permission.SIGN_OFF)
    postmortems.sign_off(db(), run, user=require_user(), now=now(), summary=body["summary"])
    db().commit()
    return _payload(run)


@blp.route("/postmortem/reopen", methods=["POST"])
@blp.arguments(PostMortemReopenSchema)
@blp.response(200, PostMortemSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **LOCKED)
def reopen(body, workspace_id: int, run_id: int):
    """Managers: reopen a signed-off post-mortem, with the reason, as the next revision
    (audited: `postmortem.reopen`). The signed revision stays as it was signed."""
    run = load_run(workspace_id, run_id, Permission.SIGN_OFF)
    postmortems.reopen(db(), run, user=require_user(), now=now(), reason=body["reason"])
    db().commit()
    return _payload(run)


@blp.route("/postmortem/revisions/<id:revision>")
@blp.response(200, SignedRevisionSchema)
@blp.alt_response(404, **problem_doc("No such run, or no such signed revision"))
def get_revision(workspace_id: int, run_id: int, revision: int):
    """One signed revision, exactly as it was signed."""
    run = load_run(workspace_id, run_id)
    row = postmortems.report_row(db(), run)
    for signed in row.sign_offs if row else []:
        if signed.revision == revision:
            return {**_sign_off(signed), "report": signed.report, "actions": signed.actions}
    raise CueflowError(ErrorCode.NOT_FOUND, f"Revision {revision} was never signed off")


@blp.route("/postmortem/actions", methods=["POST"])
@blp.arguments(ActionCreateSchema)
@blp.response(201, ImprovementActionSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **LOCKED)
@blp.alt_response(422, **INVALID)
def add_action(body, workspace_id: int, run_id: int):
    """Managers: add an improvement action with its owner: a follow-up, a task for the
    runbook's next run (`next_run_task`), or a change of the draft (`draft_edit`)."""
    run = load_run(workspace_id, run_id, Permission.SIGN_OFF)
    action = improvements.add(db(), run, user=require_user(), now=now(), **body)
    db().commit()
    return action


def _file(body: Any, mimetype: str, filename: str, disposition: str = "inline") -> Response:
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"'}
    return Response(body, mimetype=mimetype, headers=headers)


@blp.route("/postmortem.md")
@blp.response(200, {"type": "string"}, content_type="text/markdown")
@blp.alt_response(404, **NOT_FOUND)
def export_markdown(workspace_id: int, run_id: int):
    """The post-mortem as Markdown, to paste into a chat group or a wiki."""
    run = load_run(workspace_id, run_id)
    text = postmortem_markdown(postmortems.document(db(), run, now()))
    return _file(text, "text/markdown", f"postmortem-run-{run.id}.md", "attachment")


@blp.route("/postmortem.pdf")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
@blp.alt_response(404, **NOT_FOUND)
def export_pdf(workspace_id: int, run_id: int):
    """The post-mortem as PDF, with a Gantt chart of planned against actual."""
    run = load_run(workspace_id, run_id)
    pdf = postmortem_pdf(postmortems.document(db(), run, now()))
    return _file(pdf, "application/pdf", f"postmortem-run-{run.id}.pdf")


@blp.route("/tasks.csv")
@blp.response(200, {"type": "string"}, content_type="text/csv")
@blp.alt_response(404, **NOT_FOUND)
def export_tasks(workspace_id: int, run_id: int):
    """The run's tasks as CSV: who held and finished each, when, and how late."""
    run = load_run(workspace_id, run_id)
    rows = audit.task_rows(db(), run)
    text = "".join(csv_chunks(TASK_COLUMNS, rows, zone=postmortems.zone_of(run)))
    return _file(text, "text/csv", f"tasks-run-{run.id}.csv", "attachment")
