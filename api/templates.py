"""The built-in runbook templates (engine/templates), to preview or start a runbook from."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from api import paging
from api.access import require_user
from api.problems import problem_doc
from engine.templates import TEMPLATES, Template, load_template

blp = Blueprint(
    "templates", __name__, url_prefix="/api/templates", description="Built-in runbook templates"
)


class TemplateSchema(ma.Schema):
    key = ma.fields.String(required=True)
    title_zh = ma.fields.String(required=True)
    title_en = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    tags = ma.fields.List(ma.fields.String(), required=True)
    node_count = ma.fields.Integer(required=True)


class TemplateWithGraphSchema(TemplateSchema):
    graph = ma.fields.Raw(required=True)


def _payload(template: Template, graph: dict) -> dict:
    return {**vars(template), "tags": list(template.tags), "node_count": len(graph["nodes"])}


@blp.route("")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, TemplateSchema(many=True), headers=paging.NEXT_LINK)
def list_templates(query):
    """Every built-in template. Create a runbook from one with `template` on POST runbooks."""
    require_user()
    return paging.page((_payload(t, load_template(t.key)) for t in TEMPLATES), query)


@blp.route("/<key>")
@blp.response(200, TemplateWithGraphSchema)
@blp.alt_response(404, **problem_doc("No built-in template has this key"))
def get_template(key: str):
    """One template with its graph, to preview before creating a runbook from it."""
    require_user()
    graph = load_template(key)
    template = next(t for t in TEMPLATES if t.key == key)
    return {**_payload(template, graph), "graph": graph}
