"""Every list endpoint answers one page: at most `limit` items (DEFAULT_LIMIT unless asked,
never more than MAX_LIMIT) starting at `offset`, still a JSON array. While more remain, the
answer carries `Link: <…&offset=N>; rel="next"` (RFC 8288): the same request for the next
page, to follow as it is. The audit trail pages by keyset instead (`after_id`, `next`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import request
from sqlalchemy import Select
from werkzeug.datastructures import MultiDict

from api.database import db
from api.openapi import MAX_ID

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class PageQuerySchema(ma.Schema):
    """The page of a list; list routes' query schemas extend it."""

    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=ma.validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Items in this page (default {DEFAULT_LIMIT})"},
    )
    offset = ma.fields.Integer(
        load_default=0,
        validate=ma.validate.Range(0, MAX_ID),
        metadata={"description": "Items to pass over: follow the `Link` header's `next`"},
    )


# The response header every list documents.
NEXT_LINK = {
    "Link": {
        "description": 'While more items remain: `<url>; rel="next"`, the next page',
        "schema": {"type": "string"},
    }
}


def page(items: Select | Iterable[Any], query: Mapping[str, Any]) -> tuple[list, int, dict]:
    """One page of a query (run with offset and limit) or of an iterable, as a route's
    answer: the items, 200, and the `Link` to the next page when there is one."""
    limit, offset = query["limit"], query["offset"]
    if isinstance(items, Select):
        rows = list(db().scalars(items.offset(offset).limit(limit + 1)))
    else:
        rows = list(islice(items, offset, offset + limit + 1))
    headers = {}
    if len(rows) > limit:
        headers["Link"] = f'<{_url_with(offset=offset + limit, limit=limit)}>; rel="next"'
    return rows[:limit], 200, headers


def _url_with(**values: int) -> str:
    """This request's path and query, with `values` in place of their parameters."""
    args = MultiDict(request.args)
    for name, value in values.items():
        args.setlist(name, [str(value)])
    return f"{request.path}?{urlencode(list(args.items(multi=True)))}"
