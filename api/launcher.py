"""Run Cueflow on one machine: gunicorn for the web app and RQ workers with the scheduler.

The launching process owns the embedded Redis (when used), so it starts first
and stops last. Ctrl-C (or SIGTERM) stops every child cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.config import PROJECT_ROOT
from engine.demo import DEMO_PASSWORD, DEMO_PEOPLE
from engine.executor.connection import CRON_CONFIG, QUEUE_NAME, WORKER_CLASS

BIN = Path(sys.executable).parent
GRACE_SECONDS = 10


@dataclass
class Launcher:
    database_url: str
    redis_url: str
    host: str = "127.0.0.1"
    port: int = 5000
    web_workers: int = 2
    rq_workers: int = 1
    children: list[subprocess.Popen] = field(default_factory=list)

    def _env(self) -> dict[str, str]:
        return os.environ | {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url}

    def _start(self, args: list[str]) -> None:
        self.children.append(subprocess.Popen(args, cwd=PROJECT_ROOT, env=self._env()))

    def start(self) -> None:
        for index in range(self.rq_workers):
            self._start(
                [str(BIN / "rq"), "worker", "--with-scheduler", "--url", self.redis_url,
                 "--worker-class", WORKER_CLASS,
                 "--name", f"cueflow-local-{os.getpid()}-{index}", QUEUE_NAME]
            )  # fmt: skip
        self._start([str(BIN / "rq"), "cron", CRON_CONFIG, "--url", self.redis_url])
        self._start(
            [str(BIN / "gunicorn"), "--bind", f"{self.host}:{self.port}",
             "--workers", str(self.web_workers), "--worker-class", "gthread", "--threads", "16",
             "-c", "python:api.gunicorn_conf", "wsgi:app"]
        )  # fmt: skip

    def banner(self) -> str:
        people = "\n".join(f"    {p.email:<26} ({p.role})" for p in DEMO_PEOPLE)
        return (
            f"\nCueflow is up: http://{self.host}:{self.port}/\n"
            f"  API docs:  http://{self.host}:{self.port}/api/docs\n"
            f"  Log in with any demo account, password '{DEMO_PASSWORD}':\n{people}\n"
            "  Ctrl-C stops everything.\n"
        )

    def run(self) -> None:
        stopping: list[int] = []

        def request_stop(signum: int, _frame) -> None:
            stopping.append(signum)

        # Ctrl-C reaches the children too (same process group); we only wait and tidy up.
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        self.start()
        print(self.banner(), flush=True)
        while not stopping and all(child.poll() is None for child in self.children):
            time.sleep(0.2)
        if stopping:
            print("\nstopping Cueflow ...", flush=True)
        else:
            print("a Cueflow process exited; stopping the rest", file=sys.stderr)
        self.stop()

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in self.children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
