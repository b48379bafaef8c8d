"""The request's database session: opened on first use, closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from engine.executor.connection import connect
from engine.executor.doorbell import Doorbell
from engine.notify.settings import notify_settings_from_env
from engine.store.db import Database


def init_app(app: Flask) -> None:
    database = Database(app.config["DATABASE_URL"])
    doorbell = Doorbell(connect(app.config["REDIS_URL"]))
    doorbell.install(database.sessions)  # jobs are enqueued after each commit
    app.extensions["cueflow.db"] = database
    app.extensions["cueflow.doorbell"] = doorbell
    app.extensions["cueflow.notify_settings"] = notify_settings_from_env()
    app.teardown_appcontext(_close)


def database() -> Database:
    return current_app.extensions["cueflow.db"]


def db() -> Session:
    """The session of this request. Handlers commit explicitly; teardown rolls back the rest."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
