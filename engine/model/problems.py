"""What validation and planning can find wrong with a runbook graph, in the editor's terms.

Each `Problem` names a stable `ProblemCode`, says what is wrong in plain words and
lists the node and edge ids it concerns so the editor can highlight them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from engine.model.vocabulary import Severity


class ProblemCode(StrEnum):
    """Every problem a graph can have. Values are stable: clients match on them."""

    # structure
    DUPLICATE_NODE_ID = "node.duplicate_id"
    DUPLICATE_EDGE_ID = "edge.duplicate_id"
    DUPLICATE_VARIABLE = "variable.duplicate"
    DANGLING_EDGE = "edge.dangling"
    PARALLEL_EDGE = "edge.parallel"
    NO_START = "graph.no_start"
    MULTIPLE_STARTS = "graph.multiple_starts"
    NO_END = "graph.no_end"
    START_HAS_INCOMING = "start.has_incoming"
    END_HAS_OUTGOING = "end.has_outgoing"
    CYCLE = "graph.cycle"
    UNREACHABLE = "node.unreachable"
    END_UNREACHABLE = "node.end_unreachable"
    BACKWARD_PHASE = "edge.backward_phase"
    # roles and kinds
    MISSING_ROLE = "node.missing_role"
    DECISION_DEFAULT = "decision.default_edge"
    DECISION_EDGE_WITHOUT_CONDITION = "decision.edge_without_condition"
    BRANCH_OUTSIDE_DECISION = "edge.branch_outside_decision"
    UNKNOWN_VARIABLE = "condition.unknown_variable"
    TASK_DUPLICATE_KEY = "task.duplicate_key"
    UNKNOWN_TARGET_VARIABLE = "task.unknown_target_variable"
    UNKNOWN_SET_VARIABLE = "task.unknown_set_variable"
    WAIT_INCOMPLETE = "wait.incomplete"
    NOTIFY_NO_RECIPIENT = "notify.no_recipient"
    RECURRING_INCOMPLETE = "recurring.incomplete"
    # time
    OUTSIDE_PHASE_WINDOW = "node.outside_phase_window"
    OFFSET_ORDER = "edge.offset_order"
    # warnings
    TASK_NO_DURATION = "task.no_duration"
    ROLE_USED_ONCE = "role.used_once"
    NO_OFFSET_IN_EXECUTION = "node.no_offset_in_execution"
    NOTIFY_EMPTY_MESSAGE = "notify.empty_message"
    NOTIFY_UNKNOWN_PLACEHOLDER = "notify.unknown_placeholder"
    CONDITION_TYPE_MISMATCH = "condition.type_mismatch"
    VARIABLE_TYPE_MISMATCH = "task.variable_type_mismatch"
    DECISION_SINGLE_BRANCH = "decision.single_branch"
    RECURRING_UNBOUNDED = "recurring.unbounded"
    ROLE_OVERLAP = "role.overlap"


@dataclass(frozen=True)
class Problem:
    code: ProblemCode
    message: str
    severity: Severity = Severity.ERROR
    node_ids: tuple[str, ...] = ()
    edge_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "message": self.message,
            "severity": self.severity.value,
            "node_ids": list(self.node_ids),
            "edge_ids": list(self.edge_ids),
        }


def error(code: ProblemCode, message: str, nodes=(), edges=()) -> Problem:
    return Problem(code, message, Severity.ERROR, tuple(nodes), tuple(edges))


def warning(code: ProblemCode, message: str, nodes=(), edges=()) -> Problem:
    return Problem(code, message, Severity.WARNING, tuple(nodes), tuple(edges))


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
