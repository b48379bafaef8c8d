"""What the platform modules build and how an HTTP answer is judged; shared by all of them.

Pure: a platform module turns (config, message, now) into an `OutgoingRequest`, and an HTTP
answer into a `Verdict`; `engine.notify.send` does the I/O in between.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

USER_AGENT = "Cueflow-Notify/1"
ERROR_TEXT = 200  # characters of a platform's own error message kept in a Verdict


@dataclass(frozen=True)
class OutgoingRequest:
    """One HTTP POST, ready to send. The URL may hold a credential: never log it whole."""

    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """What an answer means: delivered, or failed and whether trying again may help."""

    ok: bool
    retryable: bool = False
    error: str | None = None
    retry_after: int | None = None  # seconds the platform asks us to wait, when it says so


DELIVERED = Verdict(ok=True)


def json_request(
    url: str, payload: Any, headers: Mapping[str, str] | None = None
) -> OutgoingRequest:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return OutgoingRequest(
        url=url,
        body=body,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            **(headers or {}),
        },
    )


def epoch_seconds(now: datetime) -> int:
    if now.tzinfo is None:
        raise ValueError("`now` must carry a time zone (use datetime.now(UTC)).")
    return int(now.timestamp())


def epoch_millis(now: datetime) -> int:
    if now.tzinfo is None:
        raise ValueError("`now` must carry a time zone (use datetime.now(UTC)).")
    return int(now.timestamp() * 1000)


def judge_status(status: int, headers: Mapping[str, str]) -> Verdict | None:
    """The verdict from the status code alone, or None for a 2xx (the body decides).

    Redirects are never followed (a webhook that moves is a configuration to fix); 408, 425,
    429 and 5xx may pass; any other 4xx will not.
    """
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return Verdict(False, False, f"HTTP {status}: redirects are not followed")
    retry_after = _retry_after(headers)
    if status in (408, 425, 429) or status >= 500:
        return Verdict(False, True, f"HTTP {status}", retry_after)
    return Verdict(False, False, f"HTTP {status}")


def _retry_after(headers: Mapping[str, str]) -> int | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
    return int(value) if value.strip().isdigit() else None


def platform_error(
    body: bytes,
    code_keys: tuple[str, ...],
    message_keys: tuple[str, ...],
    *,
    platform: str,
    rate_limited: frozenset[int],
    busy: frozenset[int] = frozenset({-1}),
    wait: int = 60,
) -> Verdict:
    """Judge a 2xx answer whose JSON carries a code: 0 is success, anything else a failure."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return Verdict(False, False, f"{platform} answered something that is not its JSON")
    code = next((data[k] for k in code_keys if k in data), None)
    if not isinstance(code, int):
        return Verdict(False, False, f"{platform} answered without a result code")
    if code == 0:
        return DELIVERED
    text = next((str(data[k]) for k in message_keys if k in data), "")[:ERROR_TEXT]
    error = f"{platform} error {code}: {text}".rstrip(": ")
    if code in rate_limited:
        return Verdict(False, True, error, wait)
    return Verdict(False, code in busy, error)
