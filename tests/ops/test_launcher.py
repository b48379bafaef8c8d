"""`flask --app wsgi cueflow up` (what `make run` runs) supervises: a killed RQ worker is
restarted with backoff and takes the next job while the web app answers; a killed gunicorn
master is replaced by one that gets the port; Ctrl-C, with a live page's event stream
open, leaves no process behind (the embedded Redis included) and the port free."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

from api.supervisor import FIRST_DELAY
from engine.config import PROJECT_ROOT
from engine.demo import DEMO_PASSWORD
from tests.ops.processes import alive, children, kill_all, wait_for

FLASK = str(Path(sys.executable).with_name("flask"))
TONIGHT = "示范 · 今晚直播"  # the demo run whose rehearsal and final check are open


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_free(port: int) -> bool:
    """Whether a server could listen on the port now (as gunicorn would: SO_REUSEADDR)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
        return True


class Up:
    """`cueflow up` on a free port, with its own instance folder (SQLite, embedded Redis)."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = instance / "up.log"
        self.seen: set[int] = set()
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env["CUEFLOW_INSTANCE_PATH"] = str(instance)
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [FLASK, "--app", "wsgi", "cueflow", "up", "--port", str(self.port)],
                cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C goes to its process group, not to pytest
            )  # fmt: skip

    def ready(self) -> bool:
        try:
            return requests.get(f"{self.base}/readyz", timeout=5).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading the app
            return False

    def child(self, marker: str) -> psutil.Process | None:
        """The launcher's child whose command line holds `marker`."""
        found = [p for p in children(self.process.pid) if marker in p.cmdline()]
        return found[0] if found else None

    def redis_pids(self) -> list[int]:
        """The embedded Redis server's pid, while it runs (it removes its pid file)."""
        settings = json.loads((self.instance / "redis.rdb.settings").read_text())
        pidfile = Path(settings["pidfile"])
        return [int(pidfile.read_text())] if pidfile.exists() else []

    def tree(self) -> list[int]:
        """The launcher, every process under it and the embedded Redis; noted for clean-up."""
        pids = [self.process.pid, *self.redis_pids()]
        pids += [p.pid for p in children(self.process.pid, recursive=True)]
        self.seen.update(pids)
        return pids

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Person:
    def __init__(self, up: Up, email: str) -> None:
        self.up, self.session = up, requests.Session()
        login = self.session.post(
            f"{up.base}/api/auth/login", json={"email": email, "password": DEMO_PASSWORD}
        )
        assert login.status_code == 200, login.text
        self.session.headers["X-CSRFToken"] = login.json()["csrf_token"]
        self.ws = login.json()["user"]["workspaces"][0]["workspace_id"]

    def get(self, rest: str, **kwargs) -> requests.Response:
        return self.session.get(f"{self.up.base}/api/workspaces/{self.ws}{rest}", **kwargs)

    def tonights_task(self) -> dict:
        """This person's open task in tonight's demo stream."""
        mine = self.get("/tasks", params={"mine": "true"}).json()
        return next(t for t in mine if t["run_name"] == TONIGHT)

    def complete(self, task: dict) -> None:
        detail = self.get(f"/tasks/{task['id']}").json()
        ticked = {item["id"]: True for item in detail["node"]["settings"]["checklist"]}
        done = self.session.post(
            f"{self.up.base}/api/workspaces/{self.ws}/tasks/{task['id']}/complete",
            json={"checklist": ticked},
        )
        assert done.status_code == 200, done.text

    def node_state(self, run_id: int, node_id: str) -> str:
        nodes = self.get(f"/runs/{run_id}").json()["nodes"]
        return next(n["state"] for n in nodes if n["node_id"] == node_id)


def _kill(up: Up, marker: str) -> tuple[psutil.Process, float]:
    """SIGKILL the launcher's child whose command line holds `marker`; it and when."""
    victim = wait_for(lambda: up.child(marker), 10, f"{marker} runs")
    up.tree()
    victim.send_signal(signal.SIGKILL)
    return victim, time.monotonic()


def _restarted(up: Up, name: str, marker: str, dead: psutil.Process, killed_at: float) -> None:
    """A new process takes the dead one's place, after the backoff, and the log says so."""
    successor = wait_for(
        lambda: (c := up.child(marker)) and c.pid != dead.pid and c, 30, f"a new {name} starts"
    )
    delay = time.monotonic() - killed_at
    print(f"{name} restarted {delay:.2f} s after SIGKILL")
    assert delay >= FIRST_DELAY, "restarted without backoff"
    log = up.output()
    assert f"{name} (pid {dead.pid}) was killed by SIGKILL; restarting it in 1 s" in log
    assert f"restarted {name}: pid {successor.pid} (was {dead.pid})" in log
    assert up.process.poll() is None


def _ctrl_c_with_a_stream_open(up: Up, host: Person) -> None:
    stream = host.get("/stream", stream=True, timeout=30)
    assert stream.status_code == 200
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    tree = up.tree()
    assert up.redis_pids(), "the embedded Redis runs"
    try:
        pressed = time.monotonic()
        os.killpg(up.process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        up.process.wait(timeout=20)
        wait_for(lambda: not any(alive(pid) for pid in tree), 5, "every process has stopped")
        assert _port_free(up.port)
        print(f"Ctrl-C stopped {len(tree)} processes in {time.monotonic() - pressed:.2f} s")
    finally:
        stream.close()


def test_up_restarts_what_dies_and_ctrl_c_leaves_nothing(tmp_path):
    up = Up(tmp_path)
    try:
        wait_for(up.ready, 90, "cueflow up answers /readyz")
        worker, killed_at = _kill(up, "--with-scheduler")
        assert requests.get(f"{up.base}/readyz", timeout=5).status_code == 200
        _restarted(up, "RQ worker 1", "--with-scheduler", worker, killed_at)

        # The new worker takes the next jobs: the host and the operator finish their last
        # tasks before the show, and the run moves on to waiting for go-live.
        host, operator = Person(up, "host@cueflow.demo"), Person(up, "operator@cueflow.demo")
        rehearsal, final_check = host.tonights_task(), operator.tonights_task()
        run_id = rehearsal["run_id"]
        assert host.node_state(run_id, "wait_go_live") == "pending"
        host.complete(rehearsal)
        operator.complete(final_check)
        wait_for(
            lambda: host.node_state(run_id, "wait_go_live") != "pending",
            20,
            "the run advances to waiting for go-live",
        )

        # gunicorn's master dies: its workers go, and the new one gets the port.
        _restarted(up, "web app (gunicorn)", "wsgi:app", *_kill(up, "wsgi:app"))
        wait_for(up.ready, 30, "the restarted web app answers")
        _ctrl_c_with_a_stream_open(up, host)
    finally:
        kill_all([*up.seen, *up.tree()])
        up.process.wait(timeout=10)
