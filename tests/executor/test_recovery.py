"""A worker killed with SIGKILL in the middle of an advance (its writes made, its commit
not): the run moves on within 5 s, on a worker started after the kill (its start sweep)
or on one that was alive all along (the dead job's lease runs out and RQ's abandoned-job
handling puts it back on the queue), and nothing is created twice. The figures are
printed (`pytest -s`).

The kill is deterministic: the job is tests/executor/hang.py's advance, which stops after
its writes, before its commit, and says so.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from rq import Queue
from sqlalchemy import func, select

from engine.executor.doorbell import RETRY, Doorbell
from engine.executor.reconcile import reconcile_all
from engine.store.runs import PendingAdvance, Task
from tests.executor import hang
from tests.executor.conftest import graph_of, snapshot, task_node

FAN_OUT = 60
FAN = graph_of(
    [task_node("hub", "host")] + [task_node(f"f{i:03d}", "assistant") for i in range(FAN_OUT)],
    [("start", "hub")]
    + [("hub", f"f{i:03d}") for i in range(FAN_OUT)]
    + [(f"f{i:03d}", "end") for i in range(FAN_OUT)],
)
BACK_WITHIN = 5.0  # seconds from the kill until the run has moved on


class Stalled:
    """Two runs of FAN on a started worker (`first`): `reference` advanced past its hub
    undisturbed, `run` with its advance past the hub about to be cut (`hang_in_advance`)."""

    def __init__(self, crew, workers, database, app) -> None:
        self.crew, self.workers, self.database, self.app = crew, workers, database, app
        [self.first] = workers.start(scheduler=False)
        workers.listening([self.first])  # its start sweep has run
        self.reference = crew.start_run(FAN)["id"]
        self.run = crew.start_run(FAN)["id"]
        workers.drain()
        self.complete_hub(self.reference)
        workers.drain()

    def complete_hub(self, run_id: int) -> None:
        [hub] = [t for t in self.crew.tasks_of("host") if t["run_id"] == run_id]
        assert self.crew.complete("host", hub).status_code == 200

    def hang_in_advance(self, monkeypatch) -> int:
        """Complete the run's hub; its advance runs as hang.advance on a started worker,
        which stops before its commit. Returns that worker's pid. (The API's own ring goes
        to a queue no worker reads, so the advance is the hanging job's to do.)"""
        doorbell = self.app.extensions["cueflow.doorbell"]
        with monkeypatch.context() as patch:
            patch.setattr(doorbell, "queue", Queue("parked", connection=self.workers.connection))
            self.complete_hub(self.run)
        hang.arm(self.workers.connection)
        self.job = self.workers.queue.enqueue(hang.advance, self.run, retry=RETRY)
        return hang.hanging_pid(self.workers.connection)

    def kill(self, pid: int) -> float:
        """SIGKILL the worker with this pid; returns the (monotonic) time it died."""
        [victim] = [p for p in self.workers.processes if p.pid == pid]
        self.workers.kill(victim)
        died = time.monotonic()
        assert self.pending() == (["hub"], 1), "the killed advance committed nothing"
        return died

    def pending(self) -> tuple[list[str], int]:
        """The run's outbox and how many tasks it has."""
        with self.database.session() as session:
            outbox = session.scalars(
                select(PendingAdvance.node_id).where(PendingAdvance.run_id == self.run)
            ).all()
            count = select(func.count()).select_from(Task).where(Task.run_id == self.run)
            tasks = session.scalar(count)
        return list(outbox), tasks

    def seconds_until_moved_on(self, since: float, timeout: float = 30) -> float:
        deadline = since + timeout
        while time.monotonic() < deadline:
            if self.pending() == ([], 1 + FAN_OUT):
                return time.monotonic() - since
            time.sleep(0.02)
        raise AssertionError(f"the run did not move on within {timeout} s of the kill")

    def assert_advanced_once(self) -> None:
        """The run is exactly what the undisturbed one is: every task, node state, timer
        and event once (an advance applied twice would double tasks and events)."""
        cut, whole = snapshot(self.database, self.run), snapshot(self.database, self.reference)
        assert cut == whole
        assert len(cut["tasks"]) == len({t[0] for t in cut["tasks"]}) == 1 + FAN_OUT
        assert cut["outbox"] == []


@pytest.fixture
def stalled(crew, workers, database, app) -> Stalled:
    return Stalled(crew, workers, database, app)


def test_a_worker_killed_mid_advance_the_next_worker_to_start_brings_it_back(
    stalled, workers, monkeypatch
):
    pid = stalled.hang_in_advance(monkeypatch)
    assert pid == stalled.first.pid  # the only worker
    died = stalled.kill(pid)

    workers.start(scheduler=False)  # the restart: its sweep at start takes the advance back
    elapsed = stalled.seconds_until_moved_on(died)
    print(f"\nlost advance back {elapsed:.2f} s after the kill (a worker started after it)")
    assert elapsed < BACK_WITHIN
    workers.drain()  # the dead job's retry too: it finds nothing left to do
    stalled.assert_advanced_once()


def test_a_worker_killed_mid_advance_a_surviving_worker_brings_it_back(
    stalled, workers, monkeypatch
):
    workers.listening(workers.start(scheduler=False))  # a second one; its start sweep has run
    pid = stalled.hang_in_advance(monkeypatch)
    [survivor] = [p for p in workers.processes if p.pid != pid]
    died = stalled.kill(pid)

    elapsed = stalled.seconds_until_moved_on(died)  # the lease runs out; RQ retries the job
    print(f"\nlost advance back {elapsed:.2f} s after the kill (a worker alive all along)")
    assert elapsed < BACK_WITHIN
    assert survivor.poll() is None
    workers.drain()  # the retried job is done, and no other is left running
    stalled.job.refresh()
    assert stalled.job.retries_left == RETRY.max - 1, "RQ put the abandoned job back once"
    stalled.assert_advanced_once()


def test_a_worker_killed_mid_advance_with_redis_lost_too_is_finished_by_the_sweep(
    stalled, workers, database, monkeypatch
):
    stalled.kill(stalled.hang_in_advance(monkeypatch))
    workers.connection.flushdb()  # RQ's record of the job is gone; the outbox is not

    doorbell = Doorbell(workers.connection)
    swept = reconcile_all(database, doorbell, datetime.now(UTC), grace=timedelta(0))
    assert swept["advanced_runs"] == 1
    stalled.assert_advanced_once()
