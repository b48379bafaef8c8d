"""Settings read from the environment (12-factor), shared by the web app, workers and scripts."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """Where local state lives: the SQLite file and the embedded Redis."""
    path = Path(os.environ.get("CUEFLOW_INSTANCE_PATH", PROJECT_ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url_from_env() -> str:
    """DATABASE_URL, or the SQLite file under the instance folder."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path() / 'cueflow.db'}"


def public_url_from_env() -> str:
    """CUEFLOW_PUBLIC_URL: the base of links Cueflow hands out (invitations, notifications)."""
    return os.environ.get("CUEFLOW_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")


def redis_url_from_env() -> str | None:
    """REDIS_URL, or None to use the embedded Redis."""
    return os.environ.get("REDIS_URL") or None


def secret_key_from_env() -> str:
    """SECRET_KEY, or a random key kept in the instance folder so every local process shares it."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance_path() / "secret_key"
    if not path.exists():
        import secrets

        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
