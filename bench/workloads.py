"""The standard benchmark workload: runbook-N, as a graph document (BENCH.md).

N human task nodes (N divisible by 3) plus start and end:
pre-event p0001..pa (30 min), execution x0001..xb (5 min), review r0001..rc (20 min);
start -> p0001 -> p0002 -> p0003, p0003 fans out to p0004..pa, which join into x0001;
x0001 fans out to x0002..xb, which join into r0001; r0001 -> ... -> rc -> end.
Roles round-robin over host, assistant, operator, controller by position in p, x, r.
One checklist item per task; no conditions, no timers.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

ROLES = ("host", "assistant", "operator", "controller")
_PHASES = (("p", "pre_event", 30), ("x", "execution", 5), ("r", "review", 20))


def runbook(n: int) -> dict[str, Any]:
    """The runbook-N graph document (format 1)."""
    if n % 3 or n < 12:
        raise ValueError("runbook-N needs N divisible by 3 and at least 12 (four per phase)")
    third = n // 3
    ids = {prefix: [f"{prefix}{i:04d}" for i in range(1, third + 1)] for prefix, _, _ in _PHASES}
    nodes = [_marker("start", "pre_event")]
    position = 0
    for prefix, phase, duration in _PHASES:
        for node_id in ids[prefix]:
            nodes.append(_task(node_id, phase, duration, ROLES[position % len(ROLES)]))
            position += 1
    nodes.append(_marker("end", "review"))
    p, x, r = ids["p"], ids["x"], ids["r"]
    pairs = [("start", p[0]), (p[0], p[1]), (p[1], p[2])]
    pairs += [(p[2], each) for each in p[3:]]
    pairs += [(each, x[0]) for each in p[3:]]
    pairs += [(x[0], each) for each in x[1:]]
    pairs += [(each, r[0]) for each in x[1:]]
    pairs += list(pairwise(r))
    pairs.append((r[-1], "end"))
    edges = [{"id": f"e{i:05d}", "source": s, "target": t} for i, (s, t) in enumerate(pairs, 1)]
    return {"format": 1, "variables": [], "nodes": nodes, "edges": edges}


def _task(node_id: str, phase: str, duration: int, role: str) -> dict[str, Any]:
    return {
        "id": node_id,
        "kind": "task",
        "phase": phase,
        "title": f"Task {node_id}",
        "role": role,
        "duration_minutes": duration,
        "settings": {"checklist": [{"id": "done", "text": "Done"}]},
    }


def _marker(kind: str, phase: str) -> dict[str, Any]:
    return {"id": kind, "kind": kind, "phase": phase, "title": kind.capitalize()}
