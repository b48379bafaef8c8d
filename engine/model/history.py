"""Across runs of one runbook: which nodes are late most often and by how much, how long
each really takes against its plan, and the durations to suggest to the planner.

The rules, in plain words (minutes to 0.1, halves away from zero):

- Each run contributes its judged nodes (engine/model/postmortem.py: a task or approval
  done, with a planned due), as `RunActuals`: from a `PostMortem` (`actuals_of`) or
  from its stored `as_dict()` (`actuals_from_dict`). Pass runs oldest first.
- Per node, over the runs that judged it: runs seen, late count (runs where it was
  not on time) and late percent, the mean lateness of the late runs and how early the
  early ones were (never a signed mean), the median and worst lateness, and the median
  actual minutes (finished - started) against the planned minutes. The planned minutes
  are the draft's `duration_minutes` when a draft is given, else those of the latest
  run. Nodes are listed most often late first, then by how late when late, then by
  median lateness (later first), then by id.
- Suggested duration: the median actual minutes rounded up to a whole multiple of
  `ROUND_TO_MINUTES` (5; at least 5), when at least `MIN_RUNS` (2) runs saw the node,
  the median differs from the planned duration by more than `MIN_CHANGE` (10 %) of it
  (any median above 0 when nothing is planned), and the rounded value is not the
  planned one. With a draft, only nodes still in it get suggestions.
- Applying: `suggestion_edits` gives each suggestion as a node edit
  `{"duration_minutes": n}` for engine.model.draft_edits.update_node;
  `apply_suggestions` applies them all to a draft document in one go.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.model.draft_edits import Doc, update_node
from engine.model.graph import Graph
from engine.model.nodes import HUMAN_KINDS
from engine.model.postmortem import PostMortem
from engine.model.run_log import percent, tenths

MIN_RUNS = 2
MIN_CHANGE = 0.10
ROUND_TO_MINUTES = 5


@dataclass(frozen=True)
class NodeActual:
    """One judged node of one run."""

    node_id: str
    title: str
    planned_minutes: float | None
    actual_minutes: float | None
    lateness_minutes: float
    on_time: bool


@dataclass(frozen=True)
class RunActuals:
    run_id: int | str
    nodes: tuple[NodeActual, ...]


@dataclass(frozen=True)
class NodeHistory:
    node_id: str
    title: str
    runs_seen: int
    late_count: int
    late_percent: float
    mean_late_minutes: float | None  # of the runs in which it was late
    mean_early_minutes: float | None  # how early, in the runs it finished before its due
    median_lateness_minutes: float
    worst_lateness_minutes: float
    median_actual_minutes: float | None
    planned_minutes: float | None
    suggested_minutes: int | None


@dataclass(frozen=True)
class Suggestion:
    node_id: str
    title: str
    planned_minutes: float | None
    median_actual_minutes: float
    suggested_minutes: int
    runs: int


@dataclass(frozen=True)
class RunbookHistory:
    runs: int
    nodes: tuple[NodeHistory, ...]
    suggestions: tuple[Suggestion, ...]  # in runbook order (the latest run's, or the draft's)

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "nodes": [vars(n).copy() for n in self.nodes],
            "suggestions": [vars(s).copy() for s in self.suggestions],
        }


def actuals_of(run_id: int | str, postmortem: PostMortem) -> RunActuals:
    """The judged nodes of one run's post-mortem."""
    return RunActuals(
        run_id,
        tuple(
            NodeActual(
                t.node_id,
                t.title,
                t.planned_minutes,
                t.actual_minutes,
                t.lateness_minutes,
                bool(t.on_time),
            )
            for t in postmortem.nodes
            if t.judged and t.lateness_minutes is not None
        ),
    )


def actuals_from_dict(run_id: int | str, postmortem: Mapping[str, Any]) -> RunActuals:
    """The same, from a post-mortem stored as its `as_dict()`."""
    return RunActuals(
        run_id,
        tuple(
            NodeActual(
                n["node_id"],
                n["title"],
                n["planned_minutes"],
                n["actual_minutes"],
                n["lateness_minutes"],
                bool(n["on_time"]),
            )
            for n in postmortem["nodes"]
            if n["judged"] and n["lateness_minutes"] is not None
        ),
    )


def runbook_history(runs: Sequence[RunActuals], draft: Graph | None = None) -> RunbookHistory:
    """Lateness and durations per node over `runs` (oldest first); see the rules."""
    seen: dict[str, list[NodeActual]] = {}
    for run in runs:
        for actual in run.nodes:
            seen.setdefault(actual.node_id, []).append(actual)
    planned = _planned(seen, draft)
    nodes = [_node_history(actuals, planned.get(node_id)) for node_id, actuals in seen.items()]
    if draft is not None:  # only what the planner can still edit
        nodes = [n for n in nodes if n.node_id in planned]
    order = _runbook_order(runs, draft)
    suggestions = sorted(
        (
            Suggestion(
                n.node_id,
                n.title,
                n.planned_minutes,
                n.median_actual_minutes,
                n.suggested_minutes,
                n.runs_seen,
            )
            for n in nodes
            if n.suggested_minutes is not None and n.median_actual_minutes is not None
        ),
        key=lambda s: order.get(s.node_id, len(order)),
    )
    nodes.sort(
        key=lambda n: (
            -n.late_count,
            -(n.mean_late_minutes or 0),
            -n.median_lateness_minutes,
            n.node_id,
        )
    )
    return RunbookHistory(len(runs), tuple(nodes), tuple(suggestions))


def _planned(seen: Mapping[str, list[NodeActual]], draft: Graph | None) -> dict[str, float | None]:
    if draft is None:
        return {node_id: actuals[-1].planned_minutes for node_id, actuals in seen.items()}
    return {node.id: node.duration_minutes for node in draft.nodes if node.kind in HUMAN_KINDS}


def _runbook_order(runs: Sequence[RunActuals], draft: Graph | None) -> dict[str, int]:
    if draft is not None:
        return {node.id: i for i, node in enumerate(draft.nodes)}
    order: dict[str, int] = {}
    for run in reversed(runs):  # the latest run's order first
        for actual in run.nodes:
            order.setdefault(actual.node_id, len(order))
    return order


def _node_history(actuals: list[NodeActual], planned: float | None) -> NodeHistory:
    lateness = [a.lateness_minutes for a in actuals]
    durations = [a.actual_minutes for a in actuals if a.actual_minutes is not None]
    late = [a.lateness_minutes for a in actuals if not a.on_time]
    early = [-minutes for minutes in lateness if minutes < 0]
    median_actual = tenths(statistics.median(durations)) if durations else None
    return NodeHistory(
        node_id=actuals[-1].node_id,
        title=actuals[-1].title,
        runs_seen=len(actuals),
        late_count=len(late),
        late_percent=percent(len(late), len(actuals)) or 0.0,
        mean_late_minutes=tenths(statistics.fmean(late)) if late else None,
        mean_early_minutes=tenths(statistics.fmean(early)) if early else None,
        median_lateness_minutes=tenths(statistics.median(lateness)),
        worst_lateness_minutes=max(lateness),
        median_actual_minutes=median_actual,
        planned_minutes=planned,
        suggested_minutes=suggested_duration(median_actual, planned, len(durations)),
    )


def suggested_duration(median: float | None, planned: float | None, runs: int) -> int | None:
    """The duration to suggest for a node (see the rules), or None to leave it."""
    if median is None or runs < MIN_RUNS:
        return None
    planned = planned or 0
    if planned and abs(median - planned) <= MIN_CHANGE * planned:
        return None
    if not planned and median <= 0:
        return None
    rounded = max(ROUND_TO_MINUTES, math.ceil(median / ROUND_TO_MINUTES) * ROUND_TO_MINUTES)
    return None if rounded == planned else rounded


def suggestion_edits(suggestions: Iterable[Suggestion]) -> list[tuple[str, dict[str, int]]]:
    """Each suggestion as a node edit for engine.model.draft_edits.update_node."""
    return [(s.node_id, {"duration_minutes": s.suggested_minutes}) for s in suggestions]


def apply_suggestions(doc: Doc, suggestions: Iterable[Suggestion]) -> Doc:
    """The draft document with every suggested duration set (one action for the planner)."""
    for node_id, changes in suggestion_edits(suggestions):
        doc = update_node(doc, node_id, changes).doc
    return doc
