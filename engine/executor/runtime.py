"""What a worker process needs to run jobs: one Database per process, with a doorbell on
the Redis the jobs came from, so follow-up jobs go to the same place."""

from __future__ import annotations

import threading

from rq.job import Job

from engine.config import database_url_from_env
from engine.executor.doorbell import Doorbell
from engine.notify.settings import NotifySettings, notify_settings_from_env
from engine.store.db import Database

_lock = threading.Lock()
_database: Database | None = None
_doorbell: Doorbell | None = None
_settings: NotifySettings | None = None


def notify_settings() -> NotifySettings:
    global _settings
    if _settings is None:
        _settings = notify_settings_from_env()
    return _settings


def doorbell(job: Job | None) -> Doorbell:
    global _doorbell
    if _doorbell is None:
        if job is None:
            raise RuntimeError("the executor's jobs run inside an RQ worker")
        _doorbell = Doorbell(job.connection)
    return _doorbell


def database(job: Job | None) -> Database:
    global _database
    with _lock:
        if _database is None:
            _database = Database(database_url_from_env())
            doorbell(job).install(_database.sessions)
        return _database
