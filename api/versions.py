"""Published versions of a runbook: publish the draft, list and read versions, diff two."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from api import paging
from api.access import now, require_user
from api.database import db
from api.drafts import (
    CONFLICT,
    PlanQuerySchema,
    PlanSchema,
    current_on_conflict,
    plan_payload,
)
from api.problems import problem_doc
from api.revisions import IF_MATCH, if_match
from api.runbooks import FORBIDDEN, NOT_FOUND, load_runbook
from engine import runbooks
from engine.model.access import Permission
from engine.model.diff import diff
from engine.model.schedule import plan
from engine.store.runbooks import Runbook

blp = Blueprint(
    "versions",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/runbooks/<id:runbook_id>",
    description="Published, immutable versions of a runbook",
)

HAS_ERRORS = problem_doc("The draft has errors; `problems` lists every one")


class PublisherSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class VersionSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    note = ma.fields.String(required=True)
    node_count = ma.fields.Integer(required=True)
    edge_count = ma.fields.Integer(required=True)
    draft_revision = ma.fields.Integer(required=True)
    published_at = ma.fields.DateTime(required=True)
    published_by = ma.fields.Nested(PublisherSchema, allow_none=True, required=True)


class VersionWithGraphSchema(VersionSchema):
    graph = ma.fields.Raw(required=True)


class PublishSchema(ma.Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))


_VERSION_OR_DRAFT = ma.validate.Regexp(
    r"^([1-9][0-9]{0,8}|draft)$", error="Use a version number or `draft`."
)


class DiffQuerySchema(ma.Schema):
    from_ = ma.fields.String(
        data_key="from",
        required=True,
        validate=_VERSION_OR_DRAFT,
        metadata={"description": "A version number, or `draft`"},
    )
    to = ma.fields.String(
        load_default="draft",
        validate=_VERSION_OR_DRAFT,
        metadata={"description": "A version number, or `draft`"},
    )


class ChangeSchema(ma.Schema):
    field = ma.fields.String(required=True)
    old = ma.fields.Raw(allow_none=True)
    new = ma.fields.Raw(allow_none=True)


class ChangedSchema(ma.Schema):
    id = ma.fields.String(required=True)
    changes = ma.fields.List(ma.fields.Nested(ChangeSchema), required=True)


class MovedSchema(ma.Schema):
    id = ma.fields.String(required=True)
    old = ma.fields.List(ma.fields.Float(), required=True)
    new = ma.fields.List(ma.fields.Float(), required=True)


class ElementDiffSchema(ma.Schema):
    added = ma.fields.List(ma.fields.String(), required=True)
    removed = ma.fields.List(ma.fields.String(), required=True)
    changed = ma.fields.List(ma.fields.Nested(ChangedSchema), required=True)


class NodeDiffSchema(ElementDiffSchema):
    moved = ma.fields.List(ma.fields.Nested(MovedSchema), required=True)


class DiffSchema(ma.Schema):
    from_ = ma.fields.String(data_key="from", required=True)
    to = ma.fields.String(required=True)
    nodes = ma.fields.Nested(NodeDiffSchema, required=True)
    edges = ma.fields.Nested(ElementDiffSchema, required=True)
    variables = ma.fields.Nested(ElementDiffSchema, required=True)


@blp.route("/publish", methods=["POST"])
@blp.arguments(PublishSchema, required=False)
@blp.doc(parameters=[{**IF_MATCH, "description": "Optional: publish only this revision"}])
@blp.response(201, VersionSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(412, **CONFLICT)
@blp.alt_response(422, **HAS_ERRORS)
def publish(body, workspace_id: int, runbook_id: int):
    """Freeze the draft as the next numbered version. Refused while the draft has errors."""
    runbook = load_runbook(workspace_id, runbook_id, Permission.WRITE_RUNBOOKS)
    with current_on_conflict(runbook):
        version = runbooks.publish(
            db(),
            runbook,
            user=require_user(),
            note=body["note"],
            expected_revision=if_match(required=False),
            now=now(),
        )
    db().commit()
    return version


@blp.route("/versions")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, VersionSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_versions(query, workspace_id: int, runbook_id: int):
    """Every published version, newest first."""
    return paging.page(reversed(load_runbook(workspace_id, runbook_id).versions), query)


@blp.route("/versions/<id:number>")
@blp.response(200, VersionWithGraphSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_version(workspace_id: int, runbook_id: int, number: int):
    """One published version with its graph."""
    return runbooks.get_version(db(), load_runbook(workspace_id, runbook_id), number)


@blp.route("/versions/<id:number>/plan")
@blp.arguments(PlanQuerySchema, location="query")
@blp.response(200, PlanSchema)
@blp.alt_response(404, **NOT_FOUND)
def version_plan(query, workspace_id: int, runbook_id: int, number: int):
    """The planned schedule of a published version for a go-live time."""
    version = runbooks.get_version(db(), load_runbook(workspace_id, runbook_id), number)
    graph = runbooks.check_stored(version.graph).graph
    return plan_payload(plan(graph, query["go_live"], query["tz"]))


@blp.route("/diff")
@blp.arguments(DiffQuerySchema, location="query")
@blp.response(200, DiffSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(422, **problem_doc("`from` or `to` is neither a version number nor draft"))
def diff_versions(query, workspace_id: int, runbook_id: int):
    """Nodes, edges and variables added, removed, changed (and nodes moved) between two
    versions, or between a version and the draft."""
    runbook = load_runbook(workspace_id, runbook_id)
    old = _graph_of(runbook, query["from_"])
    new = _graph_of(runbook, query["to"])
    return {"from_": query["from_"], "to": query["to"], **diff(old, new).as_dict()}


def _graph_of(runbook: Runbook, which: str):
    if which == "draft":
        return runbooks.check_stored(runbook.draft.graph).graph
    version = runbooks.get_version(db(), runbook, int(which))
    return runbooks.check_stored(version.graph).graph
