"""Probes and the self-hosted API docs."""

from __future__ import annotations


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}


def test_readyz_fails_when_redis_is_gone(app):
    app.config["REDIS_URL"], saved = "redis://127.0.0.1:1/0", app.config["REDIS_URL"]
    try:
        response = app.test_client().get("/readyz")
    finally:
        app.config["REDIS_URL"] = saved
    assert response.status_code == 503
    assert response.json["code"] == "server.unavailable"
    assert response.json["checks"]["redis"].startswith("unreachable")


def test_docs_page_uses_local_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    asset = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert len(asset.data) > 100_000


def test_root_serves_a_page_and_api_misses_stay_problems(client):
    assert client.get("/").status_code == 200
    assert client.get("/api/unknown").json["code"] == "resource.not_found"
