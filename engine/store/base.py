"""The declarative base, naming conventions and column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic can alter and drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone; PostgreSQL keeps `timestamptz`. Both come back as
    aware UTC datetimes, so comparisons never mix naive and aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(enum_class: type, name: str) -> Enum:
    """A status or kind enum stored as its string values, checked by the database."""
    return Enum(
        enum_class,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        length=16,
        create_constraint=True,
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


_INSERT_OR_SKIP: dict[tuple[str, str], Any] = {}


def insert_or_skip(session: Session, table: type[Base], **values: Any) -> None:
    """INSERT one row unless it would break a unique constraint (then nothing happens):
    one statement, on SQLite and PostgreSQL alike (built once per dialect and table)."""
    dialect = session.get_bind().dialect.name
    key = (dialect, table.__tablename__)
    statement = _INSERT_OR_SKIP.get(key)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = _INSERT_OR_SKIP[key] = insert(table.__table__).on_conflict_do_nothing()
    session.connection().execute(statement, values)
