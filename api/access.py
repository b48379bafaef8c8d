"""Who is calling: session cookie (browser, CSRF-protected) or bearer token (scripts).

Handlers call `require_user()` or `require_member(workspace_id, permission)`; the
latter is the one place that scopes a request to a workspace.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import CSRFProtect

from api.database import db
from engine import accounts, sessions
from engine.errors import CueflowError, ErrorCode
from engine.model.access import Permission
from engine.store.accounts import Membership, User

csrf = CSRFProtect()
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
SESSION_KEY = "sid"  # the browser session's secret, in the signed cookie


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config.setdefault("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    csrf.init_app(app)
    app.before_request(_protect_cookie_sessions)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _protect_cookie_sessions() -> None:
    """A state change made with the session cookie must carry the CSRF token.

    Bearer-token requests are exempt: a browser never attaches them by itself.
    """
    if request.method in _UNSAFE and _bearer() is None and session.get(SESSION_KEY):
        csrf.protect()


def now() -> datetime:
    return datetime.now(UTC)


def current_user() -> User | None:
    if "current_user" in g:
        return g.current_user
    user: User | None = None
    token = _bearer()
    if token is not None:
        user = accounts.user_for_token(db(), token, now())
        if user is None:
            raise CueflowError(ErrorCode.UNAUTHENTICATED, "The API token is unknown or expired")
        if db().dirty:  # last_used_at, touched at most once a minute
            db().commit()
    elif session.get(SESSION_KEY):
        user = sessions.user_of(db(), session[SESSION_KEY], now(), session_limits())
        if db().dirty:  # last seen (at most once a minute), or ended for idling
            db().commit()
        if user is None:
            session.clear()
    g.current_user = user
    return user


def session_limits() -> sessions.Limits:
    config = current_app.config
    return sessions.Limits(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        lifetime=config["PERMANENT_SESSION_LIFETIME"],
    )


def require_user() -> User:
    user = current_user()
    if user is None:
        raise CueflowError(ErrorCode.UNAUTHENTICATED, "Log in or send a bearer token")
    return user


def require_member(workspace_id: int, permission: Permission = Permission.READ) -> Membership:
    """The caller's membership of the workspace: 401 when anonymous, 404 outside it, 403 without
    the right."""
    user = require_user()
    return accounts.require_member(db(), user.id, workspace_id, permission)


def sign_in(user: User) -> None:
    """Start a browser session for `user` (committed here: the cookie must find it)."""
    agent = request.headers.get("User-Agent", "")
    secret = sessions.start(db(), user, now(), agent)
    db().commit()
    session.clear()
    session[SESSION_KEY] = secret
    session.permanent = True
    g.current_user = user


def current_session() -> str | None:
    """The secret of this browser's session, if it has one."""
    return session.get(SESSION_KEY)


def sign_out() -> None:
    """End this browser's session on the server too: a copy of the cookie is worthless."""
    secret = current_session()
    if secret:
        sessions.end(db(), secret, now())
        db().commit()
    session.clear()
    g.pop("current_user", None)
