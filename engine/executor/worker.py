"""The executor's RQ worker: RQ's SimpleWorker holding a short lease on the job it runs.

A worker killed with SIGKILL (or frozen) mid-job leaves the job in RQ's StartedJobRegistry.
RQ itself gives it up only once its timeout plus a minute has passed, at the next
maintenance (every ten minutes). Here a job's entry in that registry is a lease of
`LEASE` seconds, renewed every `TICK` by a thread of the worker for as long as the job
runs, so it runs out within `LEASE` of the worker's death. The same thread, in every
worker, hands leases that ran out to RQ's own abandoned-job handling
(`StartedJobRegistry.cleanup`), which puts a job that has retries left back on the queue,
at its front; the doorbell enqueues every job with retries (engine/executor/doorbell.py).
Every job is idempotent (the advance through the run's lock and outbox), so a job run
again after its worker died creates nothing twice.

A worker that starts (or restarts) rings the reconcile sweep at once, without its grace:
what was lost while no worker was alive is picked up then, not at the next 30 s sweep.

Workers without the lease (plain `rq worker`) may share the queue: their jobs' entries
carry RQ's long timeout, which no lease check mistakes for expired.
"""

from __future__ import annotations

import math
import threading
import time

from rq.job import Job
from rq.worker import SimpleWorker

LEASE = 2.0  # seconds a job's lease lasts without renewal
TICK = 0.5  # seconds between renewals (and between checks for leases that ran out)
_TAKE_BACK_KEY = "cueflow.lease-sweep:{}"  # one worker at a time hands a queue's back


class ExecutorWorker(SimpleWorker):
    """SimpleWorker (no fork per job: cached graphs survive) with leases on its jobs."""

    def bootstrap(self, *args, **kwargs) -> None:
        self._stopping = threading.Event()
        self._ring_start_sweep()  # before the worker shows as started: it is queued by then
        super().bootstrap(*args, **kwargs)
        threading.Thread(target=self._keep_leases, name="cueflow-lease", daemon=True).start()

    def teardown(self) -> None:
        self._stopping.set()
        super().teardown()

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        """A job's first lease, written by RQ in whole seconds from a truncated clock (hence
        the extra second) before the lease thread first renews it."""
        return math.ceil(LEASE) + 1

    def _ring_start_sweep(self) -> None:
        from engine.executor import jobs  # the job functions import the store

        for queue in self.queues:
            queue.enqueue(
                jobs.reconcile, grace_seconds=0, at_front=True, job_timeout=jobs.SWEEP_TIMEOUT
            )

    def _keep_leases(self) -> None:
        while not self._stopping.wait(TICK):
            try:
                self.renew_leases()
                self.take_back_expired()
            except Exception:  # a lease thread that died would abandon every job
                self.log.exception("Worker %s: could not keep the leases", self.name)

    def renew_leases(self) -> None:
        """Move the lease of every job this worker runs `LEASE` seconds on (and keep the
        worker's own record alive: RQ shortened it to the first lease)."""
        executions = list(self.executions.values())
        if not executions:
            return
        until = time.time() + LEASE
        with self.connection.pipeline(transaction=False) as pipe:
            for execution in executions:
                registry_key = execution.job.started_job_registry.key
                # XX: a job that just finished (its entry removed) is not brought back.
                pipe.zadd(registry_key, {execution.composite_key: until}, xx=True)
                pipe.expire(execution.key, math.ceil(LEASE) + 1)
            self.heartbeat(pipeline=pipe)
            pipe.execute()

    def take_back_expired(self) -> None:
        """Hand the jobs whose lease ran out to RQ's abandoned-job handling (one worker at a
        time; a job put back twice would still do its work once)."""
        for queue in self.queues:
            registry = queue.started_job_registry
            now = time.time()
            if not self.connection.zcount(registry.key, 0, now):
                continue
            lock = _TAKE_BACK_KEY.format(queue.name)
            if self.connection.set(lock, self.name, nx=True, px=int(TICK * 1000)):
                registry.cleanup(now, exception_handlers=self._exc_handlers)
