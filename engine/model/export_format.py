"""The runbook export document: a runbook's name, description and tags with its graph.

    {"cueflow": "runbook", "export_format": 1, "name": "双11 直播", "description": "",
     "tags": ["直播"], "exported_at": "2026-11-23T08:00:00+00:00", "graph": {"format": 1, ...}}

`exported_at` and any `source` member are informative and ignored on import. The graph is
read by graph_format.load_graph, so its errors keep their paths, prefixed with `graph.`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.graph import Graph
from engine.model.graph_format import GraphSchema, field_errors, load_graph

EXPORT_KIND = "runbook"
EXPORT_FORMAT = 1
MAX_TAGS = 20

TAG = fields.String(validate=validate.Length(min=1, max=40))


def tags_field(**kwargs: Any) -> fields.List:
    """A runbook's tags: at most 20, each 1 to 40 characters. One definition for API and files."""
    return fields.List(TAG, validate=validate.Length(max=MAX_TAGS), **kwargs)


class ExportSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # newer exports may carry more information than we read

    cueflow = fields.String(required=True, validate=validate.Equal(EXPORT_KIND))
    export_format = fields.Integer(
        strict=True, required=True, validate=validate.Equal(EXPORT_FORMAT)
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    tags = tags_field(load_default=list)
    exported_at = fields.String(load_default=None, allow_none=True)
    graph = fields.Raw(required=True, metadata={"schemas": (GraphSchema,)})


@dataclass(frozen=True)
class Imported:
    name: str
    description: str
    tags: list[str]
    graph: Graph


def load_export(doc: Any) -> Imported:
    """Read an export document; every problem is reported with its dotted path."""
    if not isinstance(doc, Mapping):
        raise CueflowError(
            ErrorCode.EXPORT_INVALID, errors=[FieldError("", "An export is a JSON object.")]
        )
    try:
        data = ExportSchema().load(doc)
    except ValidationError as exc:
        raise CueflowError(
            ErrorCode.EXPORT_INVALID, errors=field_errors(exc.messages, {})
        ) from None
    try:
        graph = load_graph(data["graph"])
    except CueflowError as exc:
        exc.errors = [_under_graph(e) for e in exc.errors]
        raise
    return Imported(data["name"], data["description"], data["tags"], graph)


def export_document(
    name: str, description: str, tags: list[str], graph_doc: dict[str, Any], exported_at: str
) -> dict[str, Any]:
    return {
        "cueflow": EXPORT_KIND,
        "export_format": EXPORT_FORMAT,
        "name": name,
        "description": description,
        "tags": list(tags),
        "exported_at": exported_at,
        "graph": graph_doc,
    }


def _under_graph(error: FieldError) -> FieldError:
    field = f"graph.{error.field}" if error.field else "graph"
    return FieldError(field, error.message, error.node_id, error.edge_id)
