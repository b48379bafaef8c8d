"""Workspaces and their members."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import select

from api import paging
from api.access import require_member, require_user
from api.database import db
from api.openapi import created_links
from api.problems import problem_doc
from engine import accounts
from engine.errors import CueflowError, ErrorCode
from engine.model.access import Permission, WorkspaceRole
from engine.store.accounts import Membership
from engine.store.scoping import get_in_workspace, in_workspace

blp = Blueprint(
    "workspaces", __name__, url_prefix="/api/workspaces", description="Workspaces and members"
)

_ROLE = ma.fields.Enum(WorkspaceRole, by_value=True, required=True)


class WorkspaceSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    role = ma.fields.String(required=True, metadata={"description": "The caller's role here"})
    created_at = ma.fields.DateTime(required=True)


class WorkspaceInputSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))


class MemberSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, attribute="user.name")
    email = ma.fields.String(required=True, attribute="user.email")
    role = _ROLE
    created_at = ma.fields.DateTime(required=True)
    last_login_at = ma.fields.DateTime(
        allow_none=True, attribute="user.last_login_at", metadata={"description": "Last activity"}
    )


class MemberUpdateSchema(ma.Schema):
    role = _ROLE


def _workspace_payload(membership: Membership) -> dict:
    ws = membership.workspace
    return {"id": ws.id, "name": ws.name, "role": str(membership.role), "created_at": ws.created_at}


_NOT_FOUND = problem_doc("Not a member, or no such object")
_FORBIDDEN = problem_doc("Your role does not allow this")
_CONFLICT = problem_doc("The workspace would lose its last admin")


@blp.route("")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, WorkspaceSchema(many=True), headers=paging.NEXT_LINK)
def list_workspaces(query):
    """Every workspace the caller belongs to."""
    user = require_user()
    mine = select(Membership).where(Membership.user_id == user.id)
    memberships, status, headers = paging.page(mine.order_by(Membership.workspace_id), query)
    return [_workspace_payload(m) for m in memberships], status, headers


_WORKSPACE = "/api/workspaces/{workspace_id}"
_CREATED = {"workspace_id": "$response.body#/id"}


@blp.route("", methods=["POST"])
@blp.arguments(WorkspaceInputSchema)
@blp.response(201, WorkspaceSchema)
@blp.doc(
    **created_links(
        201,
        GetWorkspace=("get", _WORKSPACE, _CREATED),
        RenameWorkspace=("patch", _WORKSPACE, _CREATED),
        ListMembers=("get", _WORKSPACE + "/members", _CREATED),
        ListRunbooks=("get", _WORKSPACE + "/runbooks", _CREATED),
        CreateRunbook=("post", _WORKSPACE + "/runbooks", _CREATED),
    )
)
@blp.alt_response(403, **problem_doc("You have created as many workspaces as you may"))
def create_workspace(body):
    """Create another workspace; the caller becomes its admin. One person may create at
    most CUEFLOW_MAX_WORKSPACES_PER_USER (403 `workspace.limit_reached`)."""
    limit = current_app.config["MAX_WORKSPACES_PER_USER"]
    membership = accounts.create_workspace(db(), require_user(), body["name"], limit=limit)
    db().commit()
    return _workspace_payload(membership)


@blp.route("/<id:workspace_id>")
@blp.response(200, WorkspaceSchema)
@blp.alt_response(404, **_NOT_FOUND)
def get_workspace(workspace_id: int):
    """One workspace the caller belongs to."""
    return _workspace_payload(require_member(workspace_id))


@blp.route("/<id:workspace_id>", methods=["PATCH"])
@blp.arguments(WorkspaceInputSchema)
@blp.response(200, WorkspaceSchema)
@blp.alt_response(403, **_FORBIDDEN)
@blp.alt_response(404, **_NOT_FOUND)
def rename_workspace(body, workspace_id: int):
    """Rename the workspace (admins)."""
    membership = require_member(workspace_id, Permission.EDIT_WORKSPACE)
    membership.workspace.name = body["name"]
    db().commit()
    return _workspace_payload(membership)


@blp.route("/<id:workspace_id>/members")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, MemberSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **_NOT_FOUND)
def list_members(query, workspace_id: int):
    """Members of the workspace with their roles (everyone in it may read)."""
    require_member(workspace_id)
    return paging.page(in_workspace(Membership, workspace_id).order_by(Membership.id), query)


def _guard_last_admin(member: Membership, new_role: WorkspaceRole | None) -> None:
    if member.role != WorkspaceRole.ADMIN or new_role == WorkspaceRole.ADMIN:
        return
    if accounts.count_admins(db(), member.workspace_id) <= 1:
        raise CueflowError(ErrorCode.LAST_ADMIN)


@blp.route("/<id:workspace_id>/members/<id:member_id>", methods=["PATCH"])
@blp.arguments(MemberUpdateSchema)
@blp.response(200, MemberSchema)
@blp.alt_response(403, **_FORBIDDEN)
@blp.alt_response(404, **_NOT_FOUND)
@blp.alt_response(409, **_CONFLICT)
def update_member(body, workspace_id: int, member_id: int):
    """Change a member's role (admins)."""
    require_member(workspace_id, Permission.MANAGE_MEMBERS)
    member = get_in_workspace(db(), Membership, member_id, workspace_id)
    _guard_last_admin(member, body["role"])
    member.role = body["role"]
    db().commit()
    return member


@blp.route("/<id:workspace_id>/members/<id:member_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(403, **_FORBIDDEN)
@blp.alt_response(404, **_NOT_FOUND)
@blp.alt_response(409, **_CONFLICT)
def remove_member(workspace_id: int, member_id: int):
    """Remove a member from the workspace (admins)."""
    require_member(workspace_id, Permission.MANAGE_MEMBERS)
    member = get_in_workspace(db(), Membership, member_id, workspace_id)
    _guard_last_admin(member, None)
    db().delete(member)
    db().commit()
