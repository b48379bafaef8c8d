"""Small helpers shared by the blueprints' schemas."""

from __future__ import annotations

from typing import Any

import marshmallow as ma


def attributes(obj: Any, schema: type[ma.Schema]) -> dict[str, Any]:
    """The object's values for the schema's fields, to extend before the response dumps them."""
    return {name: getattr(obj, field.attribute or name) for name, field in schema().fields.items()}
