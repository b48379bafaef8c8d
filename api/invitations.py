"""Invitations into a workspace: admins issue them; the invitee reads and accepts."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import select

from api import paging
from api.access import current_user, now, require_member, sign_in
from api.auth import SessionSchema, session_payload
from api.database import db
from api.limits import limiter, login_limit
from api.problems import problem_doc
from api.schemas import attributes
from engine import accounts
from engine.model.access import Permission, WorkspaceRole
from engine.store.accounts import Invitation
from engine.store.scoping import get_in_workspace

blp = Blueprint("invitations", __name__, url_prefix="/api", description="Invitations")

_ROLE = ma.fields.Enum(WorkspaceRole, by_value=True, required=True)


class InvitationInputSchema(ma.Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    role = _ROLE


class InvitationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    role = _ROLE
    created_at = ma.fields.DateTime(required=True)
    expires_at = ma.fields.DateTime(required=True)
    accepted_at = ma.fields.DateTime(allow_none=True)


class NewInvitationSchema(InvitationSchema):
    token = ma.fields.String(required=True, metadata={"description": "Shown only once"})
    accept_url = ma.fields.String(required=True)


class InvitationPreviewSchema(ma.Schema):
    workspace_name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    role = _ROLE
    expires_at = ma.fields.DateTime(required=True)


class AcceptSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    password = ma.fields.String(load_only=True, validate=ma.validate.Length(min=10, max=200))


_ADMIN_ONLY = problem_doc("Admins only")
_NOT_FOUND = problem_doc("Not found")
_TOKEN = "<string(length=32):token>"


@blp.route("/workspaces/<id:workspace_id>/invitations")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, InvitationSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(403, **_ADMIN_ONLY)
@blp.alt_response(404, **_NOT_FOUND)
def list_invitations(query, workspace_id: int):
    """Invitations of the workspace, open and accepted (admins)."""
    require_member(workspace_id, Permission.MANAGE_MEMBERS)
    return paging.page(
        select(Invitation).where(Invitation.workspace_id == workspace_id).order_by(Invitation.id),
        query,
    )


@blp.route("/workspaces/<id:workspace_id>/invitations", methods=["POST"])
@blp.arguments(InvitationInputSchema)
@blp.response(201, NewInvitationSchema)
@blp.alt_response(403, **_ADMIN_ONLY)
@blp.alt_response(404, **_NOT_FOUND)
@blp.alt_response(409, **problem_doc("Already a member"))
def create_invitation(body, workspace_id: int):
    """Invite someone by e-mail with a role (admins). Send them the accept URL."""
    inviter = require_member(workspace_id, Permission.MANAGE_MEMBERS)
    issued = accounts.invite(
        db(), workspace_id=workspace_id, invited_by=inviter.user, now=now(), **body
    )
    db().commit()
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return {
        **attributes(issued.row, InvitationSchema),
        "token": issued.secret,
        "accept_url": f"{base}/invite/{issued.secret}",
    }


@blp.route("/workspaces/<id:workspace_id>/invitations/<id:invitation_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(403, **_ADMIN_ONLY)
@blp.alt_response(404, **_NOT_FOUND)
def revoke_invitation(workspace_id: int, invitation_id: int):
    """Withdraw an invitation (admins)."""
    require_member(workspace_id, Permission.MANAGE_MEMBERS)
    db().delete(get_in_workspace(db(), Invitation, invitation_id, workspace_id))
    db().commit()


@blp.route(f"/invitations/{_TOKEN}")
@blp.response(200, InvitationPreviewSchema)
@blp.alt_response(404, **problem_doc("Unknown, used or expired"))
@blp.doc(security=[])
def preview_invitation(token: str):
    """What an invitation is for, so the invitee can decide."""
    row = accounts.open_invitation(db(), token, now())
    return {
        "workspace_name": row.workspace.name,
        "email": row.email,
        "role": row.role,
        "expires_at": row.expires_at,
    }


@blp.route(f"/invitations/{_TOKEN}/accept", methods=["POST"])
@limiter.limit(login_limit)
@blp.arguments(AcceptSchema, required=False)
@blp.response(200, SessionSchema)
@blp.alt_response(403, **problem_doc("Signed in as someone other than the invited e-mail"))
@blp.alt_response(404, **problem_doc("Unknown, used or expired"))
@blp.alt_response(409, **problem_doc("Already a member"))
@blp.alt_response(429, **problem_doc("Too many attempts"))
@blp.doc(security=[])
def accept_invitation(body, token: str):
    """Join the workspace: as the signed-in user, or as a new account (name and password)."""
    membership = accounts.accept_invitation(db(), token, now=now(), user=current_user(), **body)
    db().commit()
    sign_in(membership.user)
    return session_payload(membership.user)
