"""Benchmark of the post-mortem of a finished runbook-N run (BENCH.md).

    .venv/bin/python bench/postmortem.py [--n 30,300,3000] [--repeat 3] [--json]

A run of runbook-N is driven in memory as BENCH.md's driver does (the ready task with the
smallest id is completed next, by the member holding its role), on a synthetic clock:
most tasks take their planned time, every 7th takes half as long again, every 5th a fifth
less; two in three are claimed first; every 50th has a problem reported and resolved. Its
event log is written as the executor would (bench/recorded_run.py).

Op `postmortem`: `engine.model.postmortem.analyse` of that run, from its events and plan
(target: under 300 ms at N = 3000, growing no faster than the events; each line also
gives the number of events). Op `postmortem_json`: `analyse` and `as_dict`, what the API
serves.
"""

from __future__ import annotations

import heapq
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from the project root

from bench import _common as common
from bench._recorded_run import RecordedRun
from bench.workloads import ROLES, runbook
from engine.model.graph_format import load_graph
from engine.model.postmortem import RunFacts, analyse
from engine.model.run_states import RunStatus, TaskAction
from engine.model.schedule import plan

GO_LIVE = datetime(2026, 6, 18, 12, 0, tzinfo=UTC)
TZ = "Asia/Shanghai"


def finished_run(n: int) -> RunFacts:
    """The facts of one finished run of runbook-N (see the module docstring)."""
    graph = load_graph(runbook(n))
    schedule = plan(graph, GO_LIVE, TZ)
    roster = {role: [number] for number, role in enumerate(ROLES, 1)}
    run = RecordedRun(graph, roster)
    begin = GO_LIVE + timedelta(minutes=schedule.nodes["start"].start_offset_minutes)
    run.create(begin - timedelta(days=1), GO_LIVE, actor_id=1)
    ready_at: dict[str, datetime] = {}
    waiting: list[str] = []
    clock = begin

    def opened(advance, at: datetime) -> None:
        for node_id in advance.ready:
            ready_at[node_id] = at
            heapq.heappush(waiting, node_id)

    opened(run.start(begin, actor_id=1), begin)
    count = 0
    while waiting:
        node_id = heapq.heappop(waiting)
        node = graph.node_by_id[node_id]
        user = roster[node.role][0]
        count += 1
        factor = 1.5 if count % 7 == 0 else 0.8 if count % 5 == 0 else 1.0
        clock = max(clock, ready_at[node_id])
        if count % 3:
            run.claim(node_id, user, clock)
        if count % 50 == 0:
            run.act(node_id, TaskAction.REPORT_PROBLEM, user, clock, note="Stuck")
            run.act(node_id, TaskAction.RESOLVE_PROBLEM, user, clock, note="Unstuck")
        planned = timedelta(minutes=(node.duration_minutes or 0) * factor)
        clock = max(clock, ready_at[node_id] + planned)
        opened(run.complete(node_id, user, clock), clock)
    if run.status is not RunStatus.COMPLETED:
        raise RuntimeError("the run did not reach its end")
    return RunFacts(
        graph=graph,
        go_live=GO_LIVE,
        tz=TZ,
        planned={n: (p.planned_start, p.planned_due) for n, p in schedule.nodes.items()},
        events=tuple(run.events),
        roster=roster,
        names={number: role.capitalize() for number, role in enumerate(ROLES, 1)},
    )


def op_postmortem(facts: RunFacts) -> None:
    analyse(facts)


def op_postmortem_json(facts: RunFacts) -> None:
    analyse(facts).as_dict()


OPS: list[tuple[str, Callable[[RunFacts], None]]] = [
    ("postmortem", op_postmortem),
    ("postmortem_json", op_postmortem_json),
]


def main(argv: list[str] | None = None) -> None:
    parser = common.parser(__doc__)
    args = parser.parse_args(argv)
    sizes = common.sizes(args.n)
    rows = []
    for n in sizes:
        facts = finished_run(n)
        events = len(facts.events)
        for name, fn in OPS:
            ms = round(common.measure(fn, facts, args.repeat), 1)
            rows.append((n, name, ms, events))
            if args.json:
                line = {"bench": "postmortem", "n": n, "op": name, "ms": ms, "events": events}
                print(json.dumps(line), flush=True)
    if not args.json:
        print(f"{'n':>6}  {'op':<16} {'ms':>9} {'events':>8} {'µs/event':>9}")
        for n, name, ms, events in rows:
            print(f"{n:>6}  {name:<16} {ms:>9.1f} {events:>8} {ms * 1000 / events:>9.2f}")


if __name__ == "__main__":
    main()
