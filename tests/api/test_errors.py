"""Bad input: problem+json with a stable code and the offending fields; never a 500."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.model.access import WorkspaceRole
from engine.store.accounts import User, Workspace
from engine.store.runbooks import Runbook


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


def test_malformed_json_is_a_400_problem_saying_where(client):
    response = client.post(
        "/api/auth/login",
        data='{"email": "a@b.cn",\n "password" "x"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "request.bad"
    assert (response.json["line"], response.json["column"]) == (2, 13)
    assert response.json["detail"] == (
        "The body is not valid JSON: Expecting ':' delimiter at line 2, column 13."
    )


def test_a_body_that_is_not_json_is_a_415_naming_the_type(client, factory, database):
    planner = factory.person(factory.workspace(), "planner")
    response = planner.client().post(
        f"/api/workspaces/{planner.workspace_id}/runbooks",
        data='{"name": "直播"}',
        headers={"Content-Type": "text/plain"},
    )
    assert (response.status_code, response.json["code"]) == (415, "request.unsupported_media_type")
    assert "Content-Type: application/json" in response.json["detail"]
    assert "text/plain" in response.json["detail"]
    with database.session() as session:
        assert session.scalar(select(func.count(Runbook.id))) == 0


def test_json_nested_a_hundred_thousand_deep_is_a_400(client):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/auth/login", data=deep, headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json["code"]) == (400, "request.bad")
    assert response.json["detail"] == "The JSON body is nested too deeply to read."


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


def test_a_nul_character_anywhere_in_a_request_is_a_field_error(factory, database):
    """PostgreSQL text and JSON cannot hold NUL: every route refuses it as a field error
    (with the field's path), never a 500, and writes nothing."""
    from engine.store.runbooks import Runbook

    team = factory.team()
    planner = team[WorkspaceRole.PLANNER].client()
    ws = team[WorkspaceRole.PLANNER].workspace_id
    created = planner.post(f"/api/workspaces/{ws}/runbooks", json={"name": "直播 SOP"})
    assert created.status_code == 201, created.json
    runbook_id = created.json["id"]

    cases = [
        ("post", f"/api/workspaces/{ws}/runbooks", {"name": "a\u0000b"}, "name"),
        ("patch", f"/api/workspaces/{ws}/runbooks/{runbook_id}", {"tags": ["ok", "x\u0000"]},
         "tags.1"),
        ("post", f"/api/workspaces/{ws}/runbooks", {"name": "ok", "graph": {"nodes": [
            {"id": "n1", "kind": "task", "title": "t\u0000"}]}}, "graph.nodes.0.title"),
        ("post", f"/api/workspaces/{ws}/runbooks", {"name": "ok", "x\u0000y": 1}, "x\\u0000y"),
    ]  # fmt: skip
    for method, url, body, field in cases:
        response = getattr(planner, method)(url, json=body)
        assert response.status_code == 422, (url, response.json)
        assert response.mimetype == "application/problem+json"
        assert response.json["code"] == "request.invalid"
        assert [e["field"] for e in response.json["errors"]] == [field]

    found = planner.get(f"/api/workspaces/{ws}/runbooks", query_string={"q": "a\u0000"})
    assert found.status_code == 422
    assert [e["field"] for e in found.json["errors"]] == ["q"]

    escaped = planner.post(f"/api/workspaces/{ws}/runbooks", json={"name": "a\\u0000b"})
    assert escaped.status_code == 201  # a backslash and "u0000" are plain text
    with database.session() as session:
        names = set(session.scalars(select(Runbook.name)))
    assert names == {"直播 SOP", "a\\u0000b"}
