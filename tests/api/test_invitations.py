"""An admin invites; the invitee previews and accepts as a new or existing account."""

from __future__ import annotations


def _invite(admin, email="new@example.com", role="staff"):
    response = admin.client().post(
        f"/api/workspaces/{admin.workspace_id}/invitations", json={"email": email, "role": role}
    )
    assert response.status_code == 201, response.json
    return response.json


def test_new_person_accepts_invitation(client, factory):
    admin = factory.person(factory.workspace("直播间"), "admin")
    invitation = _invite(admin, role="planner")
    assert invitation["accept_url"].endswith(invitation["token"])

    preview = client.get(f"/api/invitations/{invitation['token']}")
    assert preview.json == {
        "workspace_name": "直播间",
        "email": "new@example.com",
        "role": "planner",
        "expires_at": invitation["expires_at"],
    }

    accepted = client.post(
        f"/api/invitations/{invitation['token']}/accept",
        json={"name": "小王", "password": "another long password"},
    )
    assert accepted.status_code == 200
    assert accepted.json["user"]["workspaces"][0]["role"] == "planner"
    assert client.get("/api/auth/me").json["name"] == "小王"

    reused = client.application.test_client().post(
        f"/api/invitations/{invitation['token']}/accept",
        json={"name": "又一个", "password": "another long password"},
    )
    assert reused.status_code == 404
    assert reused.json["code"] == "invitation.invalid"


def test_existing_user_accepts_with_token(factory):
    admin = factory.person(factory.workspace("B"), "admin")
    outsider = factory.person(factory.workspace("A"), "staff")
    invitation = _invite(admin, email=outsider.email, role="manager")
    accepted = outsider.client().post(f"/api/invitations/{invitation['token']}/accept", json={})
    assert accepted.status_code == 200
    roles = {w["workspace_name"]: w["role"] for w in accepted.json["user"]["workspaces"]}
    assert roles == {"A": "staff", "B": "manager"}


def test_invitation_rules(client, factory):
    team = factory.team()
    admin = team["admin"]
    assert (
        team["planner"]
        .client()
        .post(
            f"/api/workspaces/{admin.workspace_id}/invitations",
            json={"email": "x@y.cn", "role": "staff"},
        )
        .status_code
        == 403
    )
    dup = admin.client().post(
        f"/api/workspaces/{admin.workspace_id}/invitations",
        json={"email": team["staff"].email, "role": "staff"},
    )
    assert dup.status_code == 409
    assert dup.json["code"] == "workspace.already_member"

    bad_role = admin.client().post(
        f"/api/workspaces/{admin.workspace_id}/invitations",
        json={"email": "x@y.cn", "role": "owner"},
    )
    assert bad_role.status_code == 422
    assert [e["field"] for e in bad_role.json["errors"]] == ["role"]

    invitation = _invite(admin)
    missing_password = client.post(
        f"/api/invitations/{invitation['token']}/accept", json={"name": "x"}
    )
    assert missing_password.status_code == 422
    assert missing_password.json["errors"][0]["field"] == "password"
    revoked = admin.client().delete(
        f"/api/workspaces/{admin.workspace_id}/invitations/{invitation['id']}"
    )
    assert revoked.status_code == 204
    assert client.get(f"/api/invitations/{invitation['token']}").status_code == 404


def test_only_the_invited_account_may_accept(factory):
    admin = factory.person(factory.workspace("B"), "admin")
    invited = factory.person(factory.workspace("A"), "staff")
    someone_else = factory.person(factory.workspace("C"), "staff")
    invitation = _invite(admin, email=invited.email, role="planner")

    refused = someone_else.client().post(f"/api/invitations/{invitation['token']}/accept", json={})
    assert refused.status_code == 403
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json["code"] == "invitation.other_account"
    assert refused.json["errors"][0]["field"] == "email"

    accepted = invited.client().post(f"/api/invitations/{invitation['token']}/accept", json={})
    assert accepted.status_code == 200
    members = admin.client().get(f"/api/workspaces/{admin.workspace_id}/members").json
    last = {m["email"]: m["last_login_at"] for m in members}
    assert last[invited.email] is not None, "joining signs in, and that is a sign-in"
    assert last[admin.email] is None


def test_staff_may_not_list_invitations(factory):
    team = factory.team()
    workspace_id = team["admin"].workspace_id
    listed = team["staff"].client().get(f"/api/workspaces/{workspace_id}/invitations")
    assert listed.status_code == 403
    assert listed.json["code"] == "auth.forbidden"
