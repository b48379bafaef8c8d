"""The one place a query is narrowed to a workspace, so forgetting it is hard."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from engine.errors import CueflowError, ErrorCode

T = TypeVar("T")


def in_workspace(model: type[T], workspace_id: int) -> Select[tuple[T]]:
    """SELECT model rows of one workspace; extend with .where/.order_by as needed."""
    column: Any = model.workspace_id  # type: ignore[attr-defined]
    return select(model).where(column == workspace_id)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape "\\") for `text` anywhere, lower-cased: compare it with
    `func.lower(column)`. `%`, `_` and backslashes in the text match themselves."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def get_in_workspace(session: Session, model: type[T], object_id: int, workspace_id: int) -> T:
    """The row with this id in this workspace, or NOT_FOUND (also for other workspaces' rows)."""
    pk: Any = model.id  # type: ignore[attr-defined]
    row = session.scalar(in_workspace(model, workspace_id).where(pk == object_id))
    if row is None:
        label = getattr(model, "__label__", model.__name__)
        raise CueflowError(ErrorCode.NOT_FOUND, f"{label} {object_id} not found")
    return row
