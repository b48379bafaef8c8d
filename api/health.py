"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import text

from api.database import database
from api.problems import problem_doc, problem_response
from engine.errors import ErrorCode
from engine.executor.connection import connect
from engine.store.migrate import is_at_head

blp = Blueprint("health", __name__, description="Health probes")


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True)


class ReadinessSchema(ma.Schema):
    status = ma.fields.String(required=True)
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


@blp.route("/healthz")
@blp.response(200, HealthSchema)
@blp.doc(security=[])
def healthz():
    """The process is up."""
    return {"status": "ok"}


def _check_database() -> dict[str, str]:
    engine = database().engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not ready", with its reason
        return {"database": f"unreachable: {type(exc).__name__}"}
    return {"database": "ok", "migrations": "ok" if is_at_head(engine) else "behind head"}


def _check_redis() -> dict[str, str]:
    try:
        connect(current_app.config["REDIS_URL"]).ping()
    except Exception as exc:  # connection refused, timeout, auth: all mean not ready
        return {"redis": f"unreachable: {type(exc).__name__}"}
    return {"redis": "ok"}


@blp.route("/readyz")
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, **problem_doc("A dependency is not ready"))
@blp.doc(security=[])
def readyz():
    """The database is reachable and migrated to head, and Redis answers."""
    checks = _check_database() | _check_redis()
    if any(value != "ok" for value in checks.values()):
        detail = ", ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok")
        return problem_response(ErrorCode.UNAVAILABLE, detail, extra={"checks": checks})
    return {"status": "ready", "checks": checks}
