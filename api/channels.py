"""A workspace's notification channels (group robots, e-mail, webhooks), their deliveries,
and a test message. Secrets are stored but never shown again: reads mask them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import select

from api import paging
from api.access import now, require_member
from api.database import db
from api.problems import problem_doc
from api.runbooks import FORBIDDEN, NOT_FOUND
from engine.model.access import Permission
from engine.notify import send
from engine.notify.channels import (
    SCHEMAS,
    ChannelKind,
    load_config,
    redacted,
    with_kept_secrets,
)
from engine.notify.guard import check_config
from engine.notify.message import Category, Message
from engine.notify.settings import NotifySettings
from engine.store.notify import Channel, Delivery, DeliveryStatus
from engine.store.scoping import get_in_workspace, in_workspace

blp = Blueprint(
    "channels",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/channels",
    description="Notification channels: WeCom, Feishu, DingTalk robots, e-mail, webhooks",
)

INVALID = problem_doc("The configuration is not valid, or its URL is refused (private address)")
_CONFIGS = tuple(SCHEMAS.values())  # each kind's config, in the OpenAPI document
_CATEGORIES = [str(c) for c in (Category.NOTIFY, Category.REMINDER, Category.ESCALATION)]


class ChannelSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.Enum(ChannelKind, by_value=True, required=True)
    name = ma.fields.String(required=True)
    config = ma.fields.Method("_config", required=True, metadata={"description": "Masked"})
    categories = ma.fields.List(ma.fields.String(), required=True)
    enabled = ma.fields.Boolean(required=True)
    created_at = ma.fields.DateTime(required=True)

    def _config(self, channel: Channel) -> dict[str, Any]:
        return redacted(channel.kind, channel.config)


class ChannelInputSchema(ma.Schema):
    kind = ma.fields.Enum(ChannelKind, by_value=True, required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 120))
    config = ma.fields.Dict(
        required=True, metadata={"description": "The settings of its kind", "schemas": _CONFIGS}
    )
    categories = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(_CATEGORIES)),
        load_default=lambda: list(_CATEGORIES),
        validate=ma.validate.Length(max=len(_CATEGORIES)),
    )
    enabled = ma.fields.Boolean(load_default=True)


class ChannelUpdateSchema(ChannelInputSchema):
    class Meta:
        exclude = ("kind",)

    name = ma.fields.String(validate=ma.validate.Length(1, 120))
    config = ma.fields.Dict(
        metadata={"description": "Masked secrets sent back are kept", "schemas": _CONFIGS}
    )
    categories = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(_CATEGORIES)))
    enabled = ma.fields.Boolean()


class DeliverySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    run_id = ma.fields.Integer(allow_none=True, required=True)
    node_id = ma.fields.String(allow_none=True, required=True)
    category = ma.fields.String(required=True)
    status = ma.fields.Enum(DeliveryStatus, by_value=True, required=True)
    attempts = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True, attribute="message.title")
    created_at = ma.fields.DateTime(required=True)
    sent_at = ma.fields.DateTime(allow_none=True, required=True)
    next_attempt_at = ma.fields.DateTime(required=True)
    last_error = ma.fields.String(required=True)


class TestResultSchema(ma.Schema):
    ok = ma.fields.Boolean(required=True)
    status = ma.fields.Integer(allow_none=True, required=True)
    error = ma.fields.String(allow_none=True, required=True)
    elapsed_ms = ma.fields.Integer(required=True)


def notify_settings() -> NotifySettings:
    return current_app.extensions["cueflow.notify_settings"]


def _checked(kind: ChannelKind, config: Any) -> dict[str, Any]:
    """The config, validated by its kind's schema and its URL by the address guard."""
    loaded = load_config(kind, config)
    check_config(kind, loaded, notify_settings().allow)
    return loaded


@blp.route("")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, ChannelSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_channels(query, workspace_id: int):
    """The workspace's channels, secrets masked (everyone in it may read)."""
    require_member(workspace_id)
    return paging.page(in_workspace(Channel, workspace_id).order_by(Channel.id), query)


@blp.route("", methods=["POST"])
@blp.arguments(ChannelInputSchema)
@blp.response(201, ChannelSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(422, **INVALID)
def create_channel(body, workspace_id: int):
    """Add a channel (admins). Its URL must not point into a private network unless the
    operator allows it (CUEFLOW_NOTIFY_ALLOW_NETWORKS)."""
    require_member(workspace_id, Permission.EDIT_WORKSPACE)
    channel = Channel(
        workspace_id=workspace_id,
        kind=body["kind"],
        name=body["name"],
        config=_checked(body["kind"], body["config"]),
        categories=list(dict.fromkeys(body["categories"])),
        enabled=body["enabled"],
    )
    db().add(channel)
    db().commit()
    return channel


@blp.route("/<id:channel_id>", methods=["PATCH"])
@blp.arguments(ChannelUpdateSchema, required=False)
@blp.response(200, ChannelSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(422, **INVALID)
def update_channel(body, workspace_id: int, channel_id: int):
    """Rename, reconfigure, choose categories, enable or disable (admins)."""
    require_member(workspace_id, Permission.EDIT_WORKSPACE)
    channel = get_in_workspace(db(), Channel, channel_id, workspace_id)
    if "config" in body:
        submitted = with_kept_secrets(channel.kind, channel.config, body.pop("config"))
        channel.config = _checked(channel.kind, submitted)
    if "categories" in body:
        body["categories"] = list(dict.fromkeys(body["categories"]))
    for key, value in body.items():
        setattr(channel, key, value)
    db().commit()
    return channel


@blp.route("/<id:channel_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
def delete_channel(workspace_id: int, channel_id: int):
    """Remove a channel and its delivery records (admins)."""
    require_member(workspace_id, Permission.EDIT_WORKSPACE)
    db().delete(get_in_workspace(db(), Channel, channel_id, workspace_id))
    db().commit()


@blp.route("/<id:channel_id>/test", methods=["POST"])
@blp.response(200, TestResultSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
def test_channel(workspace_id: int, channel_id: int):
    """Send a test message now and say what the platform answered."""
    require_member(workspace_id, Permission.EDIT_WORKSPACE)
    channel = get_in_workspace(db(), Channel, channel_id, workspace_id)
    message = Message(
        title="Cueflow 测试 test",
        text=f"「{channel.name}」已连接 connected",
        category=Category.TEST,
    )
    return send.deliver(
        channel.kind, channel.config, message, now=now(), settings=notify_settings()
    )


@blp.route("/<id:channel_id>/deliveries")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, DeliverySchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_deliveries(query, workspace_id: int, channel_id: int):
    """The channel's latest notifications, newest first, with their status and errors."""
    require_member(workspace_id)
    channel = get_in_workspace(db(), Channel, channel_id, workspace_id)
    return paging.page(
        select(Delivery).where(Delivery.channel_id == channel.id).order_by(Delivery.id.desc()),
        query,
    )
