"""Browser sessions, held on the server: signing in starts one, every request finds its
user through it, and it ends on logout, on "log out everywhere", on a password change,
after `idle` without a request or `lifetime` after it began. The cookie holds a random
secret; the table holds its SHA-256, so a database read reveals no usable cookie."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.accounts import authenticate, hash_password, secret_digest
from engine.store.accounts import BrowserSession, User

# A request touches its session's last-seen time at most this often: reading is the
# common case and should not be a write.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Limits:
    idle: timedelta  # ends after this long without a request
    lifetime: timedelta  # ends this long after signing in, however busy


def start(session: Session, user: User, now: datetime, user_agent: str = "") -> str:
    """A new session for `user` (log-in, sign-up, an accepted invitation: each is the
    user's last sign-in); returns the secret for the cookie."""
    secret = secrets.token_urlsafe(32)
    user.last_login_at = now
    session.add(
        BrowserSession(
            user_id=user.id,
            token_hash=secret_digest(secret),
            user_agent=user_agent[:200],
            created_at=now,
            last_seen_at=now,
        )
    )
    return secret


def user_of(session: Session, secret: str, now: datetime, limits: Limits) -> User | None:
    """The user of a live session, or None (unknown, ended, idle too long, too old)."""
    row = session.scalar(
        select(BrowserSession).where(
            BrowserSession.token_hash == secret_digest(secret), BrowserSession.ended_at.is_(None)
        )
    )
    if row is None:
        return None
    if now - row.last_seen_at > limits.idle or now - row.created_at > limits.lifetime:
        row.ended_at = now
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return row.user


def end(session: Session, secret: str, now: datetime) -> None:
    """Log this browser out."""
    session.execute(
        update(BrowserSession)
        .where(
            BrowserSession.token_hash == secret_digest(secret), BrowserSession.ended_at.is_(None)
        )
        .values(ended_at=now)
    )


def end_all(session: Session, user_id: int, now: datetime, *, keep: str | None = None) -> int:
    """Log the user out everywhere (but the browser holding `keep`); how many ended."""
    statement = update(BrowserSession).where(
        BrowserSession.user_id == user_id, BrowserSession.ended_at.is_(None)
    )
    if keep is not None:
        statement = statement.where(BrowserSession.token_hash != secret_digest(keep))
    return session.execute(statement.values(ended_at=now)).rowcount


def change_password(
    session: Session, user: User, current: str, new: str, now: datetime, *, keep: str | None
) -> int:
    """A new password, once the current one is proven; every other session ends."""
    authenticate(session, user.email, current, now)
    user.password_hash = hash_password(new)
    return end_all(session, user.id, now, keep=keep)
