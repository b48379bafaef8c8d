"""WeCom (企业微信) group robot: POST JSON to the robot's webhook URL, which holds its key.

Payload (https://developer.work.weixin.qq.com/document/path/91770):
- no one to @, or only user ids: {"msgtype": "markdown", "markdown": {"content": …}} with
  <@userid> in the content; content at most 4096 UTF-8 bytes.
- mobile numbers or "all" to @: markdown cannot @ them, so {"msgtype": "text", "text":
  {"content": …, "mentioned_list": [...], "mentioned_mobile_list": [...]}}; at most 2048 bytes.
Answer: {"errcode": 0, "errmsg": "ok"}; 45009 means too many messages (20 a minute per robot).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from engine.notify.message import Category, Message, fit_parts, split_mentions
from engine.notify.outgoing import (
    OutgoingRequest,
    Verdict,
    json_request,
    judge_status,
    platform_error,
)

MARKDOWN_BYTES = 4096
TEXT_BYTES = 2048
LINK_LABEL = "查看详情"
RATE_LIMITED = frozenset({45009})


def build(config: Mapping[str, Any], message: Message, now: datetime) -> OutgoingRequest:
    mobiles, user_ids, everyone = split_mentions(message.mentions)
    if mobiles or everyone:
        payload = {"msgtype": "text", "text": _text(message, user_ids, mobiles, everyone)}
    else:
        payload = {"msgtype": "markdown", "markdown": {"content": markdown(message, user_ids)}}
    return json_request(config["webhook_url"], payload)


def markdown(message: Message, user_ids: list[str]) -> str:
    title = f"**{message.title}**"
    if message.category is Category.ESCALATION:
        title = f'<font color="warning">{title}</font>'
    tail = [f"[{LINK_LABEL}]({message.link})"] if message.link else []
    if user_ids:
        tail.append(" ".join(f"<@{u}>" for u in user_ids))
    return fit_parts(title, message.text, "\n".join(tail), MARKDOWN_BYTES)


def _text(
    message: Message, user_ids: list[str], mobiles: list[str], everyone: bool
) -> dict[str, Any]:
    content = fit_parts(message.title, message.text, message.link or "", TEXT_BYTES)
    body: dict[str, Any] = {"content": content}
    if user_ids or everyone:
        body["mentioned_list"] = [*user_ids, *(["@all"] if everyone else [])]
    if mobiles:
        body["mentioned_mobile_list"] = mobiles
    return body


def judge(status: int, body: bytes, headers: Mapping[str, str]) -> Verdict:
    return judge_status(status, headers) or platform_error(
        body, ("errcode",), ("errmsg",), platform="WeCom", rate_limited=RATE_LIMITED
    )
