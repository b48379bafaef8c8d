"""A runbook across its runs: which steps are late most often and by how much, how long
each really takes against its plan, and the durations to suggest; applying the
suggestions to the draft is one audited draft edit, guarded by If-Match like every
other draft write."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from api.access import now, require_user
from api.database import db
from api.drafts import CONFLICT, EditResultSchema, current_on_conflict, saved_payload
from api.problems import problem_doc
from api.revisions import IF_MATCH, etag, if_match
from api.runbooks import FORBIDDEN, NOT_FOUND, load_runbook
from engine import runbook_history
from engine.model.access import Permission

blp = Blueprint(
    "history",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/runbooks/<id:runbook_id>/history",
    description="A runbook's history across its runs, and the durations it suggests",
)

_LAST = ma.fields.Integer(
    load_default=runbook_history.HISTORY_RUNS,
    validate=ma.validate.Range(1, 200),
    metadata={"description": "How many of the latest ended runs to read"},
)


class HistoryQuerySchema(ma.Schema):
    last = _LAST


class NodeHistorySchema(ma.Schema):
    node_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    runs_seen = ma.fields.Integer(required=True)
    late_count = ma.fields.Integer(required=True)
    late_percent = ma.fields.Float(required=True)
    mean_late_minutes = ma.fields.Float(
        allow_none=True, required=True, metadata={"description": "Of the runs it was late in"}
    )
    mean_early_minutes = ma.fields.Float(
        allow_none=True, required=True, metadata={"description": "How early, when early"}
    )
    median_lateness_minutes = ma.fields.Float(required=True)
    worst_lateness_minutes = ma.fields.Float(required=True)
    median_actual_minutes = ma.fields.Float(allow_none=True, required=True)
    planned_minutes = ma.fields.Float(allow_none=True, required=True)
    suggested_minutes = ma.fields.Integer(allow_none=True, required=True)


class SuggestionSchema(ma.Schema):
    node_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    planned_minutes = ma.fields.Float(allow_none=True, required=True)
    median_actual_minutes = ma.fields.Float(required=True)
    suggested_minutes = ma.fields.Integer(required=True)
    runs = ma.fields.Integer(required=True)


class HistoryRunSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    go_live = ma.fields.DateTime(required=True)


class HistorySchema(ma.Schema):
    runs = ma.fields.Integer(required=True, metadata={"description": "How many runs it read"})
    run_list = ma.fields.List(
        ma.fields.Nested(HistoryRunSchema),
        required=True,
        metadata={"description": "The runs read, oldest first"},
    )
    nodes = ma.fields.List(
        ma.fields.Nested(NodeHistorySchema),
        required=True,
        metadata={"description": "Most often late first, then by mean lateness"},
    )
    suggestions = ma.fields.List(
        ma.fields.Nested(SuggestionSchema),
        required=True,
        metadata={"description": "Durations to set, in runbook order"},
    )
    draft_revision = ma.fields.Integer(
        required=True, metadata={"description": "The draft the suggestions are for (If-Match)"}
    )


class HistoryApplySchema(ma.Schema):
    last = _LAST
    node_ids = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(1, 64)),
        load_default=None,
        validate=ma.validate.Length(max=5000),
        metadata={"description": "Only these nodes' suggestions (default: every one)"},
    )


class AppliedHistorySchema(EditResultSchema):
    applied = ma.fields.List(ma.fields.Nested(SuggestionSchema), required=True)


@blp.route("")
@blp.arguments(HistoryQuerySchema, location="query")
@blp.response(200, HistorySchema, headers={"ETag": {"schema": {"type": "string"}}})
@blp.alt_response(404, **NOT_FOUND)
def get_history(query, workspace_id: int, runbook_id: int):
    """Lateness and durations per step over the runbook's latest ended runs (oldest
    first; a signed-off post-mortem counts as signed), against the draft."""
    runbook = load_runbook(workspace_id, runbook_id)
    learned, runs = runbook_history.history(db(), runbook, last=query["last"])
    return {
        **learned.as_dict(),
        "run_list": runs,
        "draft_revision": runbook.draft.revision,
    }, {"ETag": etag(runbook.draft.revision)}


@blp.route("/apply", methods=["POST"])
@blp.arguments(HistoryApplySchema, required=False)
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, AppliedHistorySchema, headers={"ETag": {"schema": {"type": "string"}}})
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **problem_doc("Nothing to apply (`history.nothing_to_apply`)"))
@blp.alt_response(412, **CONFLICT)
@blp.alt_response(428, **CONFLICT)
def apply_history(body, workspace_id: int, runbook_id: int):
    """Planners: set every suggested duration in the draft (or those of `node_ids`) as one
    draft edit, audited as `runbook.draft_edit` with edit `apply_suggestions`."""
    runbook = load_runbook(workspace_id, runbook_id, Permission.WRITE_RUNBOOKS)
    with current_on_conflict(runbook):
        applied, _, checked = runbook_history.apply_history(
            db(),
            runbook,
            expected_revision=if_match(),
            user=require_user(),
            now=now(),
            node_ids=body["node_ids"],
            last=body["last"],
        )
    db().commit()
    result = {**saved_payload(runbook, checked), "applied": [vars(s) for s in applied]}
    return result, {"ETag": etag(runbook.draft.revision)}
