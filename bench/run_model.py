"""Benchmark of the pure run model on runbook-N: the cost of one advance per task (BENCH.md).

    .venv/bin/python bench/run_model.py [--n 30,300,3000] [--repeat 3] [--json]

The driver of BENCH.md without a database: start a run, then finish the ready task
with the smallest id until the run has ended. `advance_model` is the time of
`engine.model.run.on_finished` plus applying its Advance to an in-memory run, per task.
Cost per task should stay flat in N (the model reads only the neighbours of a task).
"""

from __future__ import annotations

import heapq
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from the project root

from bench import _common as common
from bench.workloads import runbook
from engine.model.graph import Graph
from engine.model.graph_format import load_graph
from engine.model.run import InMemoryRun, on_finished


def advance_all(graph: Graph) -> float:
    """Milliseconds per task spent advancing one whole run of `graph`."""
    run = InMemoryRun(graph)
    ready = list(run.start().ready)
    heapq.heapify(ready)
    spent = 0.0
    tasks = 0
    while ready:
        node_id = heapq.heappop(ready)
        started = time.perf_counter()
        advance = run.apply(on_finished(run.view, node_id))
        spent += time.perf_counter() - started
        tasks += 1
        for each in advance.ready:
            heapq.heappush(ready, each)
    if not run.completed:
        raise RuntimeError("the run did not reach its end")
    return spent * 1000 / tasks


def main(argv: list[str] | None = None) -> None:
    parser = common.parser(__doc__)
    args = parser.parse_args(argv)
    sizes = common.sizes(args.n)
    rows = []
    for n in sizes:
        graph = load_graph(runbook(n))
        advance_all(graph)  # warm-up: builds the graph's wiring once, as the executor's cache would
        ms = statistics.median(advance_all(graph) for _ in range(max(1, args.repeat)))
        figure = round(ms, 4)
        rows.append((n, figure))
        if args.json:
            line = {"bench": "run_model", "n": n, "op": "advance_model", "ms_per_task": figure}
            print(json.dumps(line), flush=True)
    if not args.json:
        print(f"{'n':>6}  {'op':<14} {'ms/task':>9}")
        for n, figure in rows:
            print(f"{n:>6}  {'advance_model':<14} {figure:>9.4f}")


if __name__ == "__main__":
    main()
