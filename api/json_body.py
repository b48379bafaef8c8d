"""Every request that carries a body: it must be JSON (415 naming the type otherwise), and
it is parsed here, once, with answers that say what is wrong: malformed JSON names the
line and column where it breaks (400), JSON nested too deeply for the parser is refused
(400) instead of exhausting the stack. Routes then read the parsed body from Flask's cache."""

from __future__ import annotations

import json

from flask import Flask, Request, request

from engine.errors import CueflowError, ErrorCode

JSON_TYPE = "application/json"


class JSONRequest(Request):
    """Flask's request, with problem+json answers when its body cannot be read as JSON."""

    def on_json_loading_failed(self, e: ValueError | None):
        if e is None:
            sent = self.mimetype or "no Content-Type"
            raise CueflowError(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                f"Send the body as JSON with “Content-Type: {JSON_TYPE}” (this was {sent}).",
                extra={"expected": JSON_TYPE},
            )
        if isinstance(e, json.JSONDecodeError):
            raise CueflowError(
                ErrorCode.BAD_REQUEST,
                f"The body is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}.",
                extra={"line": e.lineno, "column": e.colno},
            )
        raise CueflowError(ErrorCode.BAD_REQUEST, f"The body is not valid JSON: {e}.")


def init_app(app: Flask) -> None:
    app.request_class = JSONRequest
    app.before_request(parse_json_body)


def parse_json_body() -> None:
    if request.method not in ("POST", "PUT", "PATCH") or not request.path.startswith("/api/"):
        return
    if not request.get_data(cache=True):
        return
    try:
        request.get_json(cache=True)
    except RecursionError:
        raise CueflowError(
            ErrorCode.BAD_REQUEST, "The JSON body is nested too deeply to read."
        ) from None
