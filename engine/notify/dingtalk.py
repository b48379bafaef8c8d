"""DingTalk (钉钉) custom robot with its signing secret (加签).

Request: POST {webhook_url}&timestamp=<ms>&sign=<sign>, where
sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))), the timestamp
in milliseconds and within an hour of DingTalk's clock.
Payload: {"msgtype": "markdown", "markdown": {"title": …, "text": …},
"at": {"atMobiles": [...], "atUserIds": [...], "isAtAll": bool}}; a person is only @-ed when
"@<mobile>" (or "@<userid>") also appears in the text, so those are appended.
Answer: {"errcode": 0, "errmsg": "ok"}. A robot takes 20 messages a minute; past that it answers
130101 ("send too fast") and refuses for 10 minutes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from engine.notify.message import Message, fit_parts, fit_utf8, split_mentions
from engine.notify.outgoing import (
    OutgoingRequest,
    Verdict,
    epoch_millis,
    json_request,
    judge_status,
    platform_error,
)

TEXT_BYTES = 20000
TITLE_BYTES = 128
LINK_LABEL = "查看详情"
RATE_LIMITED = frozenset({130101, 660026})
THROTTLED_SECONDS = 600


def sign(secret: str, timestamp_ms: int) -> str:
    """The documented signature, base64 (not yet URL-encoded)."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def build(config: Mapping[str, Any], message: Message, now: datetime) -> OutgoingRequest:
    timestamp = epoch_millis(now)
    url = config["webhook_url"]
    url += ("&" if "?" in url else "?") + (
        f"timestamp={timestamp}&sign={quote_plus(sign(config['secret'], timestamp))}"
    )
    mobiles, user_ids, everyone = split_mentions(message.mentions)
    payload = {
        "msgtype": "markdown",
        "markdown": {
            "title": fit_utf8(message.title, TITLE_BYTES),
            "text": markdown(message, [*mobiles, *user_ids]),
        },
        "at": {"atMobiles": mobiles, "atUserIds": user_ids, "isAtAll": everyone},
    }
    return json_request(url, payload)


def markdown(message: Message, mentioned: list[str]) -> str:
    # DingTalk's markdown joins lines that are not separated by a blank line.
    text = "\n\n".join(line for line in message.text.splitlines() if line.strip())
    tail = [f"[{LINK_LABEL}]({message.link})"] if message.link else []
    if mentioned:
        tail.append(" ".join(f"@{m}" for m in mentioned))
    return fit_parts(f"#### {message.title}", text, "\n\n".join(tail), TEXT_BYTES, sep="\n\n")


def judge(status: int, body: bytes, headers: Mapping[str, str]) -> Verdict:
    if status == 302:  # how DingTalk answers a robot it is throttling
        return Verdict(
            False, True, "DingTalk is throttling this robot (HTTP 302)", THROTTLED_SECONDS
        )
    return judge_status(status, headers) or platform_error(
        body,
        ("errcode",),
        ("errmsg",),
        platform="DingTalk",
        rate_limited=RATE_LIMITED,
        wait=THROTTLED_SECONDS,
    )
