"""Tasks and events as CSV for spreadsheets, written a batch of rows at a time so an
export of any size streams.

UTF-8 with a byte-order mark (so Excel reads Chinese right), one header row, times in
ISO 8601, `before`/`after` as JSON. A text cell a spreadsheet would run as a formula
(starting with = + - @, a tab or a return) gets a leading apostrophe, as OWASP advises
against CSV injection: a task note is typed by anyone in the run.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TASK_COLUMNS = (
    "task_id",
    "node_id",
    "title",
    "role",
    "status",
    "blocked",
    "assignee_id",
    "assignee",
    "ready_at",
    "claimed_at",
    "due_at",
    "completed_at",
    "completed_by_id",
    "completed_by",
    "minutes_past_due",
    "note",
)
EVENT_COLUMNS = (
    "id",
    "at",
    "kind",
    "actor_id",
    "actor",
    "run_id",
    "runbook_id",
    "node_id",
    "task_id",
    "before",
    "after",
    "note",
)


def cell(value: Any, zone: tzinfo | None = None) -> Any:
    """One value as the spreadsheet should read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return (value.astimezone(zone) if zone else value).isoformat()
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_chunks(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    zone: tzinfo | None = None,
    batch: int = 500,
) -> Iterator[str]:
    """The CSV text in chunks: the header first, then `batch` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield BOM + _take(buffer)
    for count, row in enumerate(rows, 1):
        writer.writerow([cell(row.get(column), zone) for column in columns])
        if count % batch == 0:
            yield _take(buffer)
    if buffer.tell():
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
