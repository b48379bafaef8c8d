"""Calendar feeds: a person's tasks as an iCalendar feed their phone's calendar subscribes
to. The feed's URL holds a secret (shown once; only its hash is kept) and needs no login,
since calendar apps cannot log in; its owner lists and revokes their feeds here."""

from __future__ import annotations

from urllib.parse import urlsplit

import marshmallow as ma
from flask import Response, current_app
from flask_smorest import Blueprint
from sqlalchemy import select

from api import paging
from api.access import now, require_user
from api.database import db
from api.problems import problem_doc
from api.schemas import attributes
from engine import calendars
from engine.exports.ical import calendar_feed
from engine.store.calendars import CalendarFeed

blp = Blueprint(
    "calendar",
    __name__,
    url_prefix="/api/calendar",
    description="Calendar feeds: your tasks in your phone's calendar",
)


class FeedCreateSchema(ma.Schema):
    name = ma.fields.String(load_default="Cueflow", validate=ma.validate.Length(1, 120))


class FeedSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    prefix = ma.fields.String(required=True, metadata={"description": "To tell feeds apart"})
    created_at = ma.fields.DateTime(required=True)
    last_used_at = ma.fields.DateTime(allow_none=True, required=True)


class NewFeedSchema(FeedSchema):
    url = ma.fields.String(
        required=True, metadata={"description": "The feed (https); shown only in this response"}
    )
    webcal_url = ma.fields.String(
        required=True, metadata={"description": "The same as webcal://, which phones open"}
    )


def _base_url() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/")


@blp.route("/feeds")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, FeedSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(401, **problem_doc("Not logged in"))
def list_feeds(query):
    """Your calendar feeds (never their secrets)."""
    user = require_user()
    return paging.page(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id).order_by(CalendarFeed.id),
        query,
    )


@blp.route("/feeds", methods=["POST"])
@blp.arguments(FeedCreateSchema, required=False)
@blp.response(201, NewFeedSchema)
@blp.alt_response(401, **problem_doc("Not logged in"))
def create_feed(body):
    """Make a feed of your tasks: subscribe to its URL in your phone's calendar."""
    user = require_user()
    issued = calendars.issue(db(), user, body["name"], now())
    db().commit()
    url = f"{_base_url()}/api/calendar/{issued.secret}.ics"
    return {
        **attributes(issued.row, FeedSchema),
        "url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
    }


@blp.route("/feeds/<id:feed_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(401, **problem_doc("Not logged in"))
@blp.alt_response(404, **problem_doc("No such feed of yours"))
def revoke_feed(feed_id: int):
    """Revoke a feed: its URL stops working at once."""
    calendars.revoke(db(), require_user(), feed_id)
    db().commit()


@blp.route("/<token>.ics")
@blp.doc(security=[])
@blp.response(200, {"type": "string"}, content_type="text/calendar")
@blp.alt_response(404, **problem_doc("No such feed, or it was revoked"))
def feed(token: str):
    """The feed itself (no login: the secret in the URL is the key). Your tasks and steps
    of your roles in scheduled, live and recent runs, and your improvement actions."""
    moment = now()
    row = calendars.open_feed(db(), token, moment)
    entries = calendars.entries_for(db(), row.user, moment, _base_url())
    body = calendar_feed(
        entries,
        name=f"Cueflow · {row.user.name}",
        host=urlsplit(_base_url()).hostname or "cueflow",
        now=moment,
    )
    db().commit()  # last_used_at
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=300", "Content-Disposition": "inline"},
    )
