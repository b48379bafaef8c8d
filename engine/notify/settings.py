"""Operator settings for sending notifications, read once from the environment.

CUEFLOW_SMTP_HOST
    SMTP server for e-mail channels. Unset: e-mail is off (attempts fail and are not retried).
CUEFLOW_SMTP_PORT
    SMTP port. Default: 465 with `ssl`, 587 with `starttls`, 25 with `none`.
CUEFLOW_SMTP_USER, CUEFLOW_SMTP_PASSWORD
    SMTP login. Unset: send without logging in.
CUEFLOW_SMTP_FROM
    The From address, e.g. `Cueflow <ops@example.com>`. Default: CUEFLOW_SMTP_USER when it is
    an address, else `cueflow@localhost`.
CUEFLOW_SMTP_TLS
    `starttls` (default: connect in plain text, then upgrade), `ssl` (TLS from the first
    byte) or `none` (only for a relay on a trusted network).
CUEFLOW_NOTIFY_TIMEOUT
    Seconds to wait for a robot, webhook or SMTP server, to connect and for each read.
    Default 10; 0.1 to 120.
CUEFLOW_NOTIFY_ALLOW_NETWORKS
    Comma-separated CIDRs, single addresses or host names that webhook URLs may reach although
    they are loopback, private or link-local, e.g. `10.20.0.0/16,hooks.corp.internal`; plain
    http is allowed to them too. Default: none.
CUEFLOW_NOTIFY_ROBOT_PER_MINUTE
    Messages sent to one WeCom, Feishu or DingTalk robot per minute before bursts are merged
    into digests. Default 15; at most 20, what the platforms accept.

A bad value raises ValueError naming the variable, so a worker fails at start, not mid-send.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from engine.notify.guard import Allowlist


class SmtpSecurity(StrEnum):
    NONE = "none"  # plain SMTP; only for a relay on a trusted network
    STARTTLS = "starttls"  # connect in plain text, then upgrade with STARTTLS (port 587)
    SSL = "ssl"  # TLS from the first byte (port 465)


DEFAULT_PORTS = {SmtpSecurity.NONE: 25, SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465}


@dataclass(frozen=True)
class NotifySettings:
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str = "cueflow@localhost"
    smtp_tls: SmtpSecurity = SmtpSecurity.STARTTLS
    timeout: float = 10.0
    allow: Allowlist = field(default_factory=Allowlist)
    robot_per_minute: int = 15

    def __post_init__(self) -> None:
        object.__setattr__(self, "smtp_tls", SmtpSecurity(self.smtp_tls))


def notify_settings_from_env(environ: Mapping[str, str] | None = None) -> NotifySettings:
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    try:
        tls = SmtpSecurity((get("CUEFLOW_SMTP_TLS") or "starttls").lower())
    except ValueError:
        raise ValueError("CUEFLOW_SMTP_TLS must be none, starttls or ssl.") from None
    user = get("CUEFLOW_SMTP_USER")
    try:
        allow = Allowlist.parse((get("CUEFLOW_NOTIFY_ALLOW_NETWORKS") or "").split(","))
    except ValueError as exc:
        raise ValueError(f"CUEFLOW_NOTIFY_ALLOW_NETWORKS: {exc}") from None
    return NotifySettings(
        smtp_host=get("CUEFLOW_SMTP_HOST"),
        smtp_port=_number(get, "CUEFLOW_SMTP_PORT", int, DEFAULT_PORTS[tls], 1, 65535),
        smtp_user=user,
        smtp_password=get("CUEFLOW_SMTP_PASSWORD"),
        smtp_from=get("CUEFLOW_SMTP_FROM")
        or (user if user and "@" in user else "cueflow@localhost"),
        smtp_tls=tls,
        timeout=_number(get, "CUEFLOW_NOTIFY_TIMEOUT", float, 10.0, 0.1, 120.0),
        allow=allow,
        robot_per_minute=_number(get, "CUEFLOW_NOTIFY_ROBOT_PER_MINUTE", int, 15, 1, 20),
    )


def _number(get, name: str, kind: type, default: float, low: float, high: float):
    raw = get(name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}.") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}.")
    return value
