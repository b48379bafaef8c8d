"""Workspace scoping: other workspaces are invisible (404); roles decide writes (403)."""

from __future__ import annotations


def test_member_reads_own_workspace_and_members(factory):
    team = factory.team("直播一组")
    staff = team["staff"].client()
    ws = team["staff"].workspace_id
    assert staff.get(f"/api/workspaces/{ws}").json["name"] == "直播一组"
    members = staff.get(f"/api/workspaces/{ws}/members").json
    assert sorted(m["role"] for m in members) == ["admin", "manager", "planner", "staff"]


def test_other_workspace_is_not_found(factory):
    a = factory.person(factory.workspace("A"), "admin")
    b = factory.person(factory.workspace("B"), "admin")
    for url in (
        f"/api/workspaces/{b.workspace_id}",
        f"/api/workspaces/{b.workspace_id}/members",
        f"/api/workspaces/{b.workspace_id}/invitations",
    ):
        response = a.client().get(url)
        assert response.status_code == 404, url
        assert response.json["code"] == "resource.not_found"
    # a member id of workspace B addressed through A's own workspace is also 404
    moved = a.client().patch(
        f"/api/workspaces/{a.workspace_id}/members/{b.member_id}", json={"role": "staff"}
    )
    assert moved.status_code == 404
    assert a.client().get("/api/workspaces").json[0]["name"] == "A"


def test_staff_cannot_manage_members(factory):
    team = factory.team()
    ws = team["staff"].workspace_id
    response = (
        team["staff"]
        .client()
        .patch(f"/api/workspaces/{ws}/members/{team['planner'].member_id}", json={"role": "admin"})
    )
    assert response.status_code == 403
    assert response.json["code"] == "auth.forbidden"


def test_admin_changes_roles_but_never_removes_the_last_admin(factory):
    team = factory.team()
    admin = team["admin"].client()
    ws = team["admin"].workspace_id
    promoted = admin.patch(
        f"/api/workspaces/{ws}/members/{team['staff'].member_id}", json={"role": "manager"}
    )
    assert promoted.status_code == 200
    assert promoted.json["role"] == "manager"

    demote_self = admin.patch(
        f"/api/workspaces/{ws}/members/{team['admin'].member_id}", json={"role": "staff"}
    )
    assert demote_self.status_code == 409
    assert demote_self.json["code"] == "workspace.last_admin"
    remove_self = admin.delete(f"/api/workspaces/{ws}/members/{team['admin'].member_id}")
    assert remove_self.status_code == 409

    assert (
        admin.delete(f"/api/workspaces/{ws}/members/{team['planner'].member_id}").status_code == 204
    )
    assert len(admin.get(f"/api/workspaces/{ws}/members").json) == 3


def test_create_workspace_makes_caller_admin(factory):
    staff = factory.person(factory.workspace(), "staff")
    created = staff.client().post("/api/workspaces", json={"name": "第二个团队"})
    assert created.status_code == 201
    assert created.json["role"] == "admin"
    assert len(staff.client().get("/api/workspaces").json) == 2


def test_anonymous_gets_401(client, factory):
    ws = factory.workspace()
    response = client.get(f"/api/workspaces/{ws}")
    assert response.status_code == 401
    assert response.json["code"] == "auth.unauthenticated"


def test_one_person_creates_at_most_the_configured_number_of_workspaces(app, factory, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_WORKSPACES_PER_USER", 2)
    planner = factory.person(factory.workspace("Invited into"), "planner")
    client = planner.client()
    for name in ("一号", "二号"):
        assert client.post("/api/workspaces", json={"name": name}).status_code == 201
    refused = client.post("/api/workspaces", json={"name": "三号"})
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    assert (refused.json["code"], refused.json["limit"]) == ("workspace.limit_reached", 2)
    names = [w["name"] for w in client.get("/api/workspaces").json]
    assert names == ["Invited into", "一号", "二号"]
    # The limit is each person's own: someone else still creates theirs.
    other = factory.person(factory.workspace(), "staff").client()
    assert other.post("/api/workspaces", json={"name": "Mine"}).status_code == 201
