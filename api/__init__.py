"""The Flask app factory: configuration, extensions, error handling and one blueprint per
resource."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api import (
    access,
    cli,
    database,
    frontend,
    json_body,
    limits,
    nul_guard,
    problems,
    security_headers,
)
from api.openapi import CueflowApi, init_docs_assets
from api.openapi import settings as openapi_settings
from api.settings import from_env

log = logging.getLogger(__name__)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(from_env())
    app.config.update(openapi_settings())
    app.config.update(overrides or {})
    _ensure_redis(app)

    problems.init_app(app)
    json_body.init_app(app)
    security_headers.init_app(app)
    nul_guard.init_app(app)
    database.init_app(app)
    access.init_app(app)
    limits.init_app(app)
    rest = CueflowApi(app)
    _register_blueprints(rest)
    init_docs_assets(app)
    frontend.init_app(app)
    cli.init_app(app)
    _behind_proxies(app)
    return app


def _behind_proxies(app: Flask) -> None:
    """Behind `TRUSTED_PROXIES` reverse proxies, the client's address, scheme and host are
    the ones they forward (so rate limits and logs see people, not the proxy). Without
    it, forwarded headers are ignored: anyone could send them."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def _ensure_redis(app: Flask) -> None:
    """Without REDIS_URL, start (or join) the embedded Redis in the instance folder."""
    if app.config.get("REDIS_URL"):
        return
    from engine.config import instance_path
    from engine.executor.connection import start_embedded

    server, url = start_embedded(instance_path() / "redis.rdb")
    app.extensions["cueflow.embedded_redis"] = server
    app.config["REDIS_URL"] = url
    log.info("using the embedded Redis at %s", url)


def _register_blueprints(rest: CueflowApi) -> None:
    from api import (
        audit,
        auth,
        calendar,
        channels,
        drafts,
        health,
        history,
        improvement_actions,
        invitations,
        postmortems,
        runbooks,
        runs,
        streams,
        tasks,
        templates,
        tokens,
        versions,
        workspaces,
    )

    for module in (
        health,
        auth,
        tokens,
        workspaces,
        invitations,
        templates,
        runbooks,
        drafts,
        versions,
        runs,
        tasks,
        channels,
        streams,
        postmortems,
        improvement_actions,
        history,
        audit,
        calendar,
    ):
        rest.register_blueprint(module.blp)
