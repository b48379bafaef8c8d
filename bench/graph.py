"""Benchmark of the graph model on runbook-N: load, validate, plan, layout (BENCH.md).

    .venv/bin/python bench/graph.py [--n 30,300,3000] [--repeat 3] [--json]

Each op is a function in `OPS` taking a prepared `Case`; ops that need the Flask app
(e.g. `save_draft_api`) add a setup of their own and an entry in `OPS`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from the project root

from bench.workloads import runbook
from engine.model.graph import Graph
from engine.model.graph_format import load_graph
from engine.model.layout import layout
from engine.model.schedule import plan
from engine.model.validation import validate

GO_LIVE = datetime(2026, 6, 18, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    n: int
    doc: dict[str, Any]
    graph: Graph


def op_load(case: Case) -> None:
    load_graph(case.doc)


def op_validate(case: Case) -> None:
    validate(_fresh(case))


def op_plan(case: Case) -> None:
    plan(_fresh(case), GO_LIVE, "Asia/Shanghai")


def op_layout(case: Case) -> None:
    layout(_fresh(case))


def _fresh(case: Case) -> Graph:
    # A new Graph object each time, so lookup tables cached on the last one are not reused.
    g = case.graph
    return Graph(nodes=g.nodes, edges=g.edges, variables=g.variables, format=g.format)


OPS: list[tuple[str, Callable[[Case], None]]] = [
    ("load", op_load),
    ("validate", op_validate),
    ("plan", op_plan),
    ("layout", op_layout),
]


def measure(fn: Callable[[Case], None], case: Case, repeat: int) -> float:
    """Median wall time in milliseconds over `repeat` runs, after one warm-up run."""
    fn(case)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(case)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", default="30,300,3000", help="sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="repeats; the median is reported")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.n.split(",") if s.strip()]
    rows = []
    for n in sizes:
        doc = runbook(n)
        case = Case(n, doc, load_graph(doc))
        for name, fn in OPS:
            ms = round(measure(fn, case, args.repeat), 1)
            rows.append((n, name, ms))
            if args.json:
                print(json.dumps({"bench": "graph", "n": n, "op": name, "ms": ms}), flush=True)
    if not args.json:
        print(f"{'n':>6}  {'op':<10} {'ms':>9}")
        for n, name, ms in rows:
            print(f"{n:>6}  {name:<10} {ms:>9.1f}")


if __name__ == "__main__":
    main()
