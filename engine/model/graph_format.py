"""The runbook graph's JSON format, defined once with marshmallow, for the API and the store.

    {"format": 1,
     "variables": [{"key": "gmv_target", "type": "number", "label": "GMV 目标", "default": 100000}],
     "nodes": [{"id": "n1", "kind": "task", "phase": "pre_event", "title": "直播方案",
                "description": "", "role": "planner", "offset_minutes": -10080,
                "duration_minutes": 120, "x": 0, "y": 0, "settings": {...}}],
     "edges": [{"id": "e1", "source": "start", "target": "n1", "condition": null,
                "is_default": false, "label": ""}]}

Unknown fields are refused. `settings` is validated by the node kind's own schema
(engine.model.nodes). `load_graph` upgrades older formats first (graph_upgrade.py)
and reports every error with its dotted path, e.g. `nodes.3.settings.every_minutes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model import conditions
from engine.model.graph import Edge, Graph, Node, Variable
from engine.model.graph_upgrade import FORMAT, upgrade
from engine.model.nodes import KINDS
from engine.model.nodes.base import minutes_field, offset_field
from engine.model.vocabulary import NodeKind, Phase, VariableType

__all__ = ["FORMAT", "MAX_EDGES", "MAX_NODES", "GraphSchema", "dump_graph", "load_graph"]

MAX_NODES = 5000
MAX_EDGES = 20000
MAX_VARIABLES = 200

ELEMENT_ID = validate.Regexp(
    r"^[A-Za-z0-9_.:-]{1,64}$", error="Use 1 to 64 letters, digits, and _ . : -"
)
VARIABLE_KEY = validate.Regexp(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$", error="Use letters, digits and _.")
_SETTINGS = {kind: spec.schema() for kind, spec in KINDS.items()}  # schemas are reusable


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class VariableSchema(_Strict):
    key = fields.String(required=True, validate=VARIABLE_KEY)
    type = fields.Enum(VariableType, by_value=True, required=True)
    label = fields.String(load_default="", validate=validate.Length(max=200))
    default = fields.Raw(load_default=None, allow_none=True)

    @validates_schema
    def _default_has_type(self, data: dict[str, Any], **kwargs: Any) -> None:
        default, kind = data.get("default"), data.get("type")
        if default is None or kind is None:
            return
        ok = {
            VariableType.NUMBER: isinstance(default, int | float) and not isinstance(default, bool),
            VariableType.STRING: isinstance(default, str),
            VariableType.BOOL: isinstance(default, bool),
        }[kind]
        if not ok:
            raise ValidationError(f"The default must be a {kind}.", "default")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Variable:
        return Variable(**data)


# A condition document (engine.model.conditions) for the OpenAPI document: a comparison, or
# all/any/not of conditions.
_SUB_CONDITION = {"type": "object", "additionalProperties": True}
CONDITION_DOC = {
    "type": "object",
    "description": "{var, op, value}, {all: [...]}, {any: [...]} or {not: {...}}",
    "properties": {
        "var": {"type": "string"},
        "op": {"enum": [str(op) for op in conditions.Op]},
        "value": {"description": "A value, a list of values, or {var}"},
        "all": {"type": "array", "items": _SUB_CONDITION},
        "any": {"type": "array", "items": _SUB_CONDITION},
        "not": _SUB_CONDITION,
    },
    "additionalProperties": False,
}


class ConditionField(fields.Field):
    """A condition document, parsed into its tree; errors keep their path inside it."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        try:
            return conditions.parse(value)
        except conditions.ConditionError as exc:
            raise ValidationError(_nest(exc.path, [exc.message])) from None

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else conditions.to_doc(value)


def _nest(path: tuple[str | int, ...], leaf: Any) -> Any:
    for part in reversed(path):
        leaf = {part: leaf}
    return leaf


class SettingsField(fields.Field):
    """Kind-specific settings: a plain object on load (checked in NodeSchema), dumped by kind."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValidationError("Settings must be an object.")
        return value

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return _SETTINGS[obj.kind].dump(value)


class NodeSchema(_Strict):
    id = fields.String(required=True, validate=ELEMENT_ID)
    kind = fields.Enum(NodeKind, by_value=True, required=True)
    phase = fields.Enum(Phase, by_value=True, required=True)
    title = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    role = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 64))
    offset_minutes = offset_field()
    duration_minutes = minutes_field()
    x = fields.Float(load_default=0.0, allow_nan=False)
    y = fields.Float(load_default=0.0, allow_nan=False)
    settings = SettingsField(
        load_default=dict,
        metadata={
            "description": "The settings of the node's kind",
            "schemas": tuple(spec.schema for spec in KINDS.values()),
        },
    )

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Node:
        try:
            data["settings"] = _SETTINGS[data["kind"]].load(data["settings"])
        except ValidationError as exc:
            raise ValidationError({"settings": exc.messages}) from None
        return Node(**data)


class EdgeSchema(_Strict):
    id = fields.String(required=True, validate=ELEMENT_ID)
    source = fields.String(required=True, validate=validate.Length(1, 64))
    target = fields.String(required=True, validate=validate.Length(1, 64))
    condition = ConditionField(load_default=None, allow_none=True, metadata=CONDITION_DOC)
    is_default = fields.Boolean(load_default=False)
    label = fields.String(load_default="", validate=validate.Length(max=200))

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Edge:
        return Edge(**data)


class GraphSchema(_Strict):
    """The whole document. Load gives a `Graph`; dump gives the JSON-ready dict."""

    format = fields.Integer(strict=True, required=True, validate=validate.Equal(FORMAT))
    variables = fields.List(
        fields.Nested(VariableSchema),
        load_default=list,
        validate=validate.Length(max=MAX_VARIABLES),
    )
    nodes = fields.List(fields.Nested(NodeSchema), load_default=list)
    edges = fields.List(fields.Nested(EdgeSchema), load_default=list)

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Graph:
        return Graph(
            nodes=tuple(data["nodes"]),
            edges=tuple(data["edges"]),
            variables=tuple(data["variables"]),
            format=data["format"],
        )


_GRAPH_SCHEMA = GraphSchema()


def load_graph(doc: Any) -> Graph:
    """A `Graph` from a graph document of any supported format.

    Raises CueflowError: `graph.too_large` (413), `graph.format_unsupported`, or
    `graph.invalid_document` with one FieldError per problem (dotted path, node id).
    """
    if not isinstance(doc, Mapping):
        raise CueflowError(
            ErrorCode.GRAPH_INVALID, errors=[FieldError("", "A graph document is a JSON object.")]
        )
    check_size(doc)
    current = upgrade(doc)
    try:
        return _GRAPH_SCHEMA.load(current)
    except ValidationError as exc:
        raise CueflowError(
            ErrorCode.GRAPH_INVALID, errors=field_errors(exc.messages, current)
        ) from None


def dump_graph(graph: Graph) -> dict[str, Any]:
    """The JSON-ready document of a graph, in the current format."""
    doc = _GRAPH_SCHEMA.dump(graph)
    doc["format"] = FORMAT
    return doc


def check_size(doc: Mapping[str, Any]) -> None:
    """Refuse oversized documents before parsing them."""
    for key, limit in (("nodes", MAX_NODES), ("edges", MAX_EDGES)):
        items = doc.get(key)
        if isinstance(items, list) and len(items) > limit:
            message = f"A runbook may have at most {limit} {key}; this one has {len(items)}."
            raise CueflowError(
                ErrorCode.GRAPH_TOO_LARGE,
                message,
                errors=[FieldError(key, message)],
                extra={"limit": limit, "count": len(items)},
            )


def field_errors(messages: Any, doc: Mapping[str, Any]) -> list[FieldError]:
    """marshmallow's nested messages as flat FieldErrors with dotted paths and ids."""
    out: list[FieldError] = []
    for path, message in _flatten(messages, ()):
        out.append(
            FieldError(
                field=".".join(str(p) for p in path),
                message=message,
                node_id=_element_id(doc, "nodes", path),
                edge_id=_element_id(doc, "edges", path),
            )
        )
    return out


def _flatten(messages: Any, path: tuple[str | int, ...]) -> list[tuple[tuple, str]]:
    if isinstance(messages, str):
        return [(path, messages)]
    if isinstance(messages, list):
        return [pair for m in messages for pair in _flatten(m, path)]
    if isinstance(messages, Mapping):
        pairs = []
        for key, value in messages.items():
            # `_schema` marks an error about the object itself, not one of its fields.
            pairs += _flatten(value, path if key == "_schema" else (*path, key))
        return pairs
    return [(path, str(messages))]


def _element_id(doc: Mapping[str, Any], collection: str, path: tuple) -> str | None:
    if len(path) < 2 or path[0] != collection or not isinstance(path[1], int):
        return None
    items = doc.get(collection)
    if not isinstance(items, list) or path[1] >= len(items):
        return None
    element = items[path[1]]
    element_id = element.get("id") if isinstance(element, Mapping) else None
    return element_id if isinstance(element_id, str) else None
