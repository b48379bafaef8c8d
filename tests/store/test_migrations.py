"""The migrations and the models agree, and the chain goes up and down on this backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from engine.store import migrate
from engine.store.db import Database, metadata


def test_models_and_migrations_agree(database_url):
    db = Database(database_url)
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    db.dispose()
    assert diff == []


def test_downgrade_to_base_and_back_to_head(app, database_url):
    db = Database(database_url)
    try:
        migrate.downgrade(database_url, "base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(database_url, "head")
        assert set(inspect(db.engine).get_table_names()) >= set(metadata.tables)
        assert migrate.is_at_head(db.engine)
    finally:
        migrate.upgrade(database_url, "head")
        db.dispose()
