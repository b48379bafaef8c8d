"""Keep a few long-running processes up on one machine (`cueflow up`).

Each service runs in a process group of its own (its session, away from the terminal's
Ctrl-C) and is tethered to the supervisor: if the supervisor itself is killed, every
service gets SIGTERM. A service that dies (SIGKILL, out of memory, a crash) is restarted
with backoff, once what it left behind in its group (RQ's scheduler, gunicorn's workers
holding the port) is gone: asked with SIGTERM first, killed after `STRAGGLER_GRACE`.
Only `stop()` ends them all, and it leaves no process of any group behind.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.executor.tether import die_with_parent

log = logging.getLogger("cueflow.up")

FIRST_DELAY = 1.0  # seconds before the first restart of a service
MAX_DELAY = 30.0  # the backoff doubles per quick crash up to this
STABLE_AFTER = 60.0  # a service that ran this long before it died starts over at FIRST_DELAY
STRAGGLER_GRACE = 5.0  # what a dead service left in its group gets this long after SIGTERM
KILL_WAIT = 2.0  # how long SIGKILLed processes get to be gone (the kernel ends them)
TICK = 0.2


@dataclass
class Service:
    name: str
    command: Callable[[int], list[str]]  # the command line of the service's n-th start
    process: subprocess.Popen | None = None
    starts: int = 0
    started_at: float = 0.0
    crashes: int = 0  # quick crashes in a row
    died_at: float | None = None
    restart_at: float = 0.0

    @property
    def pgid(self) -> int:
        assert self.process is not None
        return self.process.pid  # each service leads its own group


def signal_group(pgid: int, sig: int) -> bool:
    """Send `sig` to a process group; False when no process is left in it."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # the id was reused by someone else's group: ours is gone
        return False
    return True


def _how_it_ended(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


class Supervisor:
    def __init__(self, services: list[Service], *, env: dict[str, str], cwd: Path) -> None:
        self.services = services
        self.env = env
        self.cwd = cwd

    def start(self) -> None:
        for service in self.services:
            self._spawn(service)

    def _spawn(self, service: Service) -> None:
        me = os.getpid()
        service.process = subprocess.Popen(
            service.command(service.starts),
            cwd=self.cwd,
            env=self.env,
            start_new_session=True,
            preexec_fn=lambda: die_with_parent(signal.SIGTERM, me),
        )
        service.started_at = time.monotonic()
        service.starts += 1
        service.died_at = None

    def run(self, stopping: Callable[[], bool]) -> None:
        """Watch the services until `stopping()` says so."""
        while not stopping():
            self.tick(time.monotonic())
            time.sleep(TICK)

    def tick(self, now: float) -> None:
        for service in self.services:
            assert service.process is not None
            if service.died_at is None:
                code = service.process.poll()
                if code is not None:
                    self._died(service, code, now)
            elif now >= service.restart_at and self._drained(service, now):
                self._restart(service, now)

    def _restart(self, service: Service, now: float) -> None:
        assert service.died_at is not None
        old, after = service.pgid, now - service.died_at
        self._spawn(service)
        log.info(
            "restarted %s: pid %d (was %d), %.1f s after it died",
            service.name, service.pgid, old, after,
        )  # fmt: skip

    def _died(self, service: Service, code: int, now: float) -> None:
        quick = now - service.started_at < STABLE_AFTER
        service.crashes = service.crashes + 1 if quick else 1
        delay = min(MAX_DELAY, FIRST_DELAY * 2 ** (service.crashes - 1))
        service.died_at, service.restart_at = now, now + delay
        log.warning(
            "%s (pid %d) %s; restarting it in %g s",
            service.name, service.pgid, _how_it_ended(code), delay,
        )  # fmt: skip
        signal_group(service.pgid, signal.SIGTERM)

    def _drained(self, service: Service, now: float) -> bool:
        """Whether the dead service's group is empty; past the grace, it is made so."""
        if not signal_group(service.pgid, 0):
            return True
        assert service.died_at is not None
        if now - service.died_at < STRAGGLER_GRACE:
            return False
        log.warning("killing what %s (pid %d) left behind", service.name, service.pgid)
        signal_group(service.pgid, signal.SIGKILL)
        return True

    def _group_alive(self, service: Service) -> bool:
        assert service.process is not None
        service.process.poll()  # reap the leader, so only the rest of its group counts
        return signal_group(service.pgid, 0)

    def _all_gone(self, services: list[Service], within: float) -> bool:
        """Wait up to `within` seconds for every process of the services' groups to end."""
        deadline = time.monotonic() + within
        while any(self._group_alive(s) for s in services):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self, grace: float) -> None:
        """SIGTERM to every group, SIGKILL to what is left after `grace` seconds."""
        started = [s for s in self.services if s.process is not None]
        for service in started:
            signal_group(service.pgid, signal.SIGTERM)
        if not self._all_gone(started, grace):
            for service in filter(self._group_alive, started):
                log.warning("killing %s (pid %d) after %g s", service.name, service.pgid, grace)
                signal_group(service.pgid, signal.SIGKILL)
            self._all_gone(started, KILL_WAIT)
        for service in started:
            service.process.wait()  # type: ignore[union-attr]
