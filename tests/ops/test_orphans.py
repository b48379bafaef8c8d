"""No orphaned RQ scheduler: a worker started as `cueflow up` starts it (`--with-scheduler`)
takes its scheduler child down with it when it is killed, and the scheduler lock is free
for the worker that replaces it (not held by an orphan until it expires a minute later)."""

from __future__ import annotations

import os
import signal
import subprocess

import redis
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler

from api.launcher import worker_command
from engine.config import PROJECT_ROOT
from engine.executor.connection import QUEUE_NAME
from tests.ops.processes import alive, children, kill_all, wait_for

LOCK = RQScheduler.get_locking_key(QUEUE_NAME)


def _lock_holder(connection: redis.Redis) -> int | None:
    """The pid of the scheduler holding the queue's scheduler lock, if one does."""
    name = connection.get(LOCK)
    if name is None:
        return None
    pid = connection.hget(SCHEDULER_KEY_TEMPLATE % name.decode(), "pid")
    return int(pid) if pid else None


def _scheduler_of(worker: subprocess.Popen, connection: redis.Redis) -> int | None:
    """The worker's scheduler child, once it holds the lock."""
    holder = _lock_holder(connection)
    return holder if holder in {p.pid for p in children(worker.pid)} else None


def test_a_killed_worker_takes_its_scheduler_with_it(redis_url, database_url, tmp_path):
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CUEFLOW_INSTANCE_PATH": str(tmp_path),
    }

    def start(name: str) -> subprocess.Popen:
        return subprocess.Popen(worker_command(redis_url, name), cwd=PROJECT_ROOT, env=env)

    first = start("orphan-test-first")
    started = [first]
    try:
        scheduler = wait_for(lambda: _scheduler_of(first, connection), 30, "the scheduler runs")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

        wait_for(lambda: not alive(scheduler), 10, "the scheduler dies with its worker")
        wait_for(lambda: connection.get(LOCK) is None, 5, "the scheduler lock is released")

        second = start("orphan-test-second")
        started.append(second)
        taken = wait_for(lambda: _scheduler_of(second, connection), 30, "the next one schedules")
        assert taken != scheduler
    finally:
        tree = [p.pid for w in started for p in children(w.pid, recursive=True)]
        for worker in started:
            worker.kill()
            worker.wait(timeout=10)
        kill_all(tree)
