"""The supervisor behind `cueflow up`, on small real processes: backoff that doubles, what a
dead service leaves in its process group is ended before it starts again, and `stop()`
ends even a process that ignores SIGTERM."""

from __future__ import annotations

import logging
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from api import supervisor
from api.supervisor import Service, Supervisor
from tests.ops.processes import alive, wait_for

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def _stubborn_child(pid_file: Path, *, then_exit: bool) -> list[str]:
    """A process whose forked child ignores SIGTERM (writes its pid once it does); the
    parent then exits with code 1, or sleeps."""
    return _python(f"""
        import os, signal, sys, time
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            open({str(pid_file)!r}, "w").write(str(os.getpid()))
            time.sleep(60)
        while not os.path.exists({str(pid_file)!r}):
            time.sleep(0.01)
        sys.exit(1) if {then_exit} else time.sleep(60)
    """)


def _watch(watched: Supervisor, until, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not until() and time.monotonic() < deadline:
        watched.tick(time.monotonic())
        time.sleep(0.01)
    assert until(), "the supervisor did not get there in time"


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(supervisor, "FIRST_DELAY", 0.1)
    monkeypatch.setattr(supervisor, "STRAGGLER_GRACE", 0.5)


def test_a_crashing_service_restarts_after_doubling_delays(quick, tmp_path, caplog):
    crasher = Service("crasher", lambda _start: _python("raise SystemExit(3)"))
    watched = Supervisor([crasher], env=dict(os.environ), cwd=tmp_path)
    with caplog.at_level(logging.INFO, logger="cueflow.up"):
        watched.start()
        _watch(watched, lambda: crasher.starts == 4)
        watched.stop(grace=2)
    said = [r.getMessage() for r in caplog.records]
    died = [m.split("; ")[1] for m in said if "exited with code 3" in m]
    assert died == ["restarting it in 0.1 s", "restarting it in 0.2 s", "restarting it in 0.4 s"]
    assert sum("restarted crasher" in m for m in said) == 3


def test_a_dead_services_stragglers_go_before_it_restarts(quick, tmp_path, caplog):
    pid_file = tmp_path / "straggler"
    flaky = Service(
        "flaky",
        lambda start: _stubborn_child(pid_file, then_exit=True) if start == 0 else SLEEP,
    )
    watched = Supervisor([flaky], env=dict(os.environ), cwd=tmp_path)
    with caplog.at_level(logging.INFO, logger="cueflow.up"):
        watched.start()
        straggler = int(wait_for(lambda: pid_file.exists() and pid_file.read_text(), 10, "fork"))
        _watch(watched, lambda: flaky.starts == 2)
        try:
            wait_for(lambda: not alive(straggler), 2, "the straggler is killed")
            assert "killing what flaky" in caplog.text
            assert flaky.process.poll() is None  # the restarted one runs
        finally:
            watched.stop(grace=2)


def test_stop_ends_every_group_even_what_ignores_sigterm(tmp_path):
    pid_file = tmp_path / "stubborn"
    services = [
        Service("stubborn", lambda _start: _stubborn_child(pid_file, then_exit=False)),
        Service("sleeper", lambda _start: SLEEP),
    ]
    watched = Supervisor(services, env=dict(os.environ), cwd=tmp_path)
    watched.start()
    stubborn = int(wait_for(lambda: pid_file.exists() and pid_file.read_text(), 10, "fork"))
    leaders = [s.process.pid for s in services]
    started = time.monotonic()
    watched.stop(grace=0.5)
    assert time.monotonic() - started < 3
    assert not any(alive(pid) for pid in [stubborn, *leaders])
