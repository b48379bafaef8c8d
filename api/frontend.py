"""Serves the browser app built into frontend_static/dist (a single-page app)."""

from __future__ import annotations

from flask import Blueprint, Flask, send_from_directory
from werkzeug.routing import PathConverter

from engine.config import PROJECT_ROOT

DIST = PROJECT_ROOT / "frontend_static" / "dist"

_NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Cueflow</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>Cueflow</h1><p>The API is running. The browser app has not been built here yet.</p>
<p><a href="/api/docs">API docs</a> · <a href="/healthz">health</a></p></body></html>"""


class AppPathConverter(PathConverter):
    """Any path outside /api/: the browser app's own routes. Keeping /api/ out of this rule
    keeps the API's 404s and its `Allow` headers exact."""

    regex = r"(?!api(?:/|$))[^/].*?"


def init_app(app: Flask) -> None:
    app.url_map.converters["app_path"] = AppPathConverter
    pages = Blueprint("frontend", __name__)

    @pages.route("/", defaults={"path": ""})
    @pages.route("/<app_path:path>")
    def spa(path: str):
        if path and (DIST / path).is_file():
            return send_from_directory(DIST, path, max_age=3600)
        if (DIST / "index.html").is_file():
            return send_from_directory(DIST, "index.html", max_age=0)
        return _NOT_BUILT

    app.register_blueprint(pages)
