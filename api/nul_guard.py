"""Every request: a NUL character in the query string, a form field or anywhere in a JSON
body (a value or a key, at any depth) is a field error naming its path, before any route
runs. PostgreSQL text and JSON cannot hold NUL; this is the one place that refuses it, so
no route's schema has to (and none can forget to)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, request

from engine.errors import CueflowError, ErrorCode, FieldError

NUL = "\x00"
MESSAGE = "Must not contain NUL characters."


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)


def refuse_nul() -> None:
    paths = [name for name, value in request.args.items(multi=True) if NUL in name + value]
    if request.mimetype == "application/x-www-form-urlencoded" or request.files:
        paths += [name for name, value in request.form.items(multi=True) if NUL in name + value]
    # A JSON text can only hold NUL as the escape \u0000: look further only when it is there.
    if request.is_json and b"\\u0000" in request.get_data(cache=True):
        paths += list(nul_paths(request.get_json(silent=True)))
    if paths:
        raise CueflowError(
            ErrorCode.VALIDATION,
            f"{paths[0]}: {MESSAGE}",
            errors=[FieldError(field=path, message=MESSAGE) for path in paths],
        )


def nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """The dotted paths of every string holding NUL (a key holding one is named escaped)."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = key.replace(NUL, "\\u0000")
            here = f"{path}.{name}" if path else name
            if NUL in key:
                yield here
            else:
                yield from nul_paths(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}.{index}" if path else str(index))
