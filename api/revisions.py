"""ETag / If-Match for the draft: its `revision` is the entity tag the editor sends back.

A write names the revision it was made on with `If-Match: "<revision>"`; without it the
API answers 428, and when the draft moved on since, 412 with the current draft, so the
editor can show what changed instead of overwriting it.
"""

from __future__ import annotations

from flask import Response, request

from engine.errors import CueflowError, ErrorCode, FieldError

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": 'The draft revision this change was made on, as its ETag: `"7"`. '
    "Required for writes to the draft: 428 without it, 412 when the draft changed since.",
    "schema": {"type": "string"},
}


def etag(revision: int) -> str:
    return f'"{revision}"'


def with_etag(response: Response, revision: int) -> Response:
    response.headers["ETag"] = etag(revision)
    return response


def if_match(*, required: bool = True) -> int | None:
    """The revision named by If-Match; None when absent and optional."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise CueflowError(
                ErrorCode.PRECONDITION_REQUIRED,
                "Send If-Match with the draft's ETag (its revision) so no one's work is"
                " overwritten.",
                errors=[FieldError("If-Match", "Missing.")],
            )
        return None
    value = header.removeprefix("W/").strip().strip('"')
    if not value.isdigit() or len(value) > 12:
        raise CueflowError(
            ErrorCode.PRECONDITION_FAILED,
            f'If-Match {header} is not a draft revision such as "7".',
            errors=[FieldError("If-Match", "Not a draft revision.")],
        )
    return int(value)
