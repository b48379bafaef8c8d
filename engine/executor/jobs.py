"""The RQ jobs. Each takes ids, opens its own short transaction, and does nothing when the
work is already done, so a duplicate, late or repeated job is harmless.

Workers find the database in `DATABASE_URL` (or the embedded SQLite default) and ring
follow-up jobs on the Redis their job came from.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rq import get_current_job

from engine.executor import runtime
from engine.executor.advance import advance_run
from engine.executor.deliveries import deliver_channel
from engine.executor.reconcile import GRACE, reconcile_all
from engine.executor.timers import fire_timer

SWEEP_TIMEOUT = 300  # seconds a reconcile sweep may take


def _now() -> datetime:
    return datetime.now(UTC)


def advance(run_id: int) -> int:
    """Move a run on from every node its outbox holds."""
    with runtime.database(get_current_job()).session() as session:
        return advance_run(session, run_id, _now())


def fire(timer_id: int) -> bool:
    """A timer's time has come (RQ's scheduler rang)."""
    with runtime.database(get_current_job()).session() as session:
        return fire_timer(session, timer_id, _now())


def deliver(channel_id: int) -> int:
    """Send what is due on one notification channel."""
    return deliver_channel(
        runtime.database(get_current_job()), channel_id, _now(), runtime.notify_settings()
    )


def reconcile(grace_seconds: float | None = None) -> dict[str, int]:
    """The periodic sweep (every 30 s, `rq cron`): finish what a lost job left behind.
    `grace_seconds`: how old outbox rows and overdue timers must be (default 5 s)."""
    job = get_current_job()
    grace = GRACE if grace_seconds is None else timedelta(seconds=grace_seconds)
    return reconcile_all(runtime.database(job), runtime.doorbell(job), _now(), grace=grace)
