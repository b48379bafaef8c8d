"""A test-only RQ job: the advance, stopped in the middle (after its writes, before its
commit) so that a test can kill its worker there, every time.

The worker imports this module from the suite's directory (`rq worker` puts its working
directory on the import path). Arm it with `arm(connection)`; the first execution after
that tells where it hangs (`hanging_pid`) and sleeps; any later one (RQ's retry of the
job, say) is the plain advance.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import redis
from rq import get_current_job

from engine.executor import jobs, runtime
from engine.executor.advance import advance_run

_ARMED = "tests.hang.armed"
_HANGING = "tests.hang.pid"


def arm(connection: redis.Redis) -> None:
    connection.delete(_HANGING)
    connection.set(_ARMED, 1)


def hanging_pid(connection: redis.Redis, timeout: float = 30) -> int:
    """The pid of the worker hanging in the advance (once it is there)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = connection.get(_HANGING)
        if pid is not None:
            return int(pid)
        time.sleep(0.01)
    raise AssertionError("no worker reached the middle of the advance")


def advance(run_id: int) -> int:
    job = get_current_job()
    if not job.connection.delete(_ARMED):
        return jobs.advance(run_id)
    with runtime.database(job).session() as session:
        applied = advance_run(session, run_id, datetime.now(UTC))
        session.flush()
        job.connection.set(_HANGING, os.getpid())
        time.sleep(120)  # killed long before
    return applied
