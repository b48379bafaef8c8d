"""The audit trail of a workspace: every state change as an append-only event (who, when,
what, before and after), listed with filters and keyset paging, or exported as CSV.

Read-only by design: there is no route that changes or deletes an event. Managers and
admins read it (`audit.read`).
"""

from __future__ import annotations

import marshmallow as ma
from flask import Response, stream_with_context
from flask_smorest import Blueprint

from api.access import require_member
from api.database import database, db
from api.openapi import MAX_ID
from api.problems import problem_doc
from engine import audit
from engine.exports.csv import EVENT_COLUMNS, csv_chunks
from engine.model.access import Permission

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>",
    description="The audit trail: every change, append-only",
)

NOT_FOUND = problem_doc("Not a member of this workspace")
FORBIDDEN = problem_doc("Only managers and admins read the audit trail")
_ID = {"load_default": None, "validate": ma.validate.Range(1, MAX_ID)}
CSV = "text/csv"


class EventFilterSchema(ma.Schema):
    run_id = ma.fields.Integer(**_ID, metadata={"description": "Only this run's events"})
    runbook_id = ma.fields.Integer(
        **_ID, metadata={"description": "Only this runbook's (its edits and its runs')"}
    )
    actor_id = ma.fields.Integer(**_ID, metadata={"description": "Only this person's"})
    kind = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(audit.KIND_FILTERS)),
        load_default=list,
        validate=ma.validate.Length(max=50),
        metadata={"description": "Kinds (repeat for several), or families such as `task.*`"},
    )
    since = ma.fields.AwareDateTime(
        load_default=None, metadata={"description": "At or after this time"}
    )
    until = ma.fields.AwareDateTime(load_default=None, metadata={"description": "Before this time"})


class EventPageQuerySchema(EventFilterSchema):
    q = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=200),
        metadata={
            "description": "Words in the note, the actor's name, the run's name or a node's title"
        },
    )
    after_id = ma.fields.Integer(
        **_ID,
        metadata={"description": "The `next` of the previous page: continue after that event"},
    )
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(1, 500))


class AuditEventSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    at = ma.fields.DateTime(required=True)
    kind = ma.fields.String(required=True)
    actor_id = ma.fields.Integer(allow_none=True, required=True)
    actor = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "The actor's name"}
    )
    run_id = ma.fields.Integer(allow_none=True, required=True)
    runbook_id = ma.fields.Integer(allow_none=True, required=True)
    node_id = ma.fields.String(allow_none=True, required=True)
    task_id = ma.fields.Integer(allow_none=True, required=True)
    before = ma.fields.Dict(allow_none=True, required=True)
    after = ma.fields.Dict(allow_none=True, required=True)
    note = ma.fields.String(required=True)
    run_name = ma.fields.String(allow_none=True, required=True)
    runbook_name = ma.fields.String(allow_none=True, required=True)
    node_title = ma.fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The node's title in the version its run runs"},
    )
    people = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={"description": "Names of the people `before` and `after` name by id"},
    )


class EventPageSchema(ma.Schema):
    events = ma.fields.List(ma.fields.Nested(AuditEventSchema), required=True)
    next = ma.fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `after_id` for the next (older) page; null: no more"},
    )


def _filter(query) -> audit.EventFilter:
    return audit.EventFilter(
        run_id=query["run_id"],
        runbook_id=query["runbook_id"],
        actor_id=query["actor_id"],
        kinds=tuple(query["kind"]),
        since=query["since"],
        until=query["until"],
        q=query.get("q", ""),
    )


@blp.route("/events")
@blp.arguments(EventPageQuerySchema, location="query")
@blp.response(200, EventPageSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
def list_events(query, workspace_id: int):
    """Events of the workspace, newest first, `limit` a page; filter by run, runbook,
    actor, kind, time and words (`q`). Each event carries the names a sentence about it
    needs: its run's, its runbook's, its node's title and the people it names.
    The next page: `after_id` = this page's `next`."""
    require_member(workspace_id, Permission.READ_AUDIT)
    rows, cursor = audit.page(
        db(), workspace_id, _filter(query), after_id=query["after_id"], limit=query["limit"]
    )
    context = audit.context_of(db(), rows)
    return {"events": [context.row(r) for r in rows], "next": cursor}


@blp.route("/events.csv")
@blp.arguments(EventFilterSchema, location="query")
@blp.response(
    200,
    {"type": "string"},
    content_type=CSV,
    description="Every event that passes the filters, oldest first, as CSV (UTF-8 with BOM)",
)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
def export_events(query, workspace_id: int):
    """The audit trail as CSV for a spreadsheet: same filters, no paging, oldest first."""
    require_member(workspace_id, Permission.READ_AUDIT)
    where = _filter(query)
    sessions = database().sessions

    def chunks():
        with sessions() as session:
            yield from csv_chunks(EVENT_COLUMNS, audit.event_rows(session, workspace_id, where))

    return Response(
        stream_with_context(chunks()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="events-{workspace_id}.csv"'},
    )
