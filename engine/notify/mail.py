"""E-mail: a plain-text UTF-8 message to the channel's addresses (and any mentioned addresses).

Named `mail`, not `email`, so that it never hides the standard library's `email` package from a
reader. Pure: `engine.notify.send` hands the message to the SMTP server.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from engine.notify.message import Message

SUBJECT_CHARS = 200


def recipients(config: Mapping[str, Any], message: Message) -> list[str]:
    """The channel's addresses, then mentioned addresses, each once (case-insensitively)."""
    seen: dict[str, str] = {}
    for address in [*config["to"], *(m for m in message.mentions if _is_address(m))]:
        seen.setdefault(address.strip().lower(), address.strip())
    return list(seen.values())


def _is_address(value: str) -> bool:
    _, address = parseaddr(value)
    local, _, domain = address.partition("@")
    return bool(local and "." in domain and " " not in address)


def build(
    config: Mapping[str, Any], message: Message, now: datetime, *, sender: str
) -> EmailMessage:
    if now.tzinfo is None:
        raise ValueError("`now` must carry a time zone (use datetime.now(UTC)).")
    mail = EmailMessage()
    mail["Subject"] = " ".join(message.title.split())[:SUBJECT_CHARS]
    mail["From"] = sender
    mail["To"] = ", ".join(recipients(config, message))
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = make_msgid(domain=_domain(sender))
    mail["X-Cueflow-Event"] = str(message.category)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: autoresponders stay quiet
    body = message.text
    if message.link:
        body = f"{body}\n\n{message.link}"
    mail.set_content(body + "\n", charset="utf-8")
    return mail


def _domain(sender: str) -> str:
    _, address = parseaddr(sender)
    try:
        return Address(addr_spec=address).domain or "cueflow.invalid"
    except (ValueError, IndexError):
        return "cueflow.invalid"
