"""RQ is the doorbell: after a transaction commits, ring for the work it left behind.

Engine functions never enqueue directly. They note what should happen next with
`later(session, intent)`; the session rings those intents only once its transaction
has committed (and forgets them on rollback), so a job never runs ahead of the data it
needs. A ring that fails (Redis down) loses nothing: the reconcile sweep finds the same
work in the database.

Timer jobs have deterministic ids, so ringing again for the same work
(after go-live moved, say) replaces the scheduled job instead of adding one.

RQ holds only the near future: a timer further ahead than `SCHEDULE_AHEAD` is not rung
when it is written; the reconcile sweep (every 30 s) rings it once it comes within
reach. A 3000-task runbook thus keeps a few jobs in Redis, not six thousand, and an
advance that opens a hundred tasks does not wait on two hundred enqueues. A job left at
an old time (go-live moved further out) rings early and is ignored by `fire_timer`. Advance
jobs do not: one may be running while the next is rung, and overwriting a running job's
record in Redis is not safe. Every job is idempotent, so a duplicate changes nothing.

Every job is enqueued with retries: one whose worker died (its lease ran out,
engine/executor/worker.py) or that raised goes back to the front of the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from engine.executor.connection import QUEUE_NAME

log = logging.getLogger(__name__)
_KEY = "cueflow.intents"
# How far ahead timer jobs are put in RQ's schedule: many sweeps' worth (every 30 s).
SCHEDULE_AHEAD = timedelta(minutes=10)
# A job tried again after its worker died or it raised (at once: it is idempotent).
RETRY = Retry(max=3, enqueue_at_front=True)


@dataclass(frozen=True)
class AdvanceRun:
    run_id: int


@dataclass(frozen=True)
class FireTimer:
    timer_id: int
    at: datetime


@dataclass(frozen=True)
class DeliverChannel:
    channel_id: int
    at: datetime


Intent = AdvanceRun | FireTimer | DeliverChannel


def later(session: Session, intent: Intent) -> None:
    """Ring for `intent` once this session's transaction commits."""
    session.info.setdefault(_KEY, []).append(intent)


def forget(session: Session) -> None:
    """Drop the intents noted so far (a caller that drives the executor in-process)."""
    session.info.pop(_KEY, None)


def timer_job_id(timer_id: int) -> str:
    return f"cueflow-timer-{timer_id}"


class Doorbell:
    """Enqueues the executor's jobs on one Redis."""

    def __init__(self, connection: redis.Redis, queue_name: str = QUEUE_NAME) -> None:
        self.queue = Queue(queue_name, connection=connection)

    def ring(self, intents: Iterable[Intent], now: datetime | None = None) -> None:
        """Enqueue a job for each intent (once each, in order), in one round trip to Redis;
        timers beyond `SCHEDULE_AHEAD` of `now` (the clock's by default) are left out."""
        from engine.executor import jobs  # the job functions import the store

        horizon = (now or datetime.now(UTC)) + SCHEDULE_AHEAD
        with self.queue.connection.pipeline() as pipe:
            for intent in dict.fromkeys(intents):
                if isinstance(intent, FireTimer) and intent.at > horizon:
                    continue  # the sweep rings it when it comes within reach
                if isinstance(intent, AdvanceRun):
                    self.queue.enqueue(jobs.advance, intent.run_id, retry=RETRY, pipeline=pipe)
                elif isinstance(intent, DeliverChannel):
                    self._deliver(jobs, intent, pipe)
                else:
                    ident = timer_job_id(intent.timer_id)
                    self.queue.enqueue_at(
                        intent.at,
                        jobs.fire,
                        intent.timer_id,
                        job_id=ident,
                        retry=RETRY,
                        pipeline=pipe,
                    )
            pipe.execute()

    def _deliver(self, jobs, intent: DeliverChannel, pipe) -> None:
        """Due now: a job at once (duplicates find nothing left to send). Due later (a retry,
        a spent budget): one scheduled job per channel, replaced by the next ring."""
        if intent.at <= datetime.now(UTC):
            self.queue.enqueue(jobs.deliver, intent.channel_id, retry=RETRY, pipeline=pipe)
        else:
            ident = f"cueflow-deliver-{intent.channel_id}"
            self.queue.enqueue_at(
                intent.at, jobs.deliver, intent.channel_id, job_id=ident, retry=RETRY, pipeline=pipe
            )

    def install(self, sessions: sessionmaker) -> None:
        """Ring every session's intents after its commit; drop them after a rollback."""

        def rang(session: Session) -> None:
            intents = session.info.pop(_KEY, [])
            if not intents:
                return
            try:
                self.ring(intents)
            except redis.RedisError:
                log.warning("could not ring %d job(s); reconcile will", len(intents))

        def dropped(session: Session, _previous_transaction) -> None:
            session.info.pop(_KEY, None)

        event.listen(sessions, "after_commit", rang)
        event.listen(sessions, "after_soft_rollback", dropped)
