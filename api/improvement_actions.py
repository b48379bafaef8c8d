"""Improvement actions: the lessons of post-mortems, each with an owner. Managers add them
to a run's post-mortem (api/postmortems.py) and change them until it is signed off;
owners and managers follow them through here: the list (mine, a run's, a runbook's),
complete, drop, reopen, and apply a draft edit to the runbook draft (planners)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint
from sqlalchemy import func, nulls_last, select
from sqlalchemy.orm import selectinload

from api import paging
from api.access import now, require_member, require_user
from api.database import db
from api.drafts import CONFLICT as DRAFT_CONFLICT
from api.drafts import EditResultSchema, current_on_conflict, saved_payload
from api.openapi import MAX_ID
from api.problems import problem_doc
from api.revisions import IF_MATCH, etag, if_match
from engine import improvements
from engine.model.access import Permission
from engine.model.review_states import ActionChange, ActionKind, ActionStatus
from engine.store.postmortems import ImprovementAction, PostMortemReport
from engine.store.runs import Run
from engine.store.scoping import get_in_workspace, in_workspace

blp = Blueprint(
    "improvement_actions",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/improvement-actions",
    description="Improvement actions: post-mortem lessons with an owner",
)

NOT_FOUND = problem_doc("Not a member, or no such action")
FORBIDDEN = problem_doc("Your role (or not owning the action) does not allow this")
CONFLICT = problem_doc(
    "The post-mortem is signed off (`postmortem.locked`), or the action's status does not"
    " allow this (`postmortem.action_invalid_transition`)"
)
INVALID = problem_doc("A field is not valid; `errors` names each")
_ID = ma.validate.Range(1, MAX_ID)
# What an action's response reads besides its own row: loaded with the list in one go.
_SHOWN_WITH = (
    ImprovementAction.postmortem,
    ImprovementAction.owner,
    ImprovementAction.carried_run,
)


class DraftChangeSchema(ma.Schema):
    """One change of the runbook draft, as the editor's own edits make it."""

    op = ma.fields.String(required=True, validate=ma.validate.OneOf(list(improvements.CHANGE_OPS)))
    node_id = ma.fields.String(
        validate=ma.validate.Length(1, 64),
        metadata={"description": "update_node, delete_node"},
    )
    edge_id = ma.fields.String(
        validate=ma.validate.Length(1, 64),
        metadata={"description": "update_edge, delete_edge"},
    )
    node = ma.fields.Dict(metadata={"description": "add_node: the node, as the draft holds it"})
    edge = ma.fields.Dict(metadata={"description": "add_edge: the edge"})
    changes = ma.fields.Dict(metadata={"description": "update_node, update_edge: the fields"})


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class ImprovementActionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    postmortem_id = ma.fields.Integer(required=True)
    run_id = ma.fields.Integer(
        required=True, attribute="postmortem.run_id", metadata={"description": "Learned in"}
    )
    title = ma.fields.String(required=True)
    detail = ma.fields.String(required=True)
    kind = ma.fields.Enum(ActionKind, by_value=True, required=True)
    status = ma.fields.Enum(ActionStatus, by_value=True, required=True)
    owner = ma.fields.Nested(PersonSchema, allow_none=True, required=True)
    node_id = ma.fields.String(allow_none=True, required=True)
    due_at = ma.fields.DateTime(allow_none=True, required=True, metadata={"description": "As set"})
    due = ma.fields.DateTime(
        allow_none=True,
        required=True,
        metadata={"description": "Due: as set, or once carried into a run, its go-live"},
    )
    changes = ma.fields.List(ma.fields.Nested(DraftChangeSchema), allow_none=True, required=True)
    carried_run_id = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "The next run it went into"}
    )
    carried_at = ma.fields.DateTime(allow_none=True, required=True)
    applied_revision = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "The draft revision it made"}
    )
    closed_at = ma.fields.DateTime(allow_none=True, required=True)
    closed_by_id = ma.fields.Integer(allow_none=True, required=True)
    close_note = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)
    created_by_id = ma.fields.Integer(allow_none=True, required=True)
    updated_at = ma.fields.DateTime(required=True)


class ActionWriteSchema(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(1, 200))
    detail = ma.fields.String(validate=ma.validate.Length(max=5000))
    kind = ma.fields.Enum(ActionKind, by_value=True)
    owner_id = ma.fields.Integer(validate=_ID)
    node_id = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 64))
    due_at = ma.fields.AwareDateTime(allow_none=True)
    changes = ma.fields.List(
        ma.fields.Nested(DraftChangeSchema),
        allow_none=True,
        validate=ma.validate.Length(max=200),
        metadata={"description": "For kind draft_edit: the changes, applied in order"},
    )


class ActionCreateSchema(ActionWriteSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    detail = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    kind = ma.fields.Enum(ActionKind, by_value=True, load_default=ActionKind.FOLLOW_UP)
    owner_id = ma.fields.Integer(required=True, validate=_ID)


class ActionQuerySchema(paging.PageQuerySchema):
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "Only actions I own"})
    owner_id = ma.fields.Integer(load_default=None, validate=_ID)
    status = ma.fields.List(ma.fields.Enum(ActionStatus, by_value=True), load_default=list)
    kind = ma.fields.List(ma.fields.Enum(ActionKind, by_value=True), load_default=list)
    run_id = ma.fields.Integer(
        load_default=None, validate=_ID, metadata={"description": "Learned in this run"}
    )
    carried_run_id = ma.fields.Integer(
        load_default=None, validate=_ID, metadata={"description": "Carried into this run"}
    )
    runbook_id = ma.fields.Integer(load_default=None, validate=_ID)


class ActionNoteSchema(ma.Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class ActionAppliedSchema(EditResultSchema):
    action = ma.fields.Nested(ImprovementActionSchema, required=True)


def load_action(workspace_id: int, action_id: int, permission: Permission = Permission.READ):
    membership = require_member(workspace_id, permission)
    return membership, get_in_workspace(db(), ImprovementAction, action_id, workspace_id)


# `ImprovementAction.due` in SQL: its own due time, else the go-live of the run it was carried
# into. Soonest first; those without one last, oldest first.
_DUE = func.coalesce(
    ImprovementAction.due_at,
    select(Run.go_live).where(Run.id == ImprovementAction.carried_run_id).scalar_subquery(),
)
_SOONEST_DUE = (nulls_last(_DUE.asc()), ImprovementAction.created_at)


@blp.route("")
@blp.arguments(ActionQuerySchema, location="query")
@blp.response(200, ImprovementActionSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_actions(query, workspace_id: int):
    """Improvement actions of the workspace, soonest due first; filter by owner (`mine`),
    status, kind, the run they were learned in or carried into, or the runbook."""
    membership = require_member(workspace_id)
    statement = in_workspace(ImprovementAction, workspace_id).join(
        PostMortemReport, PostMortemReport.id == ImprovementAction.postmortem_id
    )
    owner = membership.user_id if query["mine"] else query["owner_id"]
    for column, value in (
        (ImprovementAction.owner_id, owner),
        (PostMortemReport.run_id, query["run_id"]),
        (ImprovementAction.carried_run_id, query["carried_run_id"]),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if query["status"]:
        statement = statement.where(ImprovementAction.status.in_(query["status"]))
    if query["kind"]:
        statement = statement.where(ImprovementAction.kind.in_(query["kind"]))
    if query["runbook_id"] is not None:
        runs = select(Run.id).where(Run.runbook_id == query["runbook_id"])
        statement = statement.where(PostMortemReport.run_id.in_(runs))
    statement = statement.options(*(selectinload(r) for r in _SHOWN_WITH))
    return paging.page(statement.order_by(*_SOONEST_DUE, ImprovementAction.id), query)


@blp.route("/<id:action_id>")
@blp.response(200, ImprovementActionSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_action(workspace_id: int, action_id: int):
    """One improvement action."""
    return load_action(workspace_id, action_id)[1]


@blp.route("/<id:action_id>", methods=["PATCH"])
@blp.arguments(ActionWriteSchema, required=False)
@blp.response(200, ImprovementActionSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(422, **INVALID)
def update_action(body, workspace_id: int, action_id: int):
    """Managers: change an open action while its post-mortem is open."""
    _, action = load_action(workspace_id, action_id, Permission.SIGN_OFF)
    improvements.update(db(), action, body, user=require_user(), now=now())
    db().commit()
    return action


@blp.route("/<id:action_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def delete_action(workspace_id: int, action_id: int):
    """Managers: delete an open action while its post-mortem is open."""
    _, action = load_action(workspace_id, action_id, Permission.SIGN_OFF)
    improvements.delete(db(), action, user=require_user(), now=now())
    db().commit()


def _change_route(change: ActionChange, doc: str):
    @blp.route(f"/<id:action_id>/{change}", methods=["POST"], endpoint=f"{change}_action")
    @blp.arguments(ActionNoteSchema, required=False)
    @blp.response(200, ImprovementActionSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    def act(body, workspace_id: int, action_id: int):
        membership, action = load_action(workspace_id, action_id)
        improvements.change_status(db(), action, change, membership, now=now(), note=body["note"])
        db().commit()
        return action

    act.__doc__ = doc
    return act


_change_route(ActionChange.COMPLETE, "Its owner or a manager: the action is done.")
_change_route(ActionChange.DROP, "Managers: the action will not be done.")
_change_route(ActionChange.REOPEN, "Its owner or a manager: open a done or dropped action again.")


@blp.route("/<id:action_id>/apply", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, ActionAppliedSchema, headers={"ETag": {"schema": {"type": "string"}}})
@blp.alt_response(403, **problem_doc("Only planners and admins change runbook drafts"))
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(412, **DRAFT_CONFLICT)
@blp.alt_response(422, **INVALID)
@blp.alt_response(428, **DRAFT_CONFLICT)
def apply_action(workspace_id: int, action_id: int):
    """Planners: apply a draft_edit action to the runbook draft, as one audited draft edit
    (If-Match with the draft's revision, as every draft write). The action is then done."""
    _, action = load_action(workspace_id, action_id, Permission.WRITE_RUNBOOKS)
    runbook = action.postmortem.run.runbook
    with current_on_conflict(runbook):
        _, checked = improvements.apply(
            db(), action, expected_revision=if_match(), user=require_user(), now=now()
        )
    db().commit()
    result: dict[str, Any] = {**saved_payload(runbook, checked), "action": action}
    return result, {"ETag": etag(runbook.draft.revision)}
