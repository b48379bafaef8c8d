"""The planned schedule of a runbook for one go-live time: the timeline preview's data.

`plan(graph, go_live, tz)` gives every node its planned start and due, the critical
paths to go-live and to the end, the slack of every node and each role's load.

Rules (all times in minutes relative to go-live, T0):

- A pinned node (with `offset_minutes`) starts at go-live + offset. Any other node
  starts when all its predecessors are due (earliest start = the latest predecessor
  due). Due = start + duration (0 if none); a wait is due at its target time or after
  its delay; a recurring cue at the end of its last cue (engine.model.nodes).
- An unpinned node without predecessors (the start node) starts early enough for
  the unpinned preparation to be done by go-live: T0 minus the longest chain of
  durations from it to the first execution node, or at the first pinned node's
  time when that is earlier.
- Slack (CPM): latest start - earliest start. The backward pass starts from the
  latest due of the runbook; a pinned successor must not be delayed past its own
  planned start, an unpinned one past its latest start.
- Critical path to a node: the chain of predecessors that were due exactly when the
  next one started (the ones that decided its start), walked back from it. The
  go-live milestone is the first execution node to start (ties by id).
- Role load: each task and approval (start..due) and each cue of a recurring node
  (at least one minute) occupies its role. Where a role holds two or more nodes at
  once during the execution phase, a `role.overlap` warning names them.

Times are exact elapsed minutes (computed in UTC), shown in the run's time zone.
Edges that dangle or close a loop are ignored here (validation reports them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import networkx as nx

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.graph import Graph, Node
from engine.model.nodes import HUMAN_KINDS, KINDS
from engine.model.nodes.recurring import cue_offsets
from engine.model.nodes.wait import WaitMode
from engine.model.problems import Problem, ProblemCode, warning
from engine.model.validation import structure
from engine.model.vocabulary import NodeKind, Phase


@dataclass(frozen=True)
class PlannedNode:
    node_id: str
    start_offset_minutes: int
    due_offset_minutes: int
    planned_start: datetime
    planned_due: datetime
    latest_start_offset_minutes: int
    slack_minutes: int
    pinned: bool  # the planner fixed its offset


@dataclass(frozen=True)
class RoleLoad:
    role: str
    max_overlap: int
    # (offset minutes, how many of the role's nodes are in progress from then on)
    steps: tuple[tuple[int, int], ...]
    intervals: tuple[tuple[str, int, int], ...]  # (node id, start offset, end offset)


@dataclass(frozen=True)
class Plan:
    go_live: datetime
    tz: str
    nodes: Mapping[str, PlannedNode]
    critical_path_to_go_live: tuple[str, ...]
    critical_path_to_end: tuple[str, ...]
    role_loads: Mapping[str, RoleLoad]
    problems: tuple[Problem, ...]
    ignored_edges: tuple[str, ...]  # edges closing a loop, left out of the plan


def plan(graph: Graph, go_live: datetime, tz: str) -> Plan:
    """The planned schedule of `graph` for a run going live at `go_live`, shown in `tz`."""
    zone = _zone(tz, go_live)
    dag, ignored, order = _acyclic(graph)
    nodes = graph.node_by_id
    anchor = _anchor(nodes, dag, order)
    early = _forward(nodes, dag, order, anchor)
    late = _backward(nodes, dag, order, early)
    origin = go_live.astimezone(UTC)
    times: dict[int, datetime] = {}

    def at(offset: int) -> datetime:
        if offset not in times:
            times[offset] = (origin + timedelta(minutes=offset)).astimezone(zone)
        return times[offset]

    planned = {
        node_id: PlannedNode(
            node_id=node_id,
            start_offset_minutes=start,
            due_offset_minutes=due,
            planned_start=at(start),
            planned_due=at(due),
            latest_start_offset_minutes=late[node_id],
            slack_minutes=late[node_id] - start,
            pinned=nodes[node_id].offset_minutes is not None,
        )
        for node_id, (start, due) in early.items()
    }
    loads = role_loads(graph, early)
    return Plan(
        go_live=go_live.astimezone(zone),
        tz=tz,
        nodes=planned,
        critical_path_to_go_live=_critical_path(dag, early, go_live_milestone(nodes, early)),
        critical_path_to_end=_critical_path(dag, early, _last_end(nodes, early)),
        role_loads=loads,
        problems=tuple(_overlaps(graph, loads)),
        ignored_edges=ignored,
    )


def _zone(tz: str, go_live: datetime) -> ZoneInfo:
    if go_live.tzinfo is None or go_live.utcoffset() is None:
        raise CueflowError(
            ErrorCode.VALIDATION,
            errors=[FieldError("go_live", "Give the go-live time with its UTC offset.")],
        )
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise CueflowError(
            ErrorCode.VALIDATION,
            errors=[FieldError("tz", f"“{tz}” is not an IANA time zone, e.g. Asia/Shanghai.")],
        ) from None


def _acyclic(graph: Graph) -> tuple[nx.DiGraph, tuple[str, ...], list[str]]:
    """The graph without the edges closing a loop (by one depth-first search), in order."""
    g, _ = structure(graph)
    try:
        return g, (), list(nx.topological_sort(g))
    except nx.NetworkXUnfeasible:
        pass
    position = {n: i for i, n in enumerate(reversed(list(nx.dfs_postorder_nodes(g))))}
    back = [(u, v) for u, v in g.edges if position[u] >= position[v]]
    ignored = tuple(sorted(g.edges[u, v]["id"] for u, v in back))
    g.remove_edges_from(back)
    return g, ignored, list(nx.topological_sort(g))


def _length(node: Node) -> int:
    """Minutes a node takes when it starts at T0 (a wait until T+x takes x)."""
    return max(0, KINDS[node.kind].due(node, 0))


def _anchor(nodes: Mapping[str, Node], dag: nx.DiGraph, order: list[str]) -> int:
    """Start offset of unpinned nodes without predecessors (see the module docstring)."""
    to_execution: dict[str, int] = {}  # longest chain of durations to the first execution node
    for node_id in reversed(order):
        node = nodes[node_id]
        if node.phase is not Phase.PRE_EVENT:
            to_execution[node_id] = 0
            continue
        chains = [to_execution[s] for s in dag.succ[node_id] if s in to_execution]
        if chains:
            to_execution[node_id] = _length(node) + max(chains)
    sources = [n for n in order if not dag.pred[n] and nodes[n].offset_minutes is None]
    anchor = -max((to_execution.get(n, 0) for n in sources), default=0)
    pinned = [n.offset_minutes for n in nodes.values() if n.offset_minutes is not None]
    return min([anchor, *pinned])


def _forward(
    nodes: Mapping[str, Node], dag: nx.DiGraph, order: list[str], anchor: int
) -> dict[str, tuple[int, int]]:
    early: dict[str, tuple[int, int]] = {}
    for node_id in order:
        node = nodes[node_id]
        if node.offset_minutes is not None:
            start = node.offset_minutes
        else:
            start = max((early[p][1] for p in dag.pred[node_id]), default=anchor)
        early[node_id] = (start, KINDS[node.kind].due(node, start))
    return early


def _backward(
    nodes: Mapping[str, Node],
    dag: nx.DiGraph,
    order: list[str],
    early: Mapping[str, tuple[int, int]],
) -> dict[str, int]:
    """Latest start of every node (CPM backward pass)."""
    finish = max((due for _, due in early.values()), default=0)
    late: dict[str, int] = {}
    for node_id in reversed(order):
        # A pinned successor must start on time; an unpinned one may slip to its latest.
        latest_due = min(
            (
                early[s][0] if nodes[s].offset_minutes is not None else late[s]
                for s in dag.succ[node_id]
            ),
            default=finish,
        )
        start, due = early[node_id]
        late[node_id] = _latest_start(nodes[node_id], start, due, latest_due)
    return late


def _latest_start(node: Node, start: int, due: int, latest_due: int) -> int:
    settings = node.settings
    if node.kind is NodeKind.WAIT and settings.mode is WaitMode.UNTIL_OFFSET:
        until = settings.until_offset_minutes
        # A wait until T+x is due at x whenever it starts before x.
        if until is not None and latest_due >= until:
            return latest_due
    return latest_due - (due - start)


def go_live_milestone(
    nodes: Mapping[str, Node], early: Mapping[str, tuple[int, int]]
) -> str | None:
    """The first execution-phase node to start (ties broken by id), or None."""
    candidates = [
        (start, node_id)
        for node_id, (start, _) in early.items()
        if nodes[node_id].phase is Phase.EXECUTION
    ]
    return min(candidates)[1] if candidates else None


def _last_end(nodes: Mapping[str, Node], early: Mapping[str, tuple[int, int]]) -> str | None:
    ends = [(-due, node_id) for node_id, (_, due) in early.items() if nodes[node_id].kind == "end"]
    return min(ends)[1] if ends else None


def _critical_path(
    dag: nx.DiGraph, early: Mapping[str, tuple[int, int]], target: str | None
) -> tuple[str, ...]:
    if target is None:
        return ()
    path = [target]
    while True:
        start = early[path[-1]][0]
        tight = sorted(p for p in dag.pred[path[-1]] if early[p][1] == start)
        if not tight:
            return tuple(reversed(path))
        path.append(tight[0])


def role_loads(graph: Graph, early: Mapping[str, tuple[int, int]]) -> dict[str, RoleLoad]:
    """How many nodes each role holds at each moment (see the module docstring)."""
    intervals: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for node_id, (start, due) in early.items():
        node = graph.node_by_id[node_id]
        if not node.role:
            continue
        if node.kind is NodeKind.RECURRING:
            cue = max(1, node.duration_minutes or 0)
            intervals[node.role] += [(t, t + cue, node_id) for t in cue_offsets(node, start)]
        elif node.kind in HUMAN_KINDS and due > start:
            intervals[node.role].append((start, due, node_id))
    return {role: _load(role, spans) for role, spans in sorted(intervals.items())}


def _load(role: str, spans: list[tuple[int, int, str]]) -> RoleLoad:
    # Ends sort before starts at the same minute: back-to-back tasks do not overlap.
    events = sorted([(s, 1) for s, _, _ in spans] + [(e, -1) for _, e, _ in spans])
    steps: list[tuple[int, int]] = []
    count = peak = 0
    for minute, change in events:
        count += change
        peak = max(peak, count)
        if steps and steps[-1][0] == minute:
            steps[-1] = (minute, count)
        else:
            steps.append((minute, count))
    ordered = tuple((node_id, s, e) for s, e, node_id in sorted(spans))
    return RoleLoad(role, peak, tuple(steps), ordered)


def _overlaps(graph: Graph, loads: Mapping[str, RoleLoad]) -> list[Problem]:
    """Groups of a role's execution-phase nodes whose times overlap, one warning each."""
    problems = []
    for role, load in loads.items():
        spans = [
            (s, e, n) for n, s, e in load.intervals if graph.node_by_id[n].phase is Phase.EXECUTION
        ]
        group: list[tuple[int, int, str]] = []
        group_end = None
        for span in sorted(spans):
            if group_end is not None and span[0] >= group_end:
                problems += _overlap_warning(graph, role, group)
                group = []
            group_end = span[1] if not group else max(group_end, span[1])
            group.append(span)
        problems += _overlap_warning(graph, role, group)
    return problems


def _overlap_warning(graph: Graph, role: str, group: list[tuple[int, int, str]]) -> list[Problem]:
    node_ids = sorted({n for _, _, n in group})
    if len(node_ids) < 2:
        return []
    start, end = group[0][0], max(e for _, e, _ in group)
    titles = "、".join(graph.node_by_id[n].title for n in node_ids[:5])
    more = f" and {len(node_ids) - 5} more" if len(node_ids) > 5 else ""
    return [
        warning(
            ProblemCode.ROLE_OVERLAP,
            f"The {role} has {len(node_ids)} things to do at once between T{start:+d} and"
            f" T{end:+d} min: {titles}{more}.",
            node_ids,
        )
    ]
