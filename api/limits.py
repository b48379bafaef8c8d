"""Rate limits (Flask-Limiter), stored in Redis so every web process shares the counters."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from engine.executor.connection import limiter_storage_uri

limiter = Limiter(key_func=get_remote_address)


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", limiter_storage_uri(app.config["REDIS_URL"]))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "cueflow-limits")
    limiter.init_app(app)


def login_limit() -> str:
    """Attempts at one account from one address (password guessing)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def login_address_limit() -> str:
    """Attempts from one address at any accounts: loose enough for a whole crew behind one
    office or venue address signing in before a show, tight enough to stop spraying."""
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def account_key() -> str:
    """The address and the e-mail being tried, as the key of `login_limit`."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    account = email.strip().lower() if isinstance(email, str) else ""
    return f"{get_remote_address()}|{account}"
