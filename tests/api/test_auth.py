"""Sign-up, login with session cookie and CSRF, bearer tokens, rate limiting."""

from __future__ import annotations

from tests.factories import PASSWORD

SIGNUP = {
    "email": "Boss@Example.com",
    "name": "老板",
    "password": "a long enough password",
    "workspace_name": "私域运营部",
}


def _csrf(client) -> str:
    return client.get("/api/auth/csrf").json["csrf_token"]


def test_first_signup_creates_admin_and_workspace(client):
    response = client.post("/api/auth/signup", json=SIGNUP)
    assert response.status_code == 201
    user = response.json["user"]
    assert user["email"] == "boss@example.com"
    assert [(w["workspace_name"], w["role"]) for w in user["workspaces"]] == [
        ("私域运营部", "admin")
    ]
    assert "workspace.manage_members" in user["workspaces"][0]["permissions"]
    # the session cookie now identifies the new admin
    assert client.get("/api/auth/me").json["email"] == "boss@example.com"


def test_second_signup_is_closed(client):
    assert client.post("/api/auth/signup", json=SIGNUP).status_code == 201
    again = client.application.test_client().post(
        "/api/auth/signup", json={**SIGNUP, "email": "other@example.com"}
    )
    assert again.status_code == 403
    assert again.json["code"] == "auth.signup_closed"
    assert again.mimetype == "application/problem+json"


def test_login_sets_session_and_cookie_writes_need_csrf(client, factory):
    ws = factory.workspace()
    admin = factory.person(ws, "admin")
    response = client.post("/api/auth/login", json={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 200
    token = response.json["csrf_token"]

    refused = client.patch(f"/api/workspaces/{ws}", json={"name": "改名"})
    assert refused.status_code == 403
    assert refused.json["code"] == "auth.csrf_failed"

    ok = client.patch(
        f"/api/workspaces/{ws}", json={"name": "改名"}, headers={"X-CSRFToken": token}
    )
    assert ok.status_code == 200
    assert ok.json["name"] == "改名"


def test_wrong_password_and_unknown_email_answer_alike(client, factory):
    admin = factory.person(factory.workspace(), "admin")
    wrong = client.post("/api/auth/login", json={"email": admin.email, "password": "nope"})
    unknown = client.post("/api/auth/login", json={"email": "x@y.z", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["code"] == unknown.json["code"] == "auth.invalid_credentials"
    assert wrong.json["detail"] == unknown.json["detail"]


def test_logout_ends_the_session(client, factory):
    admin = factory.person(factory.workspace(), "admin")
    login = client.post("/api/auth/login", json={"email": admin.email, "password": PASSWORD})
    csrf = login.json["csrf_token"]
    assert client.post("/api/auth/logout", headers={"X-CSRFToken": csrf}).status_code == 204
    me = client.get("/api/auth/me")
    assert me.status_code == 401
    assert me.json["code"] == "auth.unauthenticated"


def test_login_is_rate_limited(client, factory):
    admin = factory.person(factory.workspace(), "admin")
    statuses = [
        client.post("/api/auth/login", json={"email": admin.email, "password": "wrong"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    limited = client.post("/api/auth/login", json={"email": admin.email, "password": PASSWORD})
    assert limited.status_code == 429
    assert limited.json["code"] == "request.rate_limited"
    assert "Retry-After" in limited.headers
    # Someone else signing in from the same address is not held up by those guesses.
    other = factory.person(admin.workspace_id, "staff")
    signed_in = client.post("/api/auth/login", json={"email": other.email, "password": PASSWORD})
    assert signed_in.status_code == 200


def test_a_whole_crew_signs_in_from_one_address(client, factory):
    ws = factory.workspace()
    crew = [factory.person(ws, "staff") for _ in range(15)]
    phones = [client.application.test_client() for _ in crew]  # one address, many devices
    statuses = [
        phone.post("/api/auth/login", json={"email": p.email, "password": PASSWORD}).status_code
        for phone, p in zip(phones, crew, strict=True)
    ]
    assert statuses == [200] * 15


def test_bearer_token_lifecycle(client, factory):
    admin = factory.person(factory.workspace(), "admin")
    api = admin.client()
    created = api.post("/api/tokens", json={"name": "导出脚本"})
    assert created.status_code == 201
    secret = created.json["token"]
    assert secret.startswith("cf_")

    script = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/auth/me", headers=script).json["email"] == admin.email
    listed = api.get("/api/tokens").json
    assert {t["name"] for t in listed} == {"tests", "导出脚本"}
    used = next(t for t in listed if t["name"] == "导出脚本")
    assert used["last_used_at"] is not None, "a read-only request records the token's use"
    assert all("token" not in t for t in listed)

    assert api.delete(f"/api/tokens/{created.json['id']}").status_code == 204
    revoked = client.get("/api/auth/me", headers=script)
    assert revoked.status_code == 401
    assert revoked.json["code"] == "auth.unauthenticated"


def test_bearer_writes_need_no_csrf(factory):
    admin = factory.person(factory.workspace(), "admin")
    response = admin.client().patch(f"/api/workspaces/{admin.workspace_id}", json={"name": "新名"})
    assert response.status_code == 200


def test_expired_token_is_refused(client, factory):
    admin = factory.person(factory.workspace(), "admin")
    made = admin.client().post(
        "/api/tokens", json={"name": "old", "expires_at": "2020-01-01T00:00:00+00:00"}
    )
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {made.json['token']}"})
    assert response.status_code == 401


def test_behind_a_trusted_proxy_limits_count_each_forwarded_address(app, factory):
    from api import create_app

    proxied = create_app({**app.config, "TRUSTED_PROXIES": 1})
    admin = factory.person(factory.workspace(), "admin")
    wrong = {"email": admin.email, "password": "wrong"}

    def attempts(address: str, count: int) -> list[int]:
        client = proxied.test_client()
        headers = {"X-Forwarded-For": address}
        return [
            client.post("/api/auth/login", json=wrong, headers=headers).status_code
            for _ in range(count)
        ]

    assert attempts("203.0.113.7", 11)[-1] == 429
    assert attempts("198.51.100.4", 1) == [401]  # another person behind the same proxy
    # Directly reached (no trusted proxy), a forged header changes nothing: one address.
    direct = app.test_client()
    forged = [
        direct.post("/api/auth/login", json=wrong, headers={"X-Forwarded-For": f"192.0.2.{i}"})
        for i in range(11)
    ]
    assert forged[-1].status_code == 429
