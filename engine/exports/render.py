"""Jinja2 (shipped with Flask) for the report templates under templates/, with the few
filters they share: times, minutes, percentages and Markdown table cells."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from engine.exports.durations import duration, lateness

TEMPLATES = Path(__file__).resolve().parent / "templates"
DASH = "—"


def when(value: str | None) -> str:
    """An ISO 8601 time of the report (already in the run's zone) as `11-11 19:30`."""
    if not value:
        return DASH
    return datetime.fromisoformat(value).strftime("%m-%d %H:%M")


def num(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        value = int(value)
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def yesno(value: bool | None) -> str:
    return DASH if value is None else ("✓" if value else "✗")


def md(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipe or line break ends the cell."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", " ")


_MARKDOWN_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


def inert_markdown(value: Any) -> Any:
    """Every value a Markdown template prints, as text a renderer shows and never runs: no
    raw HTML (`<script>`, `<img onerror>`), no autolink, no link or image (`[x](javascript:…)`)."""
    return value.translate(_MARKDOWN_INERT) if isinstance(value, str) else value


@cache
def environment(autoescape: bool) -> Environment:
    """HTML templates escape HTML; Markdown templates make every printed value inert."""
    env = Environment(
        finalize=None if autoescape else inert_markdown,
        loader=FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        when=when, num=num, duration=duration, lateness=lateness, pct=pct, yesno=yesno, md=md
    )
    return env
