"""Runbooks of a workspace: create (empty, from a template or a graph), list, rename, tag,
duplicate, archive, export and import. The draft and versions have their own blueprints."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, json
from flask_smorest import Blueprint

from api import paging
from api.access import now, require_member, require_user
from api.database import db
from api.openapi import created_links
from api.problems import problem_doc
from api.schemas import GraphProblemSchema, JsonBoolean, json_body
from engine import runbooks, runs
from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.access import Permission
from engine.model.export_format import ExportSchema, export_document, load_export, tags_field
from engine.model.graph_format import GraphSchema, dump_graph
from engine.store.runbooks import Runbook
from engine.store.scoping import get_in_workspace
from engine.templates import TEMPLATE_BY_KEY, load_template

blp = Blueprint(
    "runbooks",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/runbooks",
    description="Runbooks: campaign and live-stream flows",
)

NOT_FOUND = problem_doc("Not a member, or no such runbook")
FORBIDDEN = problem_doc("Only planners and admins may change runbooks")
INVALID = problem_doc("The graph or a field is not valid; `errors` names each problem")
TOO_LARGE = problem_doc("The graph has more nodes or edges than a runbook may hold")


class RunbookSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    workspace_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    tags = ma.fields.List(ma.fields.String(), required=True)
    archived = ma.fields.Boolean(required=True)
    reminder_lead_minutes = ma.fields.Integer(allow_none=True, required=True)
    escalation_delay_minutes = ma.fields.Integer(allow_none=True, required=True)
    draft_revision = ma.fields.Integer(required=True, attribute="draft.revision")
    node_count = ma.fields.Integer(required=True, attribute="draft.node_count")
    error_count = ma.fields.Integer(required=True, attribute="draft.error_count")
    warning_count = ma.fields.Integer(required=True, attribute="draft.warning_count")
    latest_version = ma.fields.Method("_latest", allow_none=True, dump_only=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)

    def _latest(self, runbook: Runbook) -> int | None:
        return runbook.versions[-1].number if runbook.versions else None


_NAME = {"validate": ma.validate.Length(min=1, max=200)}
_DESCRIPTION = {"validate": ma.validate.Length(max=5000)}


class RunbookCreatedSchema(RunbookSchema):
    """A new runbook with its draft's problems: a graph may arrive with things to fix."""

    problems = ma.fields.List(
        ma.fields.Nested(GraphProblemSchema),
        required=True,
        metadata={"description": "The new draft's validation problems, with their node ids"},
    )

    @ma.pre_dump
    def _with_problems(self, runbook: Runbook, **kwargs) -> _WithProblems:
        return _WithProblems(runbook)


class _WithProblems:
    """A runbook read as it is, plus the validation problems of its draft."""

    def __init__(self, runbook: Runbook) -> None:
        self._runbook = runbook
        self.problems = [p.as_dict() for p in runbooks.check_stored(runbook.draft.graph).problems]

    def __getattr__(self, name: str):
        return getattr(self._runbook, name)


class RunbookCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, **_NAME)
    description = ma.fields.String(load_default="", **_DESCRIPTION)
    tags = tags_field(load_default=list)
    template = ma.fields.String(
        load_default=None,
        metadata={"description": "Start from a built-in template (GET /api/templates)"},
    )
    graph = ma.fields.Raw(
        load_default=None,
        allow_none=True,
        metadata={"description": "Start from this graph document", "schemas": (GraphSchema,)},
    )


# Reminder and escalation times, in minutes (up to a week); null turns them off.
# Whole minutes: a fraction (2.5) is refused, not cut.
MINUTES = {"validate": ma.validate.Range(0, 7 * 24 * 60), "allow_none": True, "strict": True}


class RunbookUpdateSchema(ma.Schema):
    name = ma.fields.String(**_NAME)
    description = ma.fields.String(**_DESCRIPTION)
    tags = tags_field()
    archived = JsonBoolean()
    reminder_lead_minutes = ma.fields.Integer(
        metadata={"description": "Remind a run's task this long before due"}, **MINUTES
    )
    escalation_delay_minutes = ma.fields.Integer(
        metadata={"description": "Escalate to managers this long after due"}, **MINUTES
    )


class RunbookQuerySchema(paging.PageQuerySchema):
    q = ma.fields.String(load_default="", metadata={"description": "Words in name or description"})
    tag = ma.fields.String(load_default="")
    archived = ma.fields.String(
        load_default="false", validate=ma.validate.OneOf(["false", "true", "all"])
    )


class DuplicateSchema(ma.Schema):
    name = ma.fields.String(load_default=None, **_NAME)


def load_runbook(
    workspace_id: int, runbook_id: int, permission: Permission = Permission.READ
) -> Runbook:
    """The runbook, if the caller may `permission` in its workspace (404 outside it)."""
    require_member(workspace_id, permission)
    return get_in_workspace(db(), Runbook, runbook_id, workspace_id)


@blp.route("")
@blp.arguments(RunbookQuerySchema, location="query")
@blp.response(200, RunbookSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_runbooks(query, workspace_id: int):
    """Runbooks of the workspace, most recently changed first (everyone in it may read)."""
    require_member(workspace_id)
    archived = {"false": False, "true": True, "all": None}[query["archived"]]
    found = runbooks.search(workspace_id, q=query["q"], tag=query["tag"], archived=archived)
    return paging.page(found, query)


_RUNBOOK = "/api/workspaces/{workspace_id}/runbooks/{runbook_id}"
_CREATED = {"workspace_id": "$response.body#/workspace_id", "runbook_id": "$response.body#/id"}


@blp.route("", methods=["POST"])
@blp.arguments(RunbookCreateSchema)
@blp.response(201, RunbookCreatedSchema)
@blp.doc(
    **created_links(
        201,
        GetRunbook=("get", _RUNBOOK, _CREATED),
        UpdateRunbook=("patch", _RUNBOOK, _CREATED),
        DuplicateRunbook=("post", _RUNBOOK + "/duplicate", _CREATED),
        ExportRunbook=("get", _RUNBOOK + "/export", _CREATED),
        GetDraft=("get", _RUNBOOK + "/draft", _CREATED),
        ListVersions=("get", _RUNBOOK + "/versions", _CREATED),
    )
)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(413, **TOO_LARGE)
@blp.alt_response(422, **INVALID)
def create_runbook(body, workspace_id: int):
    """Create a runbook: empty (start and end), from a built-in template, or from a graph."""
    require_member(workspace_id, Permission.WRITE_RUNBOOKS)
    if body["template"] is not None and body["graph"] is not None:
        raise CueflowError(
            ErrorCode.VALIDATION,
            "Give a template or a graph, not both.",
            errors=[FieldError("graph", "Leave out when a template is given.")],
        )
    graph_doc, origin = body["graph"], None
    if body["template"] is not None:
        graph_doc = _template_graph(body["template"])
        origin = {"source": "template", "template": body["template"]}
    runbook = runbooks.create(
        db(),
        workspace_id,
        require_user(),
        name=body["name"],
        description=body["description"],
        tags=body["tags"],
        graph_doc=graph_doc,
        origin=origin,
        now=now(),
    )
    db().commit()
    return runbook


def _template_graph(key: str) -> dict:
    try:
        return load_template(key)
    except CueflowError as exc:
        known = ", ".join(TEMPLATE_BY_KEY)
        exc.errors = [FieldError("template", f"Unknown template; use one of: {known}.")]
        raise


@blp.route("/<id:runbook_id>")
@blp.response(200, RunbookSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_runbook(workspace_id: int, runbook_id: int):
    """One runbook's name, tags, draft revision and latest version."""
    return load_runbook(workspace_id, runbook_id)


class LastRosterSchema(ma.Schema):
    run_id = ma.fields.Integer(allow_none=True, required=True)
    run_name = ma.fields.String(allow_none=True, required=True)
    roster = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.Integer()),
        required=True,
        metadata={"description": "Role: user ids, of the people still members"},
    )


@blp.route("/<id:runbook_id>/last-roster")
@blp.response(200, LastRosterSchema)
@blp.alt_response(404, **NOT_FOUND)
def last_roster(workspace_id: int, runbook_id: int):
    """Who was cast in the runbook's latest run (of any version), to plan the next one
    from; null run and an empty roster when it has not run yet."""
    runbook = load_runbook(workspace_id, runbook_id)
    run, roster = runs.last_roster(db(), runbook)
    return {
        "run_id": run.id if run else None,
        "run_name": run.name if run else None,
        "roster": roster,
    }


@blp.route("/<id:runbook_id>", methods=["PATCH"])
@blp.arguments(RunbookUpdateSchema, required=False)
@blp.response(200, RunbookSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
def update_runbook(body, workspace_id: int, runbook_id: int):
    """Rename, describe, tag, archive or unarchive a runbook, or set when its runs remind
    and escalate. Its draft is not touched."""
    runbook = load_runbook(workspace_id, runbook_id, Permission.WRITE_RUNBOOKS)
    runbooks.update(db(), runbook, body, user=require_user(), now=now())
    db().commit()
    return runbook


@blp.route("/<id:runbook_id>/duplicate", methods=["POST"])
@blp.arguments(DuplicateSchema, required=False)
@blp.response(201, RunbookSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
def duplicate_runbook(body, workspace_id: int, runbook_id: int):
    """A new runbook with a copy of this one's draft, tags and description."""
    runbook = load_runbook(workspace_id, runbook_id, Permission.WRITE_RUNBOOKS)
    copy = runbooks.duplicate(db(), runbook, user=require_user(), name=body["name"], now=now())
    db().commit()
    return copy


@blp.route("/<id:runbook_id>/export")
@blp.response(200, ExportSchema)
@blp.alt_response(404, **NOT_FOUND)
def export_runbook(workspace_id: int, runbook_id: int):
    """The runbook's draft as a JSON document to keep, share or import elsewhere."""
    runbook = load_runbook(workspace_id, runbook_id)
    doc = export_document(
        runbook.name,
        runbook.description,
        runbook.tags,
        runbook.draft.graph,
        now().isoformat(),
    )
    filename = f"runbook-{runbook.id}.json"
    return Response(
        json.dumps(doc, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blp.route("/import", methods=["POST"])
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": ExportSchema}}})
@blp.response(201, RunbookCreatedSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(413, **TOO_LARGE)
@blp.alt_response(422, **INVALID)
def import_runbook(workspace_id: int):
    """Create a runbook from an export document; malformed or oversized ones are refused
    with every problem's path (`graph.nodes.3.title`)."""
    require_member(workspace_id, Permission.WRITE_RUNBOOKS)
    imported = load_export(json_body())
    runbook = runbooks.create(
        db(),
        workspace_id,
        require_user(),
        name=imported.name,
        description=imported.description,
        tags=imported.tags,
        graph_doc=dump_graph(imported.graph),
        graph_path="graph",
        origin={"source": "import"},
        now=now(),
    )
    db().commit()
    return runbook


# The request body of a whole-graph write, documented from the one graph format.
GRAPH_BODY = {"required": True, "content": {"application/json": {"schema": GraphSchema}}}
