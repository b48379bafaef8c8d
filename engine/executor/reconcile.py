"""The reconcile sweep: the database says what should be happening; make it so.

RQ is only the doorbell, and a doorbell can fail: a worker killed with SIGKILL in the
middle of an advance, Redis restarted or flushed, a ring that never reached Redis. The
sweep runs every 30 s (`rq cron`, engine/executor/cron.py) and on demand; several
workers may run it at once safely, since every step takes the run's lock and is
idempotent. It:

1. advances every running run whose outbox holds a node older than a few seconds;
2. fires every pending timer whose time is past (a ring that was lost);
3. rings every pending timer due within `SCHEDULE_AHEAD` whose job is not in RQ's
   schedule at its time (never rung because it was further ahead, Redis was flushed,
   go-live moved), so it fires on time;
4. rings the delivery job of every channel with a notification overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from engine.executor.advance import advance_run
from engine.executor.doorbell import (
    SCHEDULE_AHEAD,
    DeliverChannel,
    Doorbell,
    FireTimer,
    timer_job_id,
)
from engine.executor.timers import fire_timer
from engine.model.run_states import RunStatus
from engine.store.db import Database
from engine.store.notify import Delivery, DeliveryStatus
from engine.store.runs import PendingAdvance, Run, Timer, TimerStatus

GRACE = timedelta(seconds=5)  # let the normal job do its work first


@dataclass
class Sweep:
    advanced_runs: int = 0
    fired_timers: int = 0
    rescheduled_timers: int = 0
    channels_rung: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


def reconcile_all(
    database: Database, doorbell: Doorbell, now: datetime, *, grace: timedelta = GRACE
) -> dict[str, int]:
    sweep = Sweep()
    cutoff = now - grace
    with database.session() as session:
        run_ids = session.scalars(
            select(PendingAdvance.run_id)
            .distinct()
            .join(Run, Run.id == PendingAdvance.run_id)
            .where(Run.status == RunStatus.RUNNING, PendingAdvance.created_at <= cutoff)
        ).all()
        overdue = session.scalars(
            select(Timer.id)
            .join(Run, Run.id == Timer.run_id)
            .where(
                Run.status == RunStatus.RUNNING,
                Timer.status == TimerStatus.PENDING,
                Timer.fire_at <= cutoff,
            )
            .order_by(Timer.fire_at)
        ).all()
        future = session.execute(
            select(Timer.id, Timer.fire_at)
            .join(Run, Run.id == Timer.run_id)
            .where(
                Run.status == RunStatus.RUNNING,
                Timer.status == TimerStatus.PENDING,
                Timer.fire_at > cutoff,
                Timer.fire_at <= now + SCHEDULE_AHEAD,
            )
        ).all()
    for run_id in run_ids:
        with database.session() as session:
            sweep.advanced_runs += advance_run(session, run_id, now) > 0
    for timer_id in overdue:
        with database.session() as session:
            sweep.fired_timers += fire_timer(session, timer_id, now)
    with database.session() as session:
        channels = session.scalars(
            select(Delivery.channel_id)
            .distinct()
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= cutoff)
        ).all()
    doorbell.ring(DeliverChannel(channel_id, now) for channel_id in channels)
    sweep.channels_rung = len(channels)
    missing = _not_scheduled(doorbell, future)
    doorbell.ring((FireTimer(i, at) for i, at in future if i in missing), now=now)
    sweep.rescheduled_timers = len(missing)
    return sweep.as_dict()


def _not_scheduled(doorbell: Doorbell, timers: list[tuple[int, datetime]]) -> set[int]:
    """Timers whose job is not in RQ's schedule at their time (a job for a time still
    ahead can only be there; one at another time was rung before the timer moved)."""
    if not timers:
        return set()
    queue = doorbell.queue
    scheduled_key = queue.scheduled_job_registry.key
    with queue.connection.pipeline(transaction=False) as pipe:
        for timer_id, _ in timers:
            pipe.zscore(scheduled_key, timer_job_id(timer_id))
        scores = pipe.execute()
    return {
        timer_id
        for (timer_id, at), score in zip(timers, scores, strict=True)
        if score is None or int(score) != int(at.timestamp())
    }
