"""Small helpers shared by the blueprints' schemas."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request


def attributes(obj: Any, schema: type[ma.Schema]) -> dict[str, Any]:
    """The object's values for the schema's fields, to extend before the response dumps them.

    A field read from a path (`attribute="version.number"`) gets the path's first object,
    so the response schema still finds the rest of the path in it.
    """
    roots = {(field.attribute or name).split(".")[0] for name, field in schema().fields.items()}
    return {root: getattr(obj, root) for root in roots}


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
