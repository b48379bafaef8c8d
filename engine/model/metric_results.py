"""Targets against actuals: every metric entered in a run's tasks (a review's GMV, a
flash-sale segment's orders), tied to the node that produced it, with its target from the
run's variables and the achievement in percent. The rule is the post-mortem's
(engine/model/postmortem.py): the last completion's figures stand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.model.graph import Graph
from engine.model.nodes.task import TaskSettings
from engine.model.run_log import RunLog, percent
from engine.model.vocabulary import NodeKind


@dataclass(frozen=True)
class MetricResult:
    node_id: str
    node_title: str
    phase: str
    key: str
    label: str
    unit: str
    type: str
    actual: int | float
    target_variable: str | None
    target: int | float | None
    achievement_percent: float | None  # actual / target x 100; None without a target
    entered_by: int | None
    entered_at: datetime


@dataclass(frozen=True)
class UnfilledMetric:
    """A metric of a task never completed (skipped, or not reached)."""

    node_id: str
    node_title: str
    key: str
    label: str


def metric_results(
    graph: Graph, log: RunLog, variables: Mapping[str, Any]
) -> tuple[tuple[MetricResult, ...], tuple[UnfilledMetric, ...]]:
    """Every metric field of every task, in runbook order and the node's field order."""
    results: list[MetricResult] = []
    unfilled: list[UnfilledMetric] = []
    for node in graph.nodes:
        if node.kind is not NodeKind.TASK or not isinstance(node.settings, TaskSettings):
            continue
        seen = log.nodes.get(node.id)
        completion = seen.completion if seen else None
        result = ((completion.after or {}).get("result") or {}) if completion else {}
        entered = result.get("metrics") or {}
        for metric in node.settings.metric_fields:
            value = entered.get(metric.key)
            if completion is None or not is_number(value):
                unfilled.append(UnfilledMetric(node.id, node.title, metric.key, metric.label))
                continue
            target = variables.get(metric.target_variable) if metric.target_variable else None
            target = target if is_number(target) else None
            results.append(
                MetricResult(
                    node_id=node.id,
                    node_title=node.title,
                    phase=str(node.phase),
                    key=metric.key,
                    label=metric.label,
                    unit=metric.unit,
                    type=str(metric.type),
                    actual=value,
                    target_variable=metric.target_variable,
                    target=target,
                    achievement_percent=percent(value, target) if target else None,
                    entered_by=completion.actor_id,
                    entered_at=completion.at,
                )
            )
    return tuple(results), tuple(unfilled)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
