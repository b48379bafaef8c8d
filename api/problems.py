"""Every error leaves as application/problem+json (RFC 9457) with a stable `code`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, json
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.errors import CueflowError, ErrorCode, FieldError, status_of, title_of

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger(__name__)

_CODE_BY_STATUS = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    406: ErrorCode.NOT_ACCEPTABLE,
    409: ErrorCode.CONFLICT,
    412: ErrorCode.PRECONDITION_FAILED,
    413: ErrorCode.BODY_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION,
    428: ErrorCode.PRECONDITION_REQUIRED,
    429: ErrorCode.RATE_LIMITED,
    503: ErrorCode.UNAVAILABLE,
}


def problem_doc(description: str) -> dict[str, str]:
    """Keyword arguments for `blp.alt_response`: an error documented as problem+json."""
    return {"description": description, "content_type": PROBLEM_TYPE}


def problem_response(
    code: ErrorCode,
    detail: str,
    *,
    status: int | None = None,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    status = status or status_of(code)
    body: dict[str, Any] = {
        "type": f"https://cueflow.dev/problems/{code}",
        "title": title_of(code),
        "status": status,
        "detail": detail,
        "code": str(code),
    }
    if errors:
        body["errors"] = [e.as_dict() for e in errors]
    body.update(extra or {})
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten(messages: Any, path: tuple[str, ...] = ()) -> Iterator[FieldError]:
    """webargs/marshmallow messages ({"json": {"a": {"0": ["msg"]}}}) as dotted fields."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(value, (*path, str(key)))
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        field = ".".join(path[1:]) if len(path) > 1 else (path[0] if path else "")
        for message in messages:
            yield FieldError(field=field or "body", message=message)
    elif isinstance(messages, list | tuple):
        for index, value in enumerate(messages):
            yield from _flatten(value, (*path, str(index)))
    else:
        yield FieldError(field=".".join(path[1:]) or "body", message=str(messages))


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    code = _CODE_BY_STATUS.get(
        status, ErrorCode.INTERNAL if status >= 500 else ErrorCode.BAD_REQUEST
    )
    if isinstance(error, CSRFError):
        code, status = ErrorCode.CSRF_FAILED, 403
    errors: list[FieldError] = []
    data = getattr(error, "data", None) or {}
    if "messages" in data:
        errors = list(_flatten(data["messages"]))
    detail = error.description or title_of(code)
    if errors:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in {"content-type", "content-length"}
    }
    headers.update(data.get("headers") or {})
    return problem_response(code, detail, status=status, errors=errors, headers=headers)


def from_cueflow_error(error: CueflowError) -> Response:
    return problem_response(error.code, error.detail, errors=error.errors, extra=error.extra)


def from_unexpected(error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    return problem_response(ErrorCode.INTERNAL, "Something went wrong on our side; it is logged.")


def init_app(app: Flask) -> None:
    app.register_error_handler(CueflowError, from_cueflow_error)
    app.register_error_handler(Exception, from_unexpected)
