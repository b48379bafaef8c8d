"""Sign-up, login, logout and the caller's own account."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf

from api.access import current_session, now, require_user, sign_in, sign_out
from api.database import db
from api.limits import account_key, limiter, login_address_limit, login_limit
from api.problems import problem_doc
from engine import accounts, sessions
from engine.model.access import permissions_of

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and sessions")

_email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
_password = ma.fields.String(
    required=True, load_only=True, validate=ma.validate.Length(min=10, max=200)
)


class SignupSchema(ma.Schema):
    email = _email
    name = _name
    password = _password
    workspace_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))


class LoginSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=254))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class MembershipSummarySchema(ma.Schema):
    workspace_id = ma.fields.Integer(required=True)
    workspace_name = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    permissions = ma.fields.List(ma.fields.String(), required=True)


class UserSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    locale = ma.fields.String(required=True)
    workspaces = ma.fields.List(ma.fields.Nested(MembershipSummarySchema), required=True)


class SessionSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema, required=True)
    csrf_token = ma.fields.String(
        required=True, metadata={"description": "Send as X-CSRFToken on unsafe requests"}
    )


class PasswordChangeSchema(ma.Schema):
    current_password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(min=1, max=200)
    )
    new_password = _password


class EndedSchema(ma.Schema):
    sessions_ended = ma.fields.Integer(required=True, metadata={"description": "How many"})


class CsrfSchema(ma.Schema):
    csrf_token = ma.fields.String(required=True)


def user_payload(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "locale": user.locale,
        "workspaces": [
            {
                "workspace_id": m.workspace_id,
                "workspace_name": m.workspace.name,
                "role": str(m.role),
                "permissions": [str(p) for p in permissions_of(m.role)],
            }
            for m in sorted(user.memberships, key=lambda m: m.workspace_id)
        ],
    }


def session_payload(user) -> dict:
    return {"user": user_payload(user), "csrf_token": generate_csrf()}


@blp.route("/signup", methods=["POST"])
@limiter.limit(login_limit)
@blp.arguments(SignupSchema)
@blp.response(201, SessionSchema)
@blp.alt_response(403, **problem_doc("Sign-up is closed"))
@blp.alt_response(409, **problem_doc("E-mail taken"))
@blp.alt_response(429, **problem_doc("Too many attempts"))
@blp.doc(security=[])
def signup(body):
    """Create the first admin and their workspace (later accounts join by invitation)."""
    membership = accounts.sign_up(db(), allow_open_signup=current_app.config["SIGNUP_OPEN"], **body)
    db().commit()
    sign_in(membership.user)
    return session_payload(membership.user)


@blp.route("/login", methods=["POST"])
@limiter.limit(login_limit, key_func=account_key)
@limiter.limit(login_address_limit)
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
@blp.alt_response(401, **problem_doc("Wrong e-mail or password"))
@blp.alt_response(429, **problem_doc("Too many attempts"))
@blp.doc(security=[])
def login(body):
    """Log in for the browser: sets the session cookie and returns the CSRF token."""
    user = accounts.authenticate(db(), body["email"], body["password"], now())
    db().commit()
    sign_in(user)
    return session_payload(user)


@blp.route("/logout", methods=["POST"])
@blp.response(204)
@blp.doc(security=[])
def logout():
    """End this browser's session, on the server too (a copied cookie stops working)."""
    sign_out()


@blp.route("/logout-everywhere", methods=["POST"])
@blp.response(200, EndedSchema)
@blp.alt_response(401, **problem_doc("Not logged in"))
def logout_everywhere():
    """End every session of mine: each browser and phone must log in again."""
    user = require_user()
    ended = sessions.end_all(db(), user.id, now())
    db().commit()
    sign_out()
    return {"sessions_ended": ended}


@blp.route("/password", methods=["POST"])
@limiter.limit(login_limit)
@blp.arguments(PasswordChangeSchema)
@blp.response(200, EndedSchema)
@blp.alt_response(401, **problem_doc("Not logged in, or the current password is wrong"))
def change_password(body):
    """Change my password; every other session of mine ends (this one stays)."""
    user = require_user()
    ended = sessions.change_password(
        db(),
        user,
        body["current_password"],
        body["new_password"],
        now(),
        keep=current_session(),
    )
    db().commit()
    return {"sessions_ended": ended}


@blp.route("/me")
@blp.response(200, UserSchema)
@blp.alt_response(401, **problem_doc("Not logged in"))
def me():
    """The caller, with each workspace they belong to and what they may do there."""
    return user_payload(require_user())


@blp.route("/csrf")
@blp.response(200, CsrfSchema)
@blp.doc(security=[])
def csrf_token():
    """A CSRF token for this browser session."""
    return {"csrf_token": generate_csrf()}
