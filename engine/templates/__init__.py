"""Built-in runbook templates (graph documents, format 1) written from DOMAIN.md.

`TEMPLATES` lists them for pickers and the `flask` CLI; `load_template(key)` reads the
packaged JSON document, ready for `engine.model.graph_format.load_graph`. Titles and
descriptions are in Chinese; role keys are the standard English ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from engine.errors import CueflowError, ErrorCode


@dataclass(frozen=True)
class Template:
    key: str
    title_zh: str
    title_en: str
    description: str
    tags: tuple[str, ...] = ()


TEMPLATES: tuple[Template, ...] = (
    Template(
        "live_stream",
        "直播 SOP",
        "Live-stream runbook",
        "一场直播从方案、选品、预热、场景搭建到开播执行（主播讲解、助播拆价、中控推券、"
        "场控控场、定时抽奖）与直播后流量沉淀、数据复盘的完整流程。",
        ("直播", "live"),
    ),
    Template(
        "store_campaign",
        "小程序商城活动",
        "Mini-program store campaign",
        "商城活动的目标规划、策划、链路拆解、上线前内部测试（下单/支付/退款）、预热及达标判断、"
        "秒杀裂变等执行动作与活动后复盘。",
        ("商城", "campaign"),
    ),
    Template(
        "fission",
        "裂变 SOP",
        "Fission (referral) runbook",
        "梳理渠道、为裂变方式评分、选种子用户、设计分享路径与诱饵、选玩法，上线后监控与复盘。",
        ("裂变", "fission"),
    ),
)

TEMPLATE_BY_KEY: dict[str, Template] = {t.key: t for t in TEMPLATES}


def load_template(key: str) -> dict[str, Any]:
    """The graph document of the built-in template `key`; `template.not_found` if unknown."""
    if key not in TEMPLATE_BY_KEY:
        raise CueflowError(ErrorCode.TEMPLATE_NOT_FOUND, f"No built-in template “{key}”.")
    text = resources.files(__package__).joinpath(f"{key}.json").read_text(encoding="utf-8")
    return json.loads(text)


def roles_of(key: str) -> list[str]:
    """The roles the built-in template `key` casts, in the order its nodes first name them."""
    roles = (node.get("role") for node in load_template(key)["nodes"])
    return list(dict.fromkeys(role for role in roles if role))
