"""Small helpers shared by the blueprints' schemas."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request


def attributes(obj: Any, schema: type[ma.Schema]) -> dict[str, Any]:
    """The object's values for the schema's fields, to extend before the response dumps them."""
    return {name: getattr(obj, field.attribute or name) for name, field in schema().fields.items()}


def json_body() -> Any:
    """The request's JSON body, for documents read by the engine's own formats (a graph, an
    export). A missing or malformed body is a 400; another content type a 415."""
    return request.get_json()
