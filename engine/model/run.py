"""How a run moves through its graph: what becomes ready, done or skipped after each step.

The caller (the executor) holds a run's state and asks this module what follows from
one event: `start(graph, variables)` when the run starts, `on_finished(view, node_id)`
when the work of a ready or active node is over. The answer is an `Advance`: the node
states to write, the join counts to store, the edges taken and dead, and the
`effects` to carry out (create a task, set a timer, send a message, plan cues).
Apply it in one transaction with the node's own change (see `InMemoryRun.apply`).

The rules, in plain words:

- A node becomes ready when every path (edge) into it has arrived and at least one of
  them is alive: a parallel join waits for all its branches. Each node keeps a count
  of the paths that arrived (`Arrivals`), so a join with a thousand branches costs one
  step per branch, never a look at all of them.
- A finished node (done, or skipped by a person) sends every path out of it alive.
  A `decision` is resolved as soon as it is reached: the first edge (document order)
  whose condition holds on the run variables is taken; when none holds, the default
  edge is. Every other edge out of it is dead.
- Dead-path elimination: a node whose every incoming path is dead is skipped, and all
  its outgoing paths die in turn; this walks a worklist, never recursion, so long
  chains cannot exhaust the stack.
- Kinds: `start`, `decision` and `end` are done at once. `task` and `approval` become
  ready with a task for the node's role; `wait` ready with a timer; `notify` ready with
  a message to send; `recurring` ready with its cues. The executor reports each of
  these finished with `on_finished`.
- The run completes when an `end` node is done (`Advance.run_completed`). With one end
  node, every other node is then done or skipped (every node reaches the end, so every
  path into it has arrived). With several ends, the first one reached ends the run:
  branches still under way are cancelled. Planners who want parallel branches to all
  finish join them before a single end.
- Reopening a task never rewinds the run: its node stays done and its successors keep
  their states; finishing a node twice is a no-op (an advance is idempotent).

Cost: one call reads the state of the finished node and, for each outgoing edge, the
arrivals of its target and, when all its paths have arrived, that target's state.
Nothing else of the run is read. The graph's adjacency is built once per `Graph`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.errors import CueflowError, ErrorCode
from engine.model.conditions import evaluate
from engine.model.graph import Edge, Graph, Node
from engine.model.nodes.recurring import cue_offsets
from engine.model.nodes.wait import WaitMode, WaitSettings
from engine.model.run_states import (
    NODE_FINISHED,
    NODE_OPEN,
    NODE_TRANSITIONS,
    NodeState,
)
from engine.model.vocabulary import NodeKind

AUTOMATIC_KINDS = frozenset({NodeKind.START, NodeKind.DECISION, NodeKind.END})


# ----- what the caller provides --------------------------------------------------------


@dataclass(frozen=True)
class Arrivals:
    """How many paths into a node have arrived so far, and how many of those are alive."""

    resolved: int = 0
    taken: int = 0


NONE_ARRIVED = Arrivals()


@dataclass(frozen=True)
class RunView:
    """What the model may read of a run. A node missing from `states` is pending; one
    missing from `arrivals` has had nothing arrive yet. Mappings may load lazily: only
    the keys named in the module docstring are read."""

    graph: Graph
    states: Mapping[str, NodeState]
    arrivals: Mapping[str, Arrivals]
    variables: Mapping[str, Any]


@dataclass(frozen=True)
class Wiring:
    """The adjacency of a graph, built once: edges out of each node, paths into each."""

    outgoing: Mapping[str, tuple[Edge, ...]]
    in_degree: Mapping[str, int]
    node_order: Mapping[str, int]
    edge_order: Mapping[str, int]
    start_id: str | None

    @classmethod
    def of(cls, graph: Graph) -> Wiring:
        nodes = graph.node_by_id
        outgoing: dict[str, list[Edge]] = {node_id: [] for node_id in nodes}
        in_degree = dict.fromkeys(nodes, 0)
        for edge in graph.known_edges:
            outgoing[edge.source].append(edge)
            in_degree[edge.target] += 1
        starts = [n.id for n in nodes.values() if n.kind is NodeKind.START]
        return cls(
            outgoing={node_id: tuple(edges) for node_id, edges in outgoing.items()},
            in_degree=in_degree,
            node_order={node_id: i for i, node_id in enumerate(nodes)},
            edge_order={edge.id: i for i, edge in enumerate(graph.known_edges)},
            start_id=starts[0] if starts else None,
        )


_WIRING = "_run_wiring"


def wiring(graph: Graph) -> Wiring:
    """The graph's `Wiring`, kept on the Graph object (as its cached properties are)."""
    cached = graph.__dict__.get(_WIRING)
    if cached is None:
        cached = graph.__dict__[_WIRING] = Wiring.of(graph)
    return cached


# ----- what the caller must do ---------------------------------------------------------


@dataclass(frozen=True)
class CreateTask:
    """Open a task for the node's role and offer it to the people holding that role."""

    node_id: str
    role: str | None


@dataclass(frozen=True)
class ScheduleTimer:
    """Finish the wait at go-live + `at_offset_minutes` (or at once if that is past),
    or `delay_minutes` after it became ready. Exactly one of the two is set."""

    node_id: str
    at_offset_minutes: int | None = None
    delay_minutes: int | None = None


@dataclass(frozen=True)
class SendNotification:
    """Send the node's message at go-live + `at_offset_minutes` (or at once if that is
    past), or at once when the node is not pinned to an offset."""

    node_id: str
    at_offset_minutes: int | None = None


@dataclass(frozen=True)
class ScheduleCues:
    """Plan the cue series: `offsets` are minutes after go-live for a node pinned to an
    offset; for an unpinned node they are None and the series starts when it became
    ready. `engine.model.run_times.cue_series` gives the times either way."""

    node_id: str
    offsets: tuple[int, ...] | None


Effect = CreateTask | ScheduleTimer | SendNotification | ScheduleCues


@dataclass(frozen=True)
class Advance:
    """What one step changes. Lists follow the graph's document order."""

    ready: tuple[str, ...] = ()
    done: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    taken_edges: tuple[str, ...] = ()
    dead_edges: tuple[str, ...] = ()
    arrivals: Mapping[str, Arrivals] = field(default_factory=dict)
    effects: tuple[Effect, ...] = ()
    run_completed: bool = False

    def node_states(self) -> dict[str, NodeState]:
        """Every node whose state changed, with its new state."""
        out = dict.fromkeys(self.ready, NodeState.READY)
        out.update(dict.fromkeys(self.done, NodeState.DONE))
        out.update(dict.fromkeys(self.skipped, NodeState.SKIPPED))
        return out


# ----- the steps -----------------------------------------------------------------------


def start(graph: Graph, variables: Mapping[str, Any] | None = None) -> Advance:
    """What a new run does at once: its start node is done and the flow goes on."""
    start_id = wiring(graph).start_id
    if start_id is None:
        raise CueflowError(ErrorCode.RUNBOOK_HAS_ERRORS, "The runbook has no start node.")
    walk = _Walk(RunView(graph, {}, {}, variables or {}))
    walk.move(graph.node_by_id[start_id], NodeState.DONE)
    walk.leave(graph.node_by_id[start_id], alive=True)
    return walk.advance()


def on_finished(view: RunView, node_id: str, outcome: NodeState = NodeState.DONE) -> Advance:
    """The node's work is over (`outcome` done, or skipped by a person): move the run on.

    The node must be ready or active; one already done or skipped yields an empty
    Advance, so running the same advance twice changes nothing.
    """
    node = view.graph.node_by_id.get(node_id)
    if node is None:
        raise CueflowError(ErrorCode.NOT_FOUND, f"The runbook has no node “{node_id}”.")
    outcome = NodeState(outcome)
    if outcome not in NODE_FINISHED:
        raise ValueError(f"a node finishes done or skipped, not {outcome}")
    before = view.states.get(node_id, NodeState.PENDING)
    if before in NODE_FINISHED:
        return Advance()
    if before not in NODE_OPEN:  # pending -> done is for automatic kinds, in an advance
        raise CueflowError(
            ErrorCode.NODE_TRANSITION,
            f"“{node.title}” is not under way yet; it cannot be finished.",
            extra={"status": str(before), "to": str(outcome)},
        )
    walk = _Walk(view)
    walk.states[node_id] = before
    walk.move(node, outcome)
    walk.leave(node, alive=True)  # a node a person skipped lets the run go on
    return walk.advance()


def choose(node: Node, outgoing: tuple[Edge, ...], variables: Mapping[str, Any]) -> Edge:
    """The edge a decision takes: the first whose condition holds, else the default."""
    default = None
    for edge in outgoing:
        if edge.is_default:
            default = default or edge
        elif edge.condition is not None and evaluate(edge.condition, variables):
            return edge
    if default is None:
        raise CueflowError(
            ErrorCode.RUNBOOK_HAS_ERRORS,
            f"No condition of the decision “{node.title}” holds and it has no default path.",
        )
    return default


class _Walk:
    """One advance: a worklist of paths arriving at nodes, over the caller's view."""

    def __init__(self, view: RunView) -> None:
        self.view = view
        self.wiring = wiring(view.graph)
        self.states: dict[str, NodeState] = {}
        self.arrivals: dict[str, Arrivals] = {}
        self.changed: dict[NodeState, list[str]] = {s: [] for s in NodeState}
        self.edges: dict[bool, list[str]] = {True: [], False: []}
        self.effects: dict[str, Effect] = {}
        self.completed = False
        self.paths: deque[tuple[Edge, bool]] = deque()

    def state(self, node_id: str) -> NodeState:
        if node_id in self.states:
            return self.states[node_id]
        return self.view.states.get(node_id, NodeState.PENDING)

    def move(self, node: Node, new: NodeState) -> None:
        NODE_TRANSITIONS.check(self.state(node.id), new)
        self.states[node.id] = new
        self.changed[new].append(node.id)

    def leave(self, node: Node, *, alive: bool) -> None:
        """Send a path down every edge out of `node`, then follow them all."""
        self.send(node, alive=alive)
        while self.paths:
            edge, alive_path = self.paths.popleft()
            self.edges[alive_path].append(edge.id)
            self.arrive(edge.target, alive_path)

    def send(self, node: Node, *, alive: bool) -> None:
        outgoing = self.wiring.outgoing[node.id]
        if alive and node.kind is NodeKind.DECISION and outgoing:
            taken = choose(node, outgoing, self.view.variables)
            self.paths.extend((edge, edge is taken) for edge in outgoing)
        else:
            self.paths.extend((edge, alive) for edge in outgoing)

    def arrive(self, node_id: str, alive: bool) -> None:
        if node_id in self.arrivals:
            so_far = self.arrivals[node_id]
        else:
            so_far = self.view.arrivals.get(node_id, NONE_ARRIVED)
        now = Arrivals(so_far.resolved + 1, so_far.taken + alive)
        self.arrivals[node_id] = now
        needed = self.wiring.in_degree[node_id]
        if now.resolved > needed:
            raise CueflowError(
                ErrorCode.NODE_TRANSITION,
                f"More paths arrived at “{node_id}” than lead into it: advanced twice?",
            )
        if now.resolved < needed:
            return
        node = self.view.graph.node_by_id[node_id]
        if not now.taken:
            self.move(node, NodeState.SKIPPED)
            self.send(node, alive=False)
        elif node.kind in AUTOMATIC_KINDS:
            self.move(node, NodeState.DONE)
            self.completed = self.completed or node.kind is NodeKind.END
            self.send(node, alive=True)
        else:
            self.move(node, NodeState.READY)
            self.effects[node_id] = effect_of(node)

    def advance(self) -> Advance:
        by_node = self.wiring.node_order.__getitem__
        by_edge = self.wiring.edge_order.__getitem__
        ready = tuple(sorted(self.changed[NodeState.READY], key=by_node))
        return Advance(
            ready=ready,
            done=tuple(sorted(self.changed[NodeState.DONE], key=by_node)),
            skipped=tuple(sorted(self.changed[NodeState.SKIPPED], key=by_node)),
            taken_edges=tuple(sorted(self.edges[True], key=by_edge)),
            dead_edges=tuple(sorted(self.edges[False], key=by_edge)),
            arrivals=self.arrivals,
            effects=tuple(self.effects[node_id] for node_id in ready),
            run_completed=self.completed,
        )


def effect_of(node: Node) -> Effect:
    """What the executor must do for a node that became ready."""
    if node.kind is NodeKind.WAIT:
        settings: WaitSettings = node.settings
        if settings.mode is WaitMode.UNTIL_OFFSET:
            return ScheduleTimer(node.id, at_offset_minutes=settings.until_offset_minutes)
        return ScheduleTimer(node.id, delay_minutes=settings.delay_minutes or 0)
    if node.kind is NodeKind.NOTIFY:
        return SendNotification(node.id, node.offset_minutes)
    if node.kind is NodeKind.RECURRING:
        pinned = node.offset_minutes
        return ScheduleCues(node.id, None if pinned is None else tuple(cue_offsets(node, pinned)))
    return CreateTask(node.id, node.role)


@dataclass
class InMemoryRun:
    """A run held in plain dicts: how to apply each `Advance`, for tests, benchmarks and
    dry runs of a runbook. The store does the same with rows, in one transaction."""

    graph: Graph
    variables: dict[str, Any] = field(default_factory=dict)
    states: dict[str, NodeState] = field(default_factory=dict)
    arrivals: dict[str, Arrivals] = field(default_factory=dict)
    taken_edges: set[str] = field(default_factory=set)
    dead_edges: set[str] = field(default_factory=set)
    open_nodes: set[str] = field(default_factory=set)  # ready or active
    completed: bool = False

    @property
    def view(self) -> RunView:
        return RunView(self.graph, self.states, self.arrivals, self.variables)

    def apply(self, advance: Advance) -> Advance:
        self.states.update(advance.node_states())
        self.arrivals.update(advance.arrivals)
        self.taken_edges.update(advance.taken_edges)
        self.dead_edges.update(advance.dead_edges)
        self.open_nodes.update(advance.ready)
        self.open_nodes.difference_update(advance.done, advance.skipped)
        self.completed = self.completed or advance.run_completed
        return advance

    def start(self) -> Advance:
        return self.apply(start(self.graph, self.variables))

    def finish(self, node_id: str, outcome: NodeState = NodeState.DONE) -> Advance:
        return self.apply(on_finished(self.view, node_id, outcome))

    def state(self, node_id: str) -> NodeState:
        return self.states.get(node_id, NodeState.PENDING)
