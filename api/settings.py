"""Flask configuration from the environment (12-factor). Every variable is in the README."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from engine.config import (
    database_url_from_env,
    public_url_from_env,
    redis_url_from_env,
    secret_key_from_env,
)


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def from_env() -> dict[str, Any]:
    return {
        "SECRET_KEY": secret_key_from_env(),
        "DATABASE_URL": database_url_from_env(),
        "REDIS_URL": redis_url_from_env(),
        "MAX_CONTENT_LENGTH": int(os.environ.get("CUEFLOW_MAX_BODY_BYTES", 8 * 1024 * 1024)),
        "SIGNUP_OPEN": _flag("CUEFLOW_SIGNUP_OPEN", False),
        "LOGIN_RATE_LIMIT": os.environ.get("CUEFLOW_LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ADDRESS_RATE_LIMIT": os.environ.get(
            "CUEFLOW_LOGIN_ADDRESS_RATE_LIMIT", "60 per minute"
        ),
        "SESSION_COOKIE_SECURE": _flag("CUEFLOW_SECURE_COOKIES", False),
        # A browser session ends after this many days however busy, or this many minutes
        # without a request (the default: a week, so staff do not log in before every show).
        "PERMANENT_SESSION_LIFETIME": timedelta(
            days=int(os.environ.get("CUEFLOW_SESSION_LIFETIME_DAYS", 30))
        ),
        "SESSION_IDLE_MINUTES": int(os.environ.get("CUEFLOW_SESSION_IDLE_MINUTES", 7 * 24 * 60)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PUBLIC_URL": public_url_from_env(),
        # How many reverse proxies stand in front (nginx: 1); their X-Forwarded-* are trusted.
        "TRUSTED_PROXIES": int(os.environ.get("CUEFLOW_TRUSTED_PROXIES", 0)),
        # Workspaces one person may create (sign-up's first one included).
        "MAX_WORKSPACES_PER_USER": int(os.environ.get("CUEFLOW_MAX_WORKSPACES_PER_USER", 20)),
    }
