"""The kinds of channel a workspace can configure, and each kind's settings, defined once.

The marshmallow schemas here validate a channel's `config` for the API (input and OpenAPI) and
for the sender. Secrets are write-only: `redacted` masks them for anything shown to a person.
Whether a URL's address may be reached is a separate question (`engine.notify.guard`): it needs
DNS and the operator's allow list.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine.errors import CueflowError, ErrorCode, FieldError


class ChannelKind(StrEnum):
    """Where a channel delivers.

    wecom: a WeCom (企业微信) group robot webhook.
    feishu: a Feishu (飞书) custom bot webhook, optionally with signature verification.
    dingtalk: a DingTalk (钉钉) custom robot webhook with its signing secret (加签).
    email: e-mail over the operator's SMTP server to fixed addresses.
    webhook: a JSON POST to any HTTPS endpoint, signed with HMAC-SHA256.
    """

    WECOM = "wecom"
    FEISHU = "feishu"
    DINGTALK = "dingtalk"
    EMAIL = "email"
    WEBHOOK = "webhook"


# Group robots accept about 20 messages a minute each; bursts to them are merged into digests.
ROBOTS = frozenset({ChannelKind.WECOM, ChannelKind.FEISHU, ChannelKind.DINGTALK})

MAX_URL = 2048
MAX_SECRET = 256
MAX_RECIPIENTS = 50
MASK = "********"


def _url(description: str) -> fields.Url:
    return fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=MAX_URL),
        metadata={"description": description},
    )


def _secret(description: str, *, required: bool) -> fields.String:
    optional: dict[str, Any] = {} if required else {"load_default": None, "allow_none": True}
    return fields.String(
        required=required,
        validate=validate.Length(1, MAX_SECRET),
        metadata={"description": description, "writeOnly": True},
        **optional,
    )


class _ConfigSchema(Schema):
    class Meta:
        unknown = RAISE


class WecomConfigSchema(_ConfigSchema):
    webhook_url = _url(
        "The group robot's webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
    )


class FeishuConfigSchema(_ConfigSchema):
    webhook_url = _url("The custom bot's webhook, https://open.feishu.cn/open-apis/bot/v2/hook/…")
    secret = _secret("The bot's signing secret, when signature verification is on.", required=False)


class DingtalkConfigSchema(_ConfigSchema):
    webhook_url = _url("The robot's webhook, https://oapi.dingtalk.com/robot/send?access_token=…")
    secret = _secret("The robot's signing secret (加签), starting with SEC.", required=True)


class EmailConfigSchema(_ConfigSchema):
    to = fields.List(
        fields.Email(validate=validate.Length(max=254)),
        required=True,
        validate=validate.Length(1, MAX_RECIPIENTS),
        metadata={"description": "The addresses every message of this channel goes to."},
    )


class WebhookConfigSchema(_ConfigSchema):
    url = _url("The endpoint that receives a signed JSON POST for each message.")
    secret = _secret(
        "Signs each request (X-Cueflow-Signature); share it with the receiver.", required=True
    )


SCHEMAS: dict[ChannelKind, type[Schema]] = {
    ChannelKind.WECOM: WecomConfigSchema,
    ChannelKind.FEISHU: FeishuConfigSchema,
    ChannelKind.DINGTALK: DingtalkConfigSchema,
    ChannelKind.EMAIL: EmailConfigSchema,
    ChannelKind.WEBHOOK: WebhookConfigSchema,
}

# Fields never shown back. URLs are masked too (see `redacted`): robot keys and tokens live in
# their query strings or paths.
SECRET_FIELDS: dict[ChannelKind, frozenset[str]] = {
    ChannelKind.WECOM: frozenset(),
    ChannelKind.FEISHU: frozenset({"secret"}),
    ChannelKind.DINGTALK: frozenset({"secret"}),
    ChannelKind.EMAIL: frozenset(),
    ChannelKind.WEBHOOK: frozenset({"secret"}),
}

URL_FIELD: dict[ChannelKind, str | None] = {
    ChannelKind.WECOM: "webhook_url",
    ChannelKind.FEISHU: "webhook_url",
    ChannelKind.DINGTALK: "webhook_url",
    ChannelKind.EMAIL: None,
    ChannelKind.WEBHOOK: "url",
}


def load_config(kind: ChannelKind | str, data: Any) -> dict[str, Any]:
    """`data` checked against the kind's schema; raises CHANNEL_INVALID with one error a field."""
    try:
        kind = ChannelKind(kind)
    except ValueError:
        message = f"Unknown channel kind; use one of {', '.join(ChannelKind)}."
        raise CueflowError(
            ErrorCode.CHANNEL_INVALID, message, errors=[FieldError("kind", message)]
        ) from None
    try:
        return SCHEMAS[kind]().load(data)
    except ValidationError as exc:
        errors = [FieldError(path, message) for path, message in _flatten(exc.messages, "config")]
        raise CueflowError(ErrorCode.CHANNEL_INVALID, errors=errors) from None


def _flatten(messages: Any, path: str) -> list[tuple[str, str]]:
    """marshmallow's nested messages as (dotted path, message) pairs: config.to.1, ..."""
    if isinstance(messages, Mapping):
        return [
            pair
            for key, value in messages.items()
            for pair in _flatten(value, path if key == "_schema" else f"{path}.{key}")
        ]
    if isinstance(messages, list):
        return [pair for value in messages for pair in _flatten(value, path)]
    return [(path, str(messages))]


def redacted(kind: ChannelKind | str, config: Mapping[str, Any]) -> dict[str, Any]:
    """The config as safe to show: secrets masked, and the credential part of its URL."""
    kind = ChannelKind(kind)
    out = dict(config)
    url_field = URL_FIELD[kind]
    if url_field and out.get(url_field):
        out[url_field] = _mask_url(out[url_field])
    for name in SECRET_FIELDS[kind]:
        if out.get(name):
            out[name] = MASK
    return out


def _mask_url(url: str) -> str:
    """Scheme, host and path kept so a person can tell channels apart; the token masked.

    WeCom and DingTalk carry their key in the query string, which is masked whole; Feishu and
    many webhook services carry it in the last path segment, masked when there is no query.
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"  # never a user:password
    if parts.query:
        return f"{origin}{parts.path}?{MASK}"
    head, _, last = parts.path.rpartition("/")
    return f"{origin}{head}/{MASK}" if last else f"{origin}{parts.path}"


def with_kept_secrets(
    kind: ChannelKind | str, stored: Mapping[str, Any], submitted: Mapping[str, Any]
) -> dict[str, Any]:
    """`submitted` with each secret that came back masked (as `redacted` showed it) restored.

    A form that edits a channel shows the redacted config; sending it back unchanged must keep
    the stored secrets, not save the mask.
    """
    kind = ChannelKind(kind)
    shown = redacted(kind, stored)
    out = dict(submitted)
    for name in SECRET_FIELDS[kind] | ({URL_FIELD[kind]} - {None}):
        if name in out and name in stored and out[name] == shown.get(name) != stored[name]:
            out[name] = stored[name]
    return out
