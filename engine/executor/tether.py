"""Processes that die with their parent, however the parent dies (Linux: PR_SET_PDEATHSIG).

`python -m engine.executor.tether worker --with-scheduler ...` is `rq worker ...` whose
forked children die with it. RQ's scheduler is such a child: when its worker is killed
(SIGKILL, out of memory) it would otherwise live on under init holding the scheduler
lock, and no other worker could schedule until the lock expired. Tethered, it gets
SIGTERM the moment its worker dies, releases the lock and exits.

Elsewhere than Linux the tether is a no-op (the supervisor still ends process groups).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(sig: int = signal.SIGTERM, parent: int | None = None) -> None:
    """Have the kernel send `sig` to this process when its parent dies. `parent`: the pid
    the caller expects as parent; if it died before we asked, `sig` is sent at once."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def tether_forked_children(sig: int = signal.SIGTERM) -> None:
    """Every child this process forks from now on gets `sig` when this process dies."""
    forking: list[int] = [os.getpid()]

    def note_parent() -> None:
        forking[0] = os.getpid()

    os.register_at_fork(before=note_parent, after_in_child=lambda: die_with_parent(sig, forking[0]))


def main(argv: list[str] | None = None) -> None:
    """The `rq` command line, with every forked child tethered to this process."""
    from rq.cli import main as rq_main

    tether_forked_children()
    rq_main(args=sys.argv[1:] if argv is None else argv, prog_name="rq")


if __name__ == "__main__":
    main()
