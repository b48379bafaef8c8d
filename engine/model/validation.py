"""Validation of a runbook graph: every problem, in the editor's terms, in linear time.

`validate(graph)` returns `Problem`s (problems.py) with the node and edge ids they
concern. Structure is checked here with networkx (ids, dangling and parallel edges,
start and end, cycles, reachability, phase order, roles, branches, conditions);
the time rules (phase windows relative to go-live, offset order) are described in
timing.py; each node kind adds its own rules from engine.model.nodes.

Every check is linear (or n log n) so a 3000-node runbook validates in milliseconds:
cycles are found per strongly connected component, never by enumerating all of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable

import networkx as nx

from engine.model.conditions import Ref, compared_values, kind_of, variables_referenced
from engine.model.graph import Edge, Graph
from engine.model.nodes import HUMAN_KINDS, KINDS, NodeContext
from engine.model.problems import Problem, ProblemCode, error, warning
from engine.model.timing import check_offsets, execution_end
from engine.model.vocabulary import KNOWN_ROLES, NodeKind, Phase, VariableType

# The kinds a planner usually pins to a time during the show.
_TIMED_IN_EXECUTION = {NodeKind.TASK, NodeKind.APPROVAL, NodeKind.NOTIFY, NodeKind.RECURRING}


def validate(graph: Graph) -> list[Problem]:
    """Every problem of the graph: errors block publishing, warnings inform."""
    problems = _duplicates(graph)
    problems += _dangling(graph)
    g, parallel = structure(graph)
    problems += parallel
    problems += _start_and_end(graph)
    problems += _cycles(g)
    problems += _reachability(graph, g)
    problems += _backward_phases(graph)
    problems += _roles(graph)
    problems += _branches(graph)
    problems += _conditions(graph)
    end = execution_end(graph)
    problems += check_offsets(graph, end)
    problems += _offset_order(graph)
    problems += _kind_rules(graph, end)
    return problems


def structure(graph: Graph) -> tuple[nx.DiGraph, list[Problem]]:
    """A lean DiGraph of ids (edge ids as `id`), and the parallel edges it could not hold."""
    first_of: dict[tuple[str, str], str] = {}
    problems = []
    for edge in graph.known_edges:
        pair = (edge.source, edge.target)
        first = first_of.setdefault(pair, edge.id)
        if first != edge.id:
            problems.append(
                error(
                    ProblemCode.PARALLEL_EDGE,
                    "Two edges connect the same nodes in the same direction; keep one.",
                    [edge.source, edge.target],
                    [first, edge.id],
                )
            )
    g = nx.DiGraph()
    g.add_nodes_from(graph.node_by_id)
    g.add_edges_from((s, t, {"id": edge_id}) for (s, t), edge_id in first_of.items())
    return g, problems


def _repeated(keys: Iterable[str]) -> list[str]:
    return [key for key, count in Counter(keys).items() if count > 1]


def _duplicates(graph: Graph) -> list[Problem]:
    problems = [
        error(ProblemCode.DUPLICATE_NODE_ID, f"Several nodes have the id “{key}”.", [key])
        for key in _repeated(n.id for n in graph.nodes)
    ]
    problems += [
        error(ProblemCode.DUPLICATE_EDGE_ID, f"Several edges have the id “{key}”.", (), [key])
        for key in _repeated(e.id for e in graph.edges)
    ]
    problems += [
        error(ProblemCode.DUPLICATE_VARIABLE, f"The run variable “{key}” is declared twice.")
        for key in _repeated(v.key for v in graph.variables)
    ]
    return problems


def _dangling(graph: Graph) -> list[Problem]:
    known = graph.node_by_id
    problems = []
    for edge in graph.edges:
        missing = [end for end in (edge.source, edge.target) if end not in known]
        if missing:
            problems.append(
                error(
                    ProblemCode.DANGLING_EDGE,
                    f"The edge “{edge.id}” points to a node that does not exist"
                    f" ({', '.join(missing)}).",
                    [end for end in (edge.source, edge.target) if end in known],
                    [edge.id],
                )
            )
    return problems


def _start_and_end(graph: Graph) -> list[Problem]:
    starts = [n.id for n in graph.nodes if n.kind is NodeKind.START]
    problems = []
    if not starts:
        problems.append(error(ProblemCode.NO_START, "The runbook needs a start node."))
    elif len(starts) > 1:
        problems.append(
            error(ProblemCode.MULTIPLE_STARTS, "The runbook has several start nodes.", starts)
        )
    if not any(n.kind is NodeKind.END for n in graph.nodes):
        problems.append(error(ProblemCode.NO_END, "The runbook needs an end node."))
    return problems


def _cycles(g: nx.DiGraph) -> list[Problem]:
    """One cycle per strongly connected component that has one, in the order it runs."""
    if nx.is_directed_acyclic_graph(g):
        return []
    problems = []
    for component in nx.strongly_connected_components(g):
        first = min(component)
        if len(component) == 1 and not g.has_edge(first, first):
            continue
        cycle = nx.find_cycle(g.subgraph(component), source=first)
        node_ids = [u for u, _ in cycle]
        problems.append(
            error(
                ProblemCode.CYCLE,
                "These nodes form a loop, so the run could never get past them: "
                + " → ".join([*node_ids, node_ids[0]]),
                node_ids,
                [g.edges[u, v]["id"] for u, v in cycle],
            )
        )
    return sorted(problems, key=lambda p: p.node_ids)


def _reach(neighbours: dict, sources: Iterable[str]) -> set[str]:
    seen = set(sources)
    queue = deque(seen)
    while queue:
        for nxt in neighbours[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _reachability(graph: Graph, g: nx.DiGraph) -> list[Problem]:
    starts = [n.id for n in graph.nodes if n.kind is NodeKind.START]
    ends = [n.id for n in graph.nodes if n.kind is NodeKind.END]
    problems = []
    if starts:
        reached = _reach(g.succ, starts)
        problems += [
            error(ProblemCode.UNREACHABLE, f"“{n.title}” cannot be reached from the start.", [n.id])
            for n in graph.node_by_id.values()
            if n.id not in reached
        ]
    if ends:
        reaching = _reach(g.pred, ends)
        problems += [
            error(
                ProblemCode.END_UNREACHABLE,
                f"From “{n.title}” no path leads to an end: the run would stop there.",
                [n.id],
            )
            for n in graph.node_by_id.values()
            if n.id not in reaching
        ]
    return problems


def _backward_phases(graph: Graph) -> list[Problem]:
    nodes = graph.node_by_id
    problems = []
    for edge in graph.edges_between_known_nodes():
        source, target = nodes[edge.source], nodes[edge.target]
        if source.phase.order > target.phase.order:
            problems.append(
                error(
                    ProblemCode.BACKWARD_PHASE,
                    f"The edge from “{source.title}” ({source.phase}) to “{target.title}”"
                    f" ({target.phase}) flows backwards; phases run"
                    f" {' → '.join(p.value for p in Phase)}.",
                    [source.id, target.id],
                    [edge.id],
                )
            )
    return problems


def _roles(graph: Graph) -> list[Problem]:
    problems = [
        error(
            ProblemCode.MISSING_ROLE,
            f"“{n.title}” is done by a person: choose the role it is assigned to.",
            [n.id],
        )
        for n in graph.nodes
        if n.kind in HUMAN_KINDS and not n.role
    ]
    uses: dict[str, list[str]] = defaultdict(list)
    for n in graph.nodes:
        if n.role:
            uses[n.role].append(n.id)
    # A custom role met once is most often a typo of a standard one ("hots" for "host").
    problems += [
        warning(
            ProblemCode.ROLE_USED_ONCE,
            f"The role “{role}” is used by one node only and is not a standard role;"
            " is it spelled as elsewhere?",
            ids,
        )
        for role, ids in uses.items()
        if len(ids) == 1 and role not in KNOWN_ROLES
    ]
    return problems


def _branches(graph: Graph) -> list[Problem]:
    nodes = graph.node_by_id
    return [
        error(
            ProblemCode.BRANCH_OUTSIDE_DECISION,
            "Only a path leaving a decision may carry a condition or be the default path.",
            [edge.source],
            [edge.id],
        )
        for edge in graph.edges_between_known_nodes()
        if (edge.condition is not None or edge.is_default)
        and nodes[edge.source].kind is not NodeKind.DECISION
    ]


_VALUE_KIND = {
    VariableType.NUMBER: "number",
    VariableType.STRING: "string",
    VariableType.BOOL: "bool",
}


def _conditions(graph: Graph) -> list[Problem]:
    declared = graph.variable_by_key
    problems = []
    for edge in graph.edges:
        if edge.condition is None:
            continue
        for key in sorted(variables_referenced(edge.condition) - declared.keys()):
            problems.append(
                error(
                    ProblemCode.UNKNOWN_VARIABLE,
                    f"The condition on edge “{edge.id}” reads “{key}”, which is not a declared"
                    " run variable.",
                    [edge.source],
                    [edge.id],
                )
            )
        for key, value in compared_values(edge.condition):
            variable = declared.get(key)
            if isinstance(value, Ref):
                other = declared.get(value.var)
                kind = _VALUE_KIND[other.type] if other else None
            else:
                kind = kind_of(value)
            if variable is not None and kind is not None and kind != _VALUE_KIND[variable.type]:
                problems.append(
                    warning(
                        ProblemCode.CONDITION_TYPE_MISMATCH,
                        f"The condition on edge “{edge.id}” compares the {variable.type}"
                        f" “{key}” with a {kind}; it will never hold.",
                        [edge.source],
                        [edge.id],
                    )
                )
    return problems


def _offset_order(graph: Graph) -> list[Problem]:
    """A successor pinned to start before its pinned predecessor is due (see timing.py)."""
    nodes = graph.node_by_id
    problems = []
    for edge in graph.edges_between_known_nodes():
        source, target = nodes[edge.source], nodes[edge.target]
        if source.offset_minutes is None or target.offset_minutes is None:
            continue
        source_due = KINDS[source.kind].due(source, source.offset_minutes)
        if target.offset_minutes < source_due:
            problems.append(
                error(
                    ProblemCode.OFFSET_ORDER,
                    f"“{target.title}” is planned at T{target.offset_minutes:+d} min, before"
                    f" “{source.title}”, which comes first, is due at T{source_due:+d} min.",
                    [source.id, target.id],
                    [edge.id],
                )
            )
    return problems


def _kind_rules(graph: Graph, end: int | None) -> list[Problem]:
    incoming: dict[str, list[Edge]] = defaultdict(list)
    outgoing: dict[str, list[Edge]] = defaultdict(list)
    for edge in graph.edges_between_known_nodes():
        outgoing[edge.source].append(edge)
        incoming[edge.target].append(edge)
    problems = []
    for node in graph.node_by_id.values():
        if (
            node.phase is Phase.EXECUTION
            and node.kind in _TIMED_IN_EXECUTION
            and node.offset_minutes is None
        ):
            problems.append(
                warning(
                    ProblemCode.NO_OFFSET_IN_EXECUTION,
                    f"“{node.title}” runs during the event but has no planned time;"
                    " it starts whenever its predecessors finish.",
                    [node.id],
                )
            )
        context = NodeContext(
            graph, tuple(incoming[node.id]), tuple(outgoing[node.id]), execution_end=end
        )
        problems += KINDS[node.kind].check(node, context)
    return problems
