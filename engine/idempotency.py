"""Idempotent actions for flaky phones: the first request with a key claims it (one
transaction, so of two at once one wins); when it succeeds its answer is kept with the key;
the same key again, for the same request, gets that answer instead of acting twice. Keys
live a day, per user. A request that fails frees its key: the retry acts anew."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.store.idempotency import IdempotentAnswer

KEPT_FOR = timedelta(days=1)
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def claim(session: Session, user_id: int, key: str, request: str, now: datetime) -> Answer | None:
    """Claim `key` for this request (committed), or the answer the key already has.

    Raises `request.idempotency_key_reused` (422) when the key came with another request,
    and `request.in_progress` (409) while its first request is still running."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise CueflowError(
            ErrorCode.VALIDATION,
            f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} characters.",
            errors=[FieldError("Idempotency-Key", "Use a fresh random value per action.")],
        )
    session.execute(delete(IdempotentAnswer).where(IdempotentAnswer.created_at < now - KEPT_FOR))
    row = IdempotentAnswer(user_id=user_id, key=key, request=request, created_at=now)
    session.add(row)
    try:
        session.commit()
        return None
    except IntegrityError:
        session.rollback()
    first = session.scalar(
        select(IdempotentAnswer).where(
            IdempotentAnswer.user_id == user_id, IdempotentAnswer.key == key
        )
    )
    if first is None:  # freed between our insert and this read: a rare race, try again
        raise CueflowError(ErrorCode.IN_PROGRESS, "Send the action again in a moment.")
    if first.request != request:
        raise CueflowError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This Idempotency-Key was used for another request; send a new one.",
        )
    if first.status is None:
        raise CueflowError(ErrorCode.IN_PROGRESS, "The first request with this key is running.")
    return Answer(first.status, first.body or "")


def keep(session: Session, user_id: int, key: str, answer: Answer) -> None:
    """The claimed key's request succeeded: keep its answer (committed)."""
    row = _row(session, user_id, key)
    if row is not None:
        row.status, row.body = answer.status, answer.body
        session.commit()


def free(session: Session, user_id: int, key: str) -> None:
    """The claimed key's request failed: let a retry act anew (committed)."""
    session.rollback()
    row = _row(session, user_id, key)
    if row is not None and row.status is None:
        session.delete(row)
        session.commit()


def _row(session: Session, user_id: int, key: str) -> IdempotentAnswer | None:
    return session.scalar(
        select(IdempotentAnswer).where(
            IdempotentAnswer.user_id == user_id, IdempotentAnswer.key == key
        )
    )
