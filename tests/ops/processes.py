"""Watching real process trees in the ops tests (psutil), and leaving none behind."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TypeVar

import psutil

T = TypeVar("T")


def wait_for(probe: Callable[[], T], timeout: float, what: str) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting to be reaped does not)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def children(pid: int, *, recursive: bool = False) -> list[psutil.Process]:
    try:
        return [p for p in psutil.Process(pid).children(recursive=recursive) if alive(p.pid)]
    except psutil.NoSuchProcess:
        return []


def kill_all(pids: list[int]) -> None:
    """Test hygiene: whatever a failed test left running is killed."""
    for pid in pids:
        if alive(pid):
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(pid).kill()
