"""Published graphs, parsed once per process: a version never changes, so it is cached.

Parsing a 3000-node graph takes a fifth of a second; an advance or a task completion
must not pay that each time, or the cost per task would grow with the runbook. The key
includes the publishing time, so a database that was reset (tests) never serves a graph
of another version that had the same id. A run reads its version's publishing time with
its own row (`Run.version_published_at`), so `graph_of_run` costs no query once cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from engine.model.graph import Graph
from engine.model.graph_format import load_graph
from engine.store.runbooks import RunbookVersion
from engine.store.runs import Run

_SIZE = 64
_cache: OrderedDict[tuple[int, datetime], Graph] = OrderedDict()
_lock = threading.Lock()


def graph_of_run(session: Session, run: Run | Row) -> Graph:
    """The graph of the version the run runs (the ORM object or its row)."""
    return graph_of_version(session, run.version_id, run.version_published_at)


def graph_of_version(
    session: Session, version_id: int, published_at: datetime | None = None
) -> Graph:
    """The version's graph; pass `published_at` when it is at hand, to save a query."""
    if published_at is None:
        published_at = session.scalar(
            select(RunbookVersion.published_at).where(RunbookVersion.id == version_id)
        )
    key = (version_id, published_at)
    with _lock:
        graph = _cache.get(key)
        if graph is not None:
            _cache.move_to_end(key)
            return graph
    doc = session.scalar(select(RunbookVersion.graph).where(RunbookVersion.id == version_id))
    graph = load_graph(doc)
    with _lock:
        _cache[key] = graph
        while len(_cache) > _SIZE:
            _cache.popitem(last=False)
    return graph
