"""A generic webhook: a JSON POST signed with HMAC-SHA256, for receivers of your own.

Body (UTF-8 JSON):
    {"event": "reminder", "title": "…", "text": "…", "link": "https://…" or null,
     "mentions": [...], "sent_at": "2026-05-01T12:00:00+00:00"}
Headers:
    X-Cueflow-Event: the event (same as in the body)
    X-Cueflow-Timestamp: Unix time in seconds when the request was signed
    X-Cueflow-Signature: sha256=<hex HMAC-SHA256(key=secret, msg=f"{timestamp}.".encode() + body)>

To verify, a receiver recomputes the HMAC over the timestamp header, a dot and the raw body
bytes exactly as received (before parsing the JSON), compares it in constant time, and refuses
timestamps more than five minutes from its own clock so a captured request cannot be replayed
later. `verify_signature` below does exactly that. Any 2xx answer counts as delivered.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from engine.notify.message import Message
from engine.notify.outgoing import (
    DELIVERED,
    OutgoingRequest,
    Verdict,
    epoch_seconds,
    json_request,
    judge_status,
)

TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def build(config: Mapping[str, Any], message: Message, now: datetime) -> OutgoingRequest:
    timestamp = epoch_seconds(now)
    payload = {
        "event": str(message.category),
        "title": message.title,
        "text": message.text,
        "link": message.link,
        "mentions": list(message.mentions),
        "sent_at": now.astimezone(UTC).isoformat(),
    }
    unsigned = json_request(config["url"], payload)
    headers = {
        **unsigned.headers,
        "X-Cueflow-Event": str(message.category),
        "X-Cueflow-Timestamp": str(timestamp),
        "X-Cueflow-Signature": signature(config["secret"], timestamp, unsigned.body),
    }
    return OutgoingRequest(unsigned.url, unsigned.body, headers)


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature_header: str | None,
    *,
    now: datetime,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """True when the request was signed with `secret` within `tolerance` seconds of `now`."""
    if not timestamp or not signature_header or not timestamp.strip().isdigit():
        return False
    if abs(epoch_seconds(now) - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp.strip(), body), signature_header)


def judge(status: int, body: bytes, headers: Mapping[str, str]) -> Verdict:
    return judge_status(status, headers) or DELIVERED
