"""The OpenAPI document (flask-smorest) with problem+json errors, and its self-hosted docs page."""

from __future__ import annotations

import http
from pathlib import Path

import marshmallow as ma
import swagger_ui_bundle
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow import resolver as class_name
from flask import Blueprint, Flask, send_from_directory
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from api.problems import PROBLEM_TYPE, from_http_exception

SWAGGER_ROUTE = "/api/docs/assets"


class FieldErrorSchema(ma.Schema):
    field = ma.fields.String(required=True, metadata={"description": "Dotted path of the field"})
    message = ma.fields.String(required=True)
    node_id = ma.fields.String(metadata={"description": "Graph node concerned, if any"})
    edge_id = ma.fields.String(metadata={"description": "Graph edge concerned, if any"})


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, plus Cueflow's stable `code` and field errors."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    code = ma.fields.String(required=True, metadata={"description": "Stable error code"})
    errors = ma.fields.List(ma.fields.Nested(FieldErrorSchema))


MAX_ID = 2**31 - 1  # PostgreSQL `integer`; larger ids cannot exist, so they route to 404


class IdConverter(IntegerConverter):
    """`<id:name>` in a URL: a database id from 1 to MAX_ID. Anything else is a 404."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def _id_parameter_schema(_converter) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def schema_name(schema: type[ma.Schema] | ma.Schema) -> str:
    """A component name per schema *and* its modifiers: `NodeSchema(partial=("id",))` is
    `Node_partial_id`, so that one format schema can document several request bodies
    without apispec's "Multiple schemas resolved" renaming."""
    name = class_name(schema)
    if isinstance(schema, type):
        return name
    for modifier in ("only", "exclude", "partial"):
        value = getattr(schema, modifier, None)
        if value is True:
            name += f"_{modifier}"
        elif value:
            name += f"_{modifier}_" + "_".join(sorted(value))
    return name


# A string without NUL, as a JSON Schema pattern (the JSON text holds the escape \u0000).
NO_NUL = "^[^\\u0000]*$"


def _strings_refuse_nul(converter, field: ma.fields.Field, ret: dict, **kwargs) -> dict:
    """Every string refuses NUL (api/nul_guard.py): the document says so where it can. An
    enum, a pattern or a format (an e-mail, a URL) leaves no room for NUL already."""
    if isinstance(field, ma.fields.String) and not {"pattern", "enum", "format"} & set(ret):
        return {"pattern": NO_NUL}
    return {}


def _documented_by_schemas(converter, field: ma.fields.Field, ret: dict, **kwargs) -> dict:
    """A field the engine reads with its own format (a graph, a node's settings, a channel's
    config) names that format's schemas: `metadata={"schemas": (GraphSchema,)}`, or one
    schema per kind."""
    schemas = field.metadata.get("schemas")
    if not schemas:
        return {}
    refs = [converter.resolve_nested_schema(schema) for schema in schemas]
    return {"allOf": refs} if len(refs) == 1 else {"anyOf": refs}


class CueflowApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, **kwargs):
        self._marshmallow = MarshmallowPlugin(schema_name_resolver=schema_name)
        super().__init__(app, spec_kwargs={"marshmallow_plugin": self._marshmallow}, **kwargs)

    def init_app(self, app, *args, **kwargs):
        app.url_map.converters["id"] = IdConverter
        self.register_converter(IdConverter, _id_parameter_schema)
        super().init_app(app, *args, **kwargs)
        for documents in (_strings_refuse_nul, _documented_by_schemas):
            self._marshmallow.converter.add_attribute_function(documents)

    def handle_http_exception(self, error: HTTPException):
        return from_http_exception(error)

    def _register_responses(self) -> None:
        """flask-smorest's shared responses, documented as problem+json."""
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def created_links(status: int, **targets: tuple[str, str, dict[str, str]]) -> dict:
    """OpenAPI links from a creation's answer to the operations that read or change what it
    created (clients and schemathesis's stateful tests follow them):
    `name=(method, path, {parameter: runtime expression})`, for `@blp.doc(**...)`."""
    links = {
        name: {
            "operationRef": "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method,
            "parameters": parameters,
        }
        for name, (method, path, parameters) in targets.items()
    }
    return {"responses": {status: {"links": links}}}


def settings() -> dict:
    return {
        "API_TITLE": "Cueflow",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": SWAGGER_ROUTE + "/",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": "Cueflow: runbooks for campaigns and live streams. "
                "Errors are application/problem+json with a stable `code`."
            },
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer"},
                    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearer": []}, {"session": []}],
        },
    }


def init_docs_assets(app: Flask) -> None:
    """Serve Swagger UI's files from the installed package: no CDN at run time."""
    assets = Blueprint("swagger_assets", __name__)
    folder = Path(swagger_ui_bundle.swagger_ui_path)

    @assets.route(SWAGGER_ROUTE + "/<path:filename>")
    def swagger_asset(filename: str):
        return send_from_directory(folder, filename, max_age=86400)

    app.register_blueprint(assets)
