"""Feishu (飞书) custom bot: an interactive card, signed when the bot verifies signatures.

Payload (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot):
{"msg_type": "interactive", "card": {"header": …, "elements": [markdown, button]}}, plus, when
a secret is set, "timestamp" (seconds, as a string) and
"sign" = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")) - the secret goes into the
key and the message is empty, unlike DingTalk. The request body may be at most 20 KB.
People are @-ed inside the markdown with <at id=…></at> (open_id or user_id; "all" for
everyone); Feishu bots cannot @ by mobile number, so mobiles are left out.
Answer: {"code": 0, "msg": "success"} (older bots: {"StatusCode": 0}); 11232 means rate-limited
(100 a minute and 5 a second per bot).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from engine.notify.message import Category, Message, fit_parts, fit_utf8, split_mentions
from engine.notify.outgoing import (
    OutgoingRequest,
    Verdict,
    epoch_seconds,
    json_request,
    judge_status,
    platform_error,
)

BODY_BYTES = 20 * 1000  # the documented 20 KB, read as the smaller of 20000 and 20480
TITLE_BYTES = 256
LINK_LABEL = "查看详情"
RATE_LIMITED = frozenset({11232})
COLOURS = {
    Category.ESCALATION: "red",
    Category.REMINDER: "orange",
    Category.DIGEST: "blue",
    Category.NOTIFY: "blue",
    Category.TEST: "grey",
}


def sign(secret: str, timestamp: int) -> str:
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def build(config: Mapping[str, Any], message: Message, now: datetime) -> OutgoingRequest:
    secret = config.get("secret")
    signing: dict[str, str] = {}
    if secret:
        timestamp = epoch_seconds(now)
        signing = {"timestamp": str(timestamp), "sign": sign(secret, timestamp)}
    text_budget = BODY_BYTES
    for _ in range(4):
        payload = {**signing, "msg_type": "interactive", "card": card(message, text_budget)}
        request = json_request(config["webhook_url"], payload)
        overflow = len(request.body) - BODY_BYTES
        if overflow <= 0 or text_budget <= 0:
            break
        # JSON escaping and the card's frame take room too: shrink the text by the excess.
        text_budget = max(text_budget - overflow - 64, 0)
    return request


def card(message: Message, text_bytes: int) -> dict[str, Any]:
    _, user_ids, everyone = split_mentions(message.mentions)
    ats = [f"<at id={u}></at>" for u in [*(["all"] if everyone else []), *user_ids]]
    elements: list[dict[str, Any]] = [
        {"tag": "markdown", "content": fit_parts("", message.text, " ".join(ats), text_bytes)}
    ]
    if message.link:
        button = {
            "tag": "button",
            "text": {"tag": "plain_text", "content": LINK_LABEL},
            "type": "primary",
            "url": message.link,
        }
        elements.append({"tag": "action", "actions": [button]})
    return {
        "config": {"wide_screen_mode": True},
        "header": {
            "title": {"tag": "plain_text", "content": fit_utf8(message.title, TITLE_BYTES)},
            "template": COLOURS.get(message.category, "blue"),
        },
        "elements": elements,
    }


def judge(status: int, body: bytes, headers: Mapping[str, str]) -> Verdict:
    return judge_status(status, headers) or platform_error(
        body,
        ("code", "StatusCode"),
        ("msg", "StatusMessage"),
        platform="Feishu",
        rate_limited=RATE_LIMITED,
        wait=10,
    )
