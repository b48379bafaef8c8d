"""Deliver one message to one channel, once, and say what happened.

`deliver` never raises for a delivery problem: it returns an `Attempt` the caller records, and
whose `retryable` decides whether the RQ job tries again (with backoff, and at least
`retry_after` seconds later when the platform asked for that). Retrying, digests and rate
budgets are the caller's; this module makes exactly one attempt.
"""

from __future__ import annotations

import http.client
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from engine.errors import CueflowError
from engine.notify import dingtalk, feishu, mail, webhook, wecom
from engine.notify.channels import URL_FIELD, ChannelKind, load_config
from engine.notify.guard import Refusal, check_url
from engine.notify.message import Message
from engine.notify.outgoing import OutgoingRequest, Verdict
from engine.notify.settings import NotifySettings
from engine.notify.transport import post, send_mail

EXCERPT_CHARS = 500

Builder = Callable[[Mapping[str, Any], Message, datetime], OutgoingRequest]
Judge = Callable[[int, bytes, Mapping[str, str]], Verdict]

PLATFORMS: dict[ChannelKind, tuple[Builder, Judge]] = {
    ChannelKind.WECOM: (wecom.build, wecom.judge),
    ChannelKind.FEISHU: (feishu.build, feishu.judge),
    ChannelKind.DINGTALK: (dingtalk.build, dingtalk.judge),
    ChannelKind.WEBHOOK: (webhook.build, webhook.judge),
}


@dataclass(frozen=True)
class Attempt:
    """The outcome of one try, as recorded for the channel's delivery log.

    status: the HTTP status, or for e-mail the SMTP reply code; None when no answer came.
    error: a short reason, never containing the channel's URL or secrets.
    response_excerpt: the start of what the platform answered, for people debugging a channel.
    """

    ok: bool
    status: int | None
    error: str | None
    retryable: bool
    response_excerpt: str = ""
    elapsed_ms: int = 0
    retry_after: int | None = None


def deliver(
    kind: ChannelKind | str,
    config: Mapping[str, Any],
    message: Message,
    *,
    now: datetime,
    settings: NotifySettings,
) -> Attempt:
    started = time.monotonic()
    try:
        kind = ChannelKind(kind)
        config = load_config(kind, dict(config))
    except ValueError:
        attempt = _failed(f"Unknown channel kind {kind!r}.", retryable=False)
    except CueflowError as exc:
        problems = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        attempt = _failed(f"The channel settings are not valid: {problems}", retryable=False)
    else:
        if kind is ChannelKind.EMAIL:
            attempt = _deliver_mail(config, message, now, settings)
        else:
            attempt = _deliver_http(kind, config, message, now, settings)
    return replace(attempt, elapsed_ms=int((time.monotonic() - started) * 1000))


def _failed(
    error: str, *, retryable: bool, status: int | None = None, excerpt: str = ""
) -> Attempt:
    return Attempt(False, status, error[:EXCERPT_CHARS], retryable, excerpt[:EXCERPT_CHARS])


def _deliver_http(
    kind: ChannelKind,
    config: Mapping[str, Any],
    message: Message,
    now: datetime,
    settings: NotifySettings,
) -> Attempt:
    build, judge = PLATFORMS[kind]
    request = build(config, message, now)
    try:
        # Checked again now (DNS may have changed since the channel was saved); the connection
        # then goes to exactly the addresses approved here.
        target = check_url(request.url, settings.allow, field=f"config.{URL_FIELD[kind]}")
    except CueflowError as exc:
        # A name that does not resolve may be a passing DNS failure; a refused address is not.
        return _failed(exc.detail, retryable=exc.extra.get("reason") == Refusal.UNRESOLVABLE)
    host = target.host
    try:
        response = post(request, target, timeout=settings.timeout)
    except TimeoutError:
        return _failed(f"No answer from {host} within {settings.timeout:g} s", retryable=True)
    except ssl.SSLCertVerificationError as exc:
        error = f"The certificate of {host} is not valid: {exc.verify_message}"
        return _failed(error, retryable=False)
    except (OSError, http.client.HTTPException) as exc:
        return _failed(f"Could not reach {host}: {_reason(exc)}", retryable=True)
    verdict = judge(response.status, response.body, response.headers)
    return Attempt(
        ok=verdict.ok,
        status=response.status,
        error=verdict.error,
        retryable=verdict.retryable,
        response_excerpt=response.body.decode(errors="replace")[:EXCERPT_CHARS],
        retry_after=verdict.retry_after,
    )


def _deliver_mail(
    config: Mapping[str, Any], message: Message, now: datetime, settings: NotifySettings
) -> Attempt:
    if not settings.smtp_host:
        return _failed("E-mail is not set up on this server (CUEFLOW_SMTP_HOST).", retryable=False)
    email = mail.build(config, message, now, sender=settings.smtp_from)
    try:
        refused = send_mail(email, settings)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        error = f"Every recipient was refused: {', '.join(exc.recipients)}"
        # 4xx: the mailbox is full or the server busy for now; 5xx: it will not take them.
        temporary = all(400 <= code < 500 for code in codes)
        return _failed(error, retryable=temporary, status=codes[0] if codes else None)
    except smtplib.SMTPResponseException as exc:
        reply = exc.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return _failed(
            f"The SMTP server answered {exc.smtp_code}: {text}",
            retryable=400 <= exc.smtp_code < 500,
            status=exc.smtp_code,
            excerpt=text,
        )
    except TimeoutError:
        error = f"No answer from the SMTP server within {settings.timeout:g} s"
        return _failed(error, retryable=True)
    except (smtplib.SMTPException, OSError) as exc:
        error = f"Could not hand the e-mail to the SMTP server: {_reason(exc)}"
        return _failed(error, retryable=True)
    if refused:
        return Attempt(True, 250, f"Some recipients were refused: {', '.join(refused)}", False)
    return Attempt(True, 250, None, False)


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
