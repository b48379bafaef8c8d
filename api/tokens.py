"""API tokens for scripts: create (the secret is shown once), list, revoke."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from sqlalchemy import select

from api import paging
from api.access import now, require_user
from api.database import db
from api.problems import problem_doc
from api.schemas import attributes
from engine import accounts
from engine.errors import CueflowError, ErrorCode
from engine.store.accounts import ApiToken

blp = Blueprint("tokens", __name__, url_prefix="/api/tokens", description="API tokens")


class TokenCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    expires_at = ma.fields.AwareDateTime(load_default=None, allow_none=True)


class TokenSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    prefix = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)
    last_used_at = ma.fields.DateTime(allow_none=True)
    expires_at = ma.fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = ma.fields.String(
        required=True, metadata={"description": "The secret; shown only in this response"}
    )


@blp.route("")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, TokenSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(401, **problem_doc("Not logged in"))
def list_tokens(query):
    """The caller's API tokens (never their secrets)."""
    user = require_user()
    return paging.page(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id), query
    )


@blp.route("", methods=["POST"])
@blp.arguments(TokenCreateSchema)
@blp.response(201, NewTokenSchema)
@blp.alt_response(401, **problem_doc("Not logged in"))
def create_token(body):
    """Create a bearer token acting as the caller in every workspace they belong to."""
    user = require_user()
    issued = accounts.issue_token(db(), user, body["name"], now(), body["expires_at"])
    db().commit()
    return {**attributes(issued.row, TokenSchema), "token": issued.secret}


@blp.route("/<id:token_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, **problem_doc("Not logged in"))
@blp.alt_response(404, **problem_doc("No such token"))
def revoke_token(token_id: int):
    """Revoke one of the caller's tokens."""
    user = require_user()
    row = db().scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if row is None:
        raise CueflowError(ErrorCode.NOT_FOUND, f"Token {token_id} not found")
    db().delete(row)
    db().commit()
