"""Bad input: problem+json with a stable code and the offending fields; never a 500."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.store.accounts import User, Workspace


def test_unknown_fields_are_refused_and_nothing_is_written(client, database):
    response = client.post(
        "/api/auth/signup",
        json={
            "email": "a@b.cn",
            "name": "A",
            "password": "long enough password",
            "workspace_name": "W",
            "role": "admin",
            "workspace_id": 7,
        },
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["code"] == "request.invalid"
    assert {e["field"] for e in body["errors"]} == {"role", "workspace_id"}
    assert set(body) >= {"type", "title", "status", "detail", "code", "errors"}
    with database.session() as session:
        assert session.scalar(select(func.count(User.id))) == 0
        assert session.scalar(select(func.count(Workspace.id))) == 0


def test_field_errors_name_each_field(client):
    response = client.post(
        "/api/auth/signup",
        json={"email": "not-an-email", "name": "", "password": "short", "workspace_name": "W"},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"email", "name", "password"}


def test_malformed_json_is_a_400_problem(client):
    response = client.post(
        "/api/auth/login", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "request.bad"


def test_oversized_body_is_413(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/api/auth/login",
        data=b'{"email": "' + b"x" * (limit + 10) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json["code"] == "request.too_large"


def test_unknown_url_and_wrong_method(client):
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404
    assert missing.json["code"] == "resource.not_found"
    wrong = client.delete("/api/auth/me")
    assert wrong.status_code == 405
    assert wrong.json["code"] == "request.method_not_allowed"
    assert "GET" in wrong.headers["Allow"]


def test_wrong_types_in_path_and_body(factory):
    admin = factory.person(factory.workspace(), "admin")
    assert admin.client().get("/api/workspaces/not-a-number").status_code == 404
    response = admin.client().post("/api/tokens", json={"name": 5, "expires_at": "yesterday"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"name", "expires_at"}
