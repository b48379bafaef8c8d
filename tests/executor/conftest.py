"""Real RQ workers for the executor's tests: separate processes on the suite's Redis and
database, started and stopped by the tests, as production runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from rq import Queue, Worker
from sqlalchemy import select

from engine.executor.connection import QUEUE_NAME, WORKER_CLASS
from engine.model.access import WorkspaceRole
from engine.store.runs import Event, PendingAdvance, RunNode, Task, Timer
from tests.factories import Person

RQ = str(Path(sys.executable).with_name("rq"))
ROLES = ("host", "assistant", "operator", "controller")


class Workers:
    """Start RQ worker processes; `drain()` waits until the queue is empty and idle."""

    def __init__(self, redis_url: str, database_url: str, instance: Path) -> None:
        self.redis_url = redis_url
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CUEFLOW_INSTANCE_PATH": str(instance),
        }
        self.processes: list[subprocess.Popen] = []
        self.connection = redis.Redis.from_url(redis_url)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    def start(self, count: int = 1, *, scheduler: bool = True) -> list[subprocess.Popen]:
        started = []
        for _ in range(count):
            args = [  # as the launcher starts them: a scheduler dies with its worker
                sys.executable,
                "-m",
                "engine.executor.tether",
                "worker",
                "--url",
                self.redis_url,
                "--worker-class",
                WORKER_CLASS,
                "--quiet",
            ]
            if scheduler:
                args.append("--with-scheduler")
            started.append(subprocess.Popen([*args, QUEUE_NAME], env=self.env))
        self.processes += started
        return started

    def listening(self, processes: list[subprocess.Popen], timeout: float = 30) -> None:
        """Wait until these workers have started (and queued their start sweep), then
        until the queue is drained."""
        deadline = time.monotonic() + timeout
        pids = {process.pid for process in processes}
        while not pids <= {w.pid for w in Worker.all(queue=self.queue)}:
            if time.monotonic() > deadline:
                raise AssertionError("the RQ workers did not start in time")
            time.sleep(0.02)
        self.drain(timeout)

    def burst(self) -> None:
        """Run one worker until the queue is empty (what is scheduled later stays)."""
        subprocess.run(
            [
                RQ,
                "worker",
                "--url",
                self.redis_url,
                "--worker-class",
                WORKER_CLASS,
                "--burst",
                "--quiet",
                QUEUE_NAME,
            ],
            env=self.env,
            check=True,
            timeout=120,
        )

    def drain(self, timeout: float = 30) -> None:
        """Wait until no job is queued or running (the started workers do the work)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.queue.count == 0 and self.queue.started_job_registry.count == 0:
                time.sleep(0.05)
                if self.queue.count == 0 and self.queue.started_job_registry.count == 0:
                    return
            time.sleep(0.02)
        raise AssertionError("the RQ workers did not finish in time")

    def failed(self) -> list[str]:
        registry = self.queue.failed_job_registry
        return [
            (job.exc_info or "")[-2000:]
            for job in (self.queue.fetch_job(i) for i in registry.get_job_ids())
            if job
        ]

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


@pytest.fixture
def workers(app, redis_url, database_url, tmp_path) -> Iterator[Workers]:
    pool = Workers(redis_url, database_url, tmp_path)
    yield pool
    pool.stop()
    assert pool.failed() == [], "jobs failed in the workers"


class Crew:
    """A workspace with a planner and one staff member per role, and helpers to build and
    run a runbook through the API, as the people in it would."""

    def __init__(self, factory) -> None:
        self.ws = factory.workspace()
        self.planner = factory.person(self.ws, WorkspaceRole.PLANNER)
        self.manager = factory.person(self.ws, WorkspaceRole.MANAGER)
        self.staff: dict[str, Person] = {
            role: factory.person(self.ws, WorkspaceRole.STAFF) for role in ROLES
        }
        self.api = self.planner.client()

    def url(self, rest: str) -> str:
        return f"/api/workspaces/{self.ws}{rest}"

    def publish(self, graph: dict) -> int:
        created = self.api.post(self.url("/runbooks"), json={"name": "直播", "graph": graph})
        assert created.status_code == 201, created.json
        runbook_id = created.json["id"]
        published = self.api.post(self.url(f"/runbooks/{runbook_id}/publish"), json={})
        assert published.status_code == 201, published.json
        return runbook_id

    def start_run(self, graph: dict, *, go_live: datetime | None = None, **extra) -> dict:
        runbook_id = self.publish(graph)
        go_live = go_live or datetime.now(UTC) + timedelta(hours=1)
        roster = {role: [person.user_id] for role, person in self.staff.items()}
        body = {
            "runbook_id": runbook_id,
            "go_live": go_live.isoformat(),
            "roster": roster,
            "start": True,
            **extra,
        }
        response = self.api.post(self.url("/runs"), json=body)
        assert response.status_code == 201, response.json
        return response.json

    def tasks_of(self, role: str, **query) -> list[dict]:
        response = (
            self.staff[role]
            .client()
            .get(self.url("/tasks"), query_string={"mine": "true", **query})
        )
        assert response.status_code == 200, response.json
        return response.json

    def complete(self, role: str, task: dict, **payload):
        body = payload or {"checklist": {"done": True}}
        return self.staff[role].client().post(self.url(f"/tasks/{task['id']}/complete"), json=body)

    def run(self, run_id: int) -> dict:
        return self.api.get(self.url(f"/runs/{run_id}")).json


@pytest.fixture
def crew(factory) -> Crew:
    return Crew(factory)


def task_node(node_id: str, role: str, phase: str = "pre_event", **extra) -> dict:
    return {
        "id": node_id,
        "kind": "task",
        "phase": phase,
        "title": f"任务 {node_id}",
        "role": role,
        "duration_minutes": 10,
        "settings": {"checklist": [{"id": "done", "text": "完成"}]},
        **extra,
    }


def graph_of(nodes: list[dict], edges: list[tuple[str, str]], **extra) -> dict:
    marker = [
        {"id": "start", "kind": "start", "phase": "pre_event", "title": "开始"},
        {"id": "end", "kind": "end", "phase": "review", "title": "结束"},
    ]
    return {
        "format": 1,
        "nodes": marker + nodes,
        "edges": [{"id": f"e{i}", "source": s, "target": t} for i, (s, t) in enumerate(edges)],
        **extra,
    }


def snapshot(database, run_id: int) -> dict:
    """What a run is, without ids and clocks: tasks, node states, counters, events."""
    with database.session() as session:
        tasks = session.execute(
            select(Task.node_id, Task.status, Task.assignee_id).where(Task.run_id == run_id)
        ).all()
        nodes = session.execute(
            select(RunNode.node_id, RunNode.state, RunNode.arrived, RunNode.alive).where(
                RunNode.run_id == run_id
            )
        ).all()
        timers = session.execute(
            select(Timer.node_id, Timer.kind, Timer.index, Timer.status).where(
                Timer.run_id == run_id
            )
        ).all()
        events = session.scalars(
            select(Event.kind).where(Event.run_id == run_id).order_by(Event.id)
        ).all()
        outbox = session.scalars(
            select(PendingAdvance.node_id).where(PendingAdvance.run_id == run_id)
        ).all()
    return {
        "tasks": sorted(map(tuple, tasks)),
        "nodes": sorted(map(tuple, nodes)),
        "timers": sorted(map(tuple, timers)),
        "events": sorted(events),
        "outbox": list(outbox),
    }
