"""The draft graph of a runbook, for the visual editor: read it, replace it whole, or edit it
node by node; validate, auto-layout and plan it.

Every write needs `If-Match` with the draft's revision (api/revisions.py) and answers with
the new revision (also as ETag) and the whole validation result, so a canvas can stay a
thin client: it sends intents and draws what comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import marshmallow as ma
from flask import request
from flask_smorest import Blueprint

from api.access import now, require_user
from api.database import db
from api.problems import problem_doc
from api.revisions import IF_MATCH, etag, if_match
from api.runbooks import FORBIDDEN, GRAPH_BODY, INVALID, NOT_FOUND, TOO_LARGE, load_runbook
from api.schemas import GraphProblemSchema, json_body, time_zone_field
from engine import runbooks
from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model import draft_edits
from engine.model.access import Permission
from engine.model.draft_edits import Edit
from engine.model.graph_format import EdgeSchema, NodeSchema, field_errors
from engine.model.layout import layout
from engine.model.schedule import plan
from engine.store.runbooks import Runbook

blp = Blueprint(
    "drafts",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/runbooks/<id:runbook_id>/draft",
    description="The editable draft graph of a runbook",
)

CONFLICT = problem_doc(
    "The draft changed since your revision (412, with `current_revision` and `current`),"
    " or If-Match is missing (428)"
)
DUPLICATE = problem_doc("The id is already used in this draft")
_WRITE_DOCS = {"parameters": [IF_MATCH]}


class CountsSchema(ma.Schema):
    errors = ma.fields.Integer(required=True)
    warnings = ma.fields.Integer(required=True)


class ProblemsSchema(ma.Schema):
    problems = ma.fields.List(ma.fields.Nested(GraphProblemSchema), required=True)
    counts = ma.fields.Nested(CountsSchema, required=True)


class SavedSchema(ProblemsSchema):
    runbook_id = ma.fields.Integer(required=True)
    revision = ma.fields.Integer(required=True)
    updated_at = ma.fields.DateTime(required=True)


class DraftSchema(SavedSchema):
    graph = ma.fields.Raw(required=True, metadata={"description": "The graph document"})


class EditResultSchema(SavedSchema):
    node = ma.fields.Raw(metadata={"description": "The node as saved"})
    edge = ma.fields.Raw(metadata={"description": "The edge as saved"})
    removed_edges = ma.fields.List(ma.fields.String())
    positions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.Float()))
    lanes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.Float()))


class PositionSchema(ma.Schema):
    id = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    x = ma.fields.Float(required=True, allow_nan=False, validate=ma.validate.Range(-1e7, 1e7))
    y = ma.fields.Float(required=True, allow_nan=False, validate=ma.validate.Range(-1e7, 1e7))


class PositionsSchema(ma.Schema):
    positions = ma.fields.List(
        ma.fields.Nested(PositionSchema), required=True, validate=ma.validate.Length(max=5000)
    )


class PlanQuerySchema(ma.Schema):
    go_live = ma.fields.AwareDateTime(
        required=True, metadata={"description": "Go-live with its UTC offset (ISO 8601)"}
    )
    tz = time_zone_field(load_default="Asia/Shanghai")


class PlannedNodeSchema(ma.Schema):
    node_id = ma.fields.String(required=True)
    start_offset_minutes = ma.fields.Integer(required=True)
    due_offset_minutes = ma.fields.Integer(required=True)
    planned_start = ma.fields.DateTime(required=True)
    planned_due = ma.fields.DateTime(required=True)
    latest_start_offset_minutes = ma.fields.Integer(required=True)
    slack_minutes = ma.fields.Integer(required=True)
    pinned = ma.fields.Boolean(required=True)
    critical = ma.fields.Boolean(required=True)


class IntervalSchema(ma.Schema):
    node_id = ma.fields.String(required=True)
    start = ma.fields.Integer(required=True)
    end = ma.fields.Integer(required=True)


class RoleLoadSchema(ma.Schema):
    role = ma.fields.String(required=True)
    max_overlap = ma.fields.Integer(required=True)
    steps = ma.fields.List(ma.fields.List(ma.fields.Integer()), required=True)
    intervals = ma.fields.List(ma.fields.Nested(IntervalSchema), required=True)


class PlanSchema(ma.Schema):
    go_live = ma.fields.DateTime(required=True)
    tz = ma.fields.String(required=True)
    nodes = ma.fields.List(ma.fields.Nested(PlannedNodeSchema), required=True)
    critical_path_to_go_live = ma.fields.List(ma.fields.String(), required=True)
    critical_path_to_end = ma.fields.List(ma.fields.String(), required=True)
    role_loads = ma.fields.List(ma.fields.Nested(RoleLoadSchema), required=True)
    problems = ma.fields.List(ma.fields.Nested(GraphProblemSchema), required=True)


def problems_payload(checked: runbooks.Checked) -> dict[str, Any]:
    return {
        "problems": [p.as_dict() for p in checked.problems],
        "counts": {"errors": checked.errors, "warnings": checked.warnings},
    }


def saved_payload(runbook: Runbook, checked: runbooks.Checked) -> dict[str, Any]:
    draft = runbook.draft
    return {
        "runbook_id": runbook.id,
        "revision": draft.revision,
        "updated_at": draft.updated_at,
        **problems_payload(checked),
    }


def draft_payload(runbook: Runbook) -> dict[str, Any]:
    checked = runbooks.check_stored(runbook.draft.graph)
    return {**saved_payload(runbook, checked), "graph": runbook.draft.graph}


def plan_payload(result) -> dict[str, Any]:
    critical = set(result.critical_path_to_go_live) | set(result.critical_path_to_end)
    return {
        "go_live": result.go_live,
        "tz": result.tz,
        "nodes": [{**vars(p), "critical": p.node_id in critical} for p in result.nodes.values()],
        "critical_path_to_go_live": list(result.critical_path_to_go_live),
        "critical_path_to_end": list(result.critical_path_to_end),
        "role_loads": [
            {
                "role": load.role,
                "max_overlap": load.max_overlap,
                "steps": [list(step) for step in load.steps],
                "intervals": [
                    {"node_id": n, "start": start, "end": end} for n, start, end in load.intervals
                ],
            }
            for load in result.role_loads.values()
        ],
        "problems": [p.as_dict() for p in result.problems],
    }


@contextmanager
def current_on_conflict(runbook: Runbook) -> Iterator[None]:
    """A refused write (412) carries the current draft, so the editor can merge or reload."""
    try:
        yield
    except CueflowError as exc:
        if exc.code is ErrorCode.PRECONDITION_FAILED:
            exc.extra["current_revision"] = runbook.draft.revision
            exc.extra["current"] = draft_payload(runbook)
        raise


def _headers(runbook: Runbook) -> dict[str, str]:
    return {"ETag": etag(runbook.draft.revision)}


def _writable(workspace_id: int, runbook_id: int) -> Runbook:
    return load_runbook(workspace_id, runbook_id, Permission.WRITE_RUNBOOKS)


def _object_body(what: str) -> dict[str, Any]:
    body = json_body()
    if not isinstance(body, dict):
        raise CueflowError(
            ErrorCode.GRAPH_INVALID, errors=[FieldError("", f"{what} is a JSON object.")]
        )
    return body


def _edit(runbook: Runbook, change: Callable[[dict[str, Any]], Edit], status: int = 200):
    with current_on_conflict(runbook):
        edit, checked = runbooks.edit_draft(
            db(),
            runbook,
            change,
            expected_revision=if_match(),
            user=require_user(),
            now=now(),
            kind=request.endpoint.rpartition(".")[2],  # the route's name: add_node, ...
        )
    db().commit()
    result = saved_payload(runbook, checked)
    if edit.node is not None:
        result["node"] = edit.node
    if edit.edge is not None:
        result["edge"] = edit.edge
    if edit.removed_edges:
        result["removed_edges"] = list(edit.removed_edges)
    return result, status, _headers(runbook)


@blp.route("")
@blp.response(200, DraftSchema, headers={"ETag": {"schema": {"type": "string"}}})
@blp.alt_response(404, **NOT_FOUND)
def get_draft(workspace_id: int, runbook_id: int):
    """The draft graph with its revision (also the ETag) and its validation problems."""
    runbook = load_runbook(workspace_id, runbook_id)
    return draft_payload(runbook), _headers(runbook)


@blp.route("", methods=["PUT"])
@blp.doc(requestBody=GRAPH_BODY, **_WRITE_DOCS)
@blp.response(200, SavedSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(412, **CONFLICT)
@blp.alt_response(413, **TOO_LARGE)
@blp.alt_response(422, **INVALID)
@blp.alt_response(428, **CONFLICT)
def replace_draft(workspace_id: int, runbook_id: int):
    """Replace the whole draft graph, if it is still at the revision named by If-Match."""
    runbook = _writable(workspace_id, runbook_id)
    with current_on_conflict(runbook):
        checked = runbooks.save_draft(
            db(),
            runbook,
            json_body(),
            expected_revision=if_match(),
            user=require_user(),
            now=now(),
        )
    db().commit()
    return saved_payload(runbook, checked), _headers(runbook)


_EDIT_RESPONSES = [
    (403, FORBIDDEN),
    (404, problem_doc("No such runbook, node or edge")),
    (409, DUPLICATE),
    (412, CONFLICT),
    (422, INVALID),
    (428, CONFLICT),
]


def _edit_route(rule: str, method: str, body_schema: Any = None, status: int = 200):
    """Register a fine-grained edit: its body schema for the docs, If-Match, its errors."""

    def register(view):
        doc: dict[str, Any] = dict(_WRITE_DOCS)
        if body_schema is not None:
            doc["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": body_schema}},
            }
        view = blp.doc(**doc)(view)
        for code, kwargs in _EDIT_RESPONSES:
            view = blp.alt_response(code, **kwargs)(view)
        view = blp.response(status, EditResultSchema)(view)
        return blp.route(rule, methods=[method])(view)

    return register


@_edit_route("/nodes", "POST", NodeSchema(partial=("id",)), status=201)
def add_node(workspace_id: int, runbook_id: int):
    """Add a node (its id is generated when left out, e.g. `task_3`)."""
    runbook = _writable(workspace_id, runbook_id)
    node = _object_body("A node")
    return _edit(runbook, lambda doc: draft_edits.add_node(doc, node), status=201)


@_edit_route("/nodes/<node_id>", "PATCH", NodeSchema(partial=True, exclude=("id",)))
def update_node(workspace_id: int, runbook_id: int, node_id: str):
    """Change some of a node's fields; a new kind without settings starts from defaults."""
    runbook = _writable(workspace_id, runbook_id)
    changes = _object_body("A node change")
    return _edit(runbook, lambda doc: draft_edits.update_node(doc, node_id, changes))


@_edit_route("/nodes/<node_id>", "DELETE")
def delete_node(workspace_id: int, runbook_id: int, node_id: str):
    """Delete a node and the edges touching it (listed in `removed_edges`)."""
    runbook = _writable(workspace_id, runbook_id)
    return _edit(runbook, lambda doc: draft_edits.delete_node(doc, node_id))


@_edit_route("/edges", "POST", EdgeSchema(partial=("id",)), status=201)
def add_edge(workspace_id: int, runbook_id: int):
    """Connect two nodes of the draft (its id is generated when left out, e.g. `e12`)."""
    runbook = _writable(workspace_id, runbook_id)
    edge = _object_body("An edge")
    return _edit(runbook, lambda doc: draft_edits.add_edge(doc, edge), status=201)


@_edit_route(
    "/edges/<edge_id>",
    "PATCH",
    EdgeSchema(only=("condition", "is_default", "label"), partial=True),
)
def update_edge(workspace_id: int, runbook_id: int, edge_id: str):
    """Change an edge's condition, default flag or label."""
    runbook = _writable(workspace_id, runbook_id)
    changes = _object_body("An edge change")
    return _edit(runbook, lambda doc: draft_edits.update_edge(doc, edge_id, changes))


@_edit_route("/edges/<edge_id>", "DELETE")
def delete_edge(workspace_id: int, runbook_id: int, edge_id: str):
    """Disconnect: delete one edge."""
    runbook = _writable(workspace_id, runbook_id)
    return _edit(runbook, lambda doc: draft_edits.delete_edge(doc, edge_id))


@_edit_route("/positions", "POST", PositionsSchema)
def move_nodes(workspace_id: int, runbook_id: int):
    """Move many nodes at once: `{"positions": [{"id": "n1", "x": 0, "y": 120}, ...]}`."""
    runbook = _writable(workspace_id, runbook_id)
    body = _load(PositionsSchema(), _object_body("A move"))
    moves = [(p["id"], p["x"], p["y"]) for p in body["positions"]]
    return _edit(runbook, lambda doc: draft_edits.move_nodes(doc, moves))


@_edit_route("/layout", "POST")
def auto_layout(workspace_id: int, runbook_id: int):
    """Auto-layout: three phase lanes left to right, edges flowing forward. Saves the
    positions and returns them with the lanes' bounds."""
    runbook = _writable(workspace_id, runbook_id)
    computed = layout(runbooks.check_stored(runbook.draft.graph).graph)
    moves = [(node_id, x, y) for node_id, (x, y) in computed.positions.items()]
    result, status, headers = _edit(runbook, lambda doc: draft_edits.move_nodes(doc, moves))
    result["positions"] = {node_id: [x, y] for node_id, x, y in moves}
    result["lanes"] = {str(phase): list(bounds) for phase, bounds in computed.lanes.items()}
    return result, status, headers


def _load(schema: ma.Schema, body: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema.load(body)
    except ma.ValidationError as exc:
        raise CueflowError(ErrorCode.VALIDATION, errors=field_errors(exc.messages, {})) from None


@blp.route("/problems")
@blp.response(200, ProblemsSchema)
@blp.alt_response(404, **NOT_FOUND)
def draft_problems(workspace_id: int, runbook_id: int):
    """Validate the draft: every problem with its code, severity and node or edge ids."""
    runbook = load_runbook(workspace_id, runbook_id)
    return problems_payload(runbooks.check_stored(runbook.draft.graph))


@blp.route("/plan")
@blp.arguments(PlanQuerySchema, location="query")
@blp.response(200, PlanSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(422, **INVALID)
def draft_plan(query, workspace_id: int, runbook_id: int):
    """The planned schedule for a go-live time: start and due of every node, slack, critical
    paths, and each role's load (the editor's timeline preview)."""
    runbook = load_runbook(workspace_id, runbook_id)
    graph = runbooks.check_stored(runbook.draft.graph).graph
    return plan_payload(plan(graph, query["go_live"], query["tz"]))
