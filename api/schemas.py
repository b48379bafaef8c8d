"""Small helpers shared by the blueprints' schemas."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

import marshmallow as ma
from flask import request


def attributes(obj: Any, schema: type[ma.Schema]) -> dict[str, Any]:
    """The object's values for the schema's fields, to extend before the response dumps them.

    A field read from a path (`attribute="version.number"`) gets the path's first object,
    so the response schema still finds the rest of the path in it.
    """
    roots = {(field.attribute or name).split(".")[0] for name, field in schema().fields.items()}
    return {root: getattr(obj, root) for root in roots}


# Every IANA time zone this server knows: the OpenAPI document lists them, so a client (or
# schemathesis) never sends one the planner cannot use.
TIME_ZONES = sorted(available_timezones())


def time_zone_field(**kwargs: Any) -> ma.fields.String:
    """A time zone a run or plan is scheduled in (e.g. Asia/Shanghai)."""
    return ma.fields.String(
        validate=ma.validate.OneOf(TIME_ZONES, error="Not an IANA time zone, e.g. Asia/Shanghai."),
        **kwargs,
    )


class JsonBoolean(ma.fields.Boolean):
    """JSON true or false, as the document says; not 0, 1 or "yes", which marshmallow's
    Boolean also takes."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def json_body() -> Any:
    """The request's JSON body, for documents read by the engine's own formats (a graph, an
    export). A missing or malformed body is a 400; another content type a 415."""
    return request.get_json()


class GraphProblemSchema(ma.Schema):
    """One validation problem of a runbook graph, with the nodes and edges it concerns."""

    code = ma.fields.String(required=True, metadata={"description": "Stable problem code"})
    message = ma.fields.String(required=True)
    severity = ma.fields.String(required=True, metadata={"enum": ["error", "warning"]})
    node_ids = ma.fields.List(ma.fields.String(), required=True)
    edge_ids = ma.fields.List(ma.fields.String(), required=True)
