"""Live updates for the browser: a server-sent event stream of the workspace's changes.

Every state change is an event row (the audit trail), so the stream simply follows the
events table: each connection polls for rows newer than the last one it sent, every
`STREAM_POLL_SECONDS` (0.5 s by default), and sends each as an SSE message with its id.
A connection lives `STREAM_SECONDS` (25 s by default), then ends; the browser's
EventSource reconnects by itself and sends `Last-Event-ID`, so nothing is missed. A
message carries what changed (kind, run, node, task), not the data itself: the page
fetches what it shows through the normal API, with the normal permissions.

Each open stream holds one web thread while it lives (gunicorn gthread): size
`--threads` for the number of open pages (README, production deployment).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import marshmallow as ma
from flask import Response, current_app, json, request, stream_with_context
from flask_smorest import Blueprint
from sqlalchemy import func, select

from api.access import require_member
from api.database import database
from api.openapi import MAX_ID
from api.problems import problem_doc
from engine.store.runs import Event

blp = Blueprint(
    "streams",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/stream",
    description="Server-sent events: live updates for pages",
)

BATCH = 200
KEEP_ALIVE = 15.0  # seconds between comments on a quiet stream, so proxies keep it open
# One server-sent message, as a client's EventSource parses it.
SSE_MESSAGE = {
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "id": {"type": "string"},
        "data": {"type": "string", "description": "JSON: {id, kind, run_id, node_id, task_id, at}"},
        "retry": {"type": "integer"},
    },
}


class StreamQuerySchema(ma.Schema):
    run_id = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "Only this run's changes"},
    )
    after = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(0, 2**31 - 1),  # event ids are PostgreSQL integers
        metadata={"description": "Send events after this id (else: only new ones)"},
    )


def _message(row) -> str:
    data = {
        "id": row.id,
        "kind": row.kind,
        "run_id": row.run_id,
        "node_id": row.node_id,
        "task_id": row.task_id,
        "at": row.at.isoformat(),
    }
    return f"id: {row.id}\nevent: change\ndata: {json.dumps(data)}\n\n"


@blp.route("")
@blp.arguments(StreamQuerySchema, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "`text/event-stream`: `event: change` messages, each with the id "
            "of the event and `{id, kind, run_id, node_id, task_id, at}` as data",
            "content": {"text/event-stream": {"schema": SSE_MESSAGE}},
        }
    }
)
@blp.alt_response(404, **problem_doc("Not a member of this workspace"))
def stream(query, workspace_id: int):
    """Changes in the workspace (or one run) as they happen, for live pages."""
    require_member(workspace_id)
    last_seen = request.headers.get("Last-Event-ID", "")
    resumable = last_seen.isdigit() and len(last_seen) <= 10 and int(last_seen) <= MAX_ID
    start = int(last_seen) if resumable else query["after"]
    config = current_app.config
    lifetime = float(config.get("STREAM_SECONDS", 25.0))
    poll = float(config.get("STREAM_POLL_SECONDS", 0.5))
    sessions = database().sessions

    def changes() -> Iterator[str]:
        with sessions() as session:
            last = start
            if last is None:
                last = session.scalar(select(func.max(Event.id))) or 0
            condition = [Event.workspace_id == workspace_id]
            if query["run_id"] is not None:
                condition.append(Event.run_id == query["run_id"])
            # The id the browser resumes from, even if nothing happens before it reconnects.
            yield f"retry: {int(poll * 2000)}\nid: {last}\n\n"
            deadline, quiet_since = time.monotonic() + lifetime, time.monotonic()
            while True:
                rows = session.execute(
                    select(
                        Event.id, Event.kind, Event.run_id, Event.node_id, Event.task_id, Event.at
                    )
                    .where(*condition, Event.id > last)
                    .order_by(Event.id)
                    .limit(BATCH)
                ).all()
                session.rollback()  # end the read, so the next poll sees new commits
                for row in rows:
                    last = row.id
                    yield _message(row)
                if rows:
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since > KEEP_ALIVE:
                    quiet_since = time.monotonic()
                    yield ": still here\n\n"
                if time.monotonic() >= deadline:
                    return
                time.sleep(poll)

    return Response(
        stream_with_context(changes()),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
