"""`Idempotency-Key` on actions (engine/idempotency.py has the rules): wrap a route's view
so that a retried request with the same key gets the first answer instead of acting again.
Without the header, nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, request

from api.access import now, require_user
from api.database import db
from engine import idempotency

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"  # on an answer given again
IDEMPOTENCY_KEY = {  # the header, for a route's OpenAPI parameters
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY_LENGTH},
    "description": "A fresh random value per action: a retry with the same key (within a "
    "day) gets the first answer instead of acting again.",
}


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        user_id = require_user().id
        fingerprint = idempotency.fingerprint(
            request.method, request.path, request.get_data(cache=True)
        )
        first = idempotency.claim(db(), user_id, key, fingerprint, now())
        if first is not None:
            replay = Response(first.body, status=first.status, mimetype="application/json")
            replay.headers[REPLAYED] = "true"
            return replay
        try:
            answer = view(*args, **kwargs)
        except Exception:
            idempotency.free(db(), user_id, key)
            raise
        body = answer.get_data(as_text=True)
        idempotency.keep(db(), user_id, key, idempotency.Answer(answer.status_code, body))
        return answer

    return wrapper
