"""The words of a runbook graph, defined once: phases, node kinds, roles, severities.

Every other module (validation, schedule, the API's schemas, the editor legend)
takes these names from here so a value can never be spelled two ways.
"""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """The three phases every runbook flows through, in this order.

    pre_event  活动前 / 直播前: planning and preparation, before go-live (T0).
    execution  活动执行 / 直播中: the event itself, from T0; often minute-critical.
    review     活动后 / 复盘: data collection, follow-up and lessons, after the event.
    """

    PRE_EVENT = "pre_event"
    EXECUTION = "execution"
    REVIEW = "review"

    @property
    def order(self) -> int:
        """0, 1, 2 in the order a runbook flows; an edge must never go down."""
        return _PHASE_ORDER[self]


_PHASE_ORDER = {Phase.PRE_EVENT: 0, Phase.EXECUTION: 1, Phase.REVIEW: 2}


class NodeKind(StrEnum):
    """What a node does. Settings, rules and human-ness live in `engine.model.nodes`."""

    TASK = "task"
    APPROVAL = "approval"
    WAIT = "wait"
    NOTIFY = "notify"
    DECISION = "decision"
    RECURRING = "recurring"
    START = "start"
    END = "end"


class Role(StrEnum):
    """Well-known role keys (DOMAIN.md). A graph may use other strings too.

    Workspaces add their own roles, so a node's role is a free string; this list
    names the standard ones for templates, pickers and gentle warnings.
    """

    HOST = "host"  # 主播
    ASSISTANT = "assistant"  # 助播
    OPERATOR = "operator"  # 运营 / 中控
    CONTROLLER = "controller"  # 场控
    PLANNER = "planner"  # 策划
    CONTENT = "content"  # 内容 / 文案
    DESIGNER = "designer"  # 设计
    COMMUNITY = "community"  # 社群运营
    SERVICE = "service"  # 客服
    DATA = "data"  # 数据运营
    MANAGER = "manager"  # 运营总监 / 老板: approves and signs off


KNOWN_ROLES: frozenset[str] = frozenset(Role)


class Severity(StrEnum):
    """error: the runbook cannot be published; warning: worth a planner's look."""

    ERROR = "error"
    WARNING = "warning"


class VariableType(StrEnum):
    """The type of a run variable (targets, counts entered in tasks, switches)."""

    NUMBER = "number"
    STRING = "string"
    BOOL = "bool"
