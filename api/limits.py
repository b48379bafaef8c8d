"""Rate limits (Flask-Limiter), stored in Redis so every web process shares the counters."""

from __future__ import annotations

from flask import Flask, current_app
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
    return current_app.config["LOGIN_RATE_LIMIT"]
