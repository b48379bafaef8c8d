"""Fixtures shared by every layer that needs the real database, Redis or the app.

The suite runs on a temporary SQLite file and an embedded Redis by default; with
TEST_DATABASE_URL / REDIS_URL set it runs on those (PostgreSQL and a real Redis in CI).
Tests under tests/model need none of this and never touch it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from sqlalchemy import text

from engine.executor.connection import start_embedded
from engine.store import migrate
from engine.store.db import Database, metadata, normalise_url
from tests.factories import Factory

TEST_REDIS_DB = int(os.environ.get("CUEFLOW_TEST_REDIS_DB", "13"))


def _with_db_number(url: str, number: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return urlunsplit(parts._replace(query=f"db={number}"))
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A Redis db of the suite's own: the machine's (REDIS_URL) or an embedded server."""
    given = os.environ.get("REDIS_URL")
    if given:
        yield _with_db_number(given, TEST_REDIS_DB)
        return
    server, url = start_embedded(tmp_path_factory.mktemp("redis") / "redis.rdb")
    yield url
    server.shutdown()


def _reset_postgres(url: str) -> None:
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database migrated to head: TEST_DATABASE_URL (wiped first) or a fresh SQLite file."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        url = normalise_url(given)
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'cueflow-test.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def _app(database_url, redis_url, tmp_path_factory):
    os.environ.setdefault("CUEFLOW_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
    # The operator's allowance that lets notifications reach the tests' local receivers
    # (the app and the RQ workers the tests start both read it).
    os.environ.setdefault("CUEFLOW_NOTIFY_ALLOW_NETWORKS", "127.0.0.1/32")
    from api import create_app

    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "test-secret",
            "PUBLIC_URL": "http://cueflow.test",
            # Short-lived event streams, so a test (or schemathesis) reading one to its end
            # waits half a second, and a browser reconnects at once.
            "STREAM_SECONDS": 0.5,
            "STREAM_POLL_SECONDS": 0.1,
        }
    )


def _wipe(database: Database) -> None:
    tables = list(reversed(metadata.sorted_tables))
    with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def app(_app, redis_url):
    """The app with an empty database and an empty Redis db, for one test."""
    _wipe(_app.extensions["cueflow.db"])
    redis.Redis.from_url(redis_url).flushdb()
    return _app


@pytest.fixture
def database(app) -> Database:
    return app.extensions["cueflow.db"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app, database) -> Factory:
    return Factory(app, database)
