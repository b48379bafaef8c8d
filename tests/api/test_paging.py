"""Every list endpoint answers a page (`limit`, `offset`) and links to the next one."""

from __future__ import annotations

import re

from api.paging import DEFAULT_LIMIT, MAX_LIMIT

NEXT = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


def _pages(client, url: str) -> list[list[dict]]:
    """Every page of a list, following each answer's `Link: rel="next"`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json
        assert isinstance(response.json, list)
        pages.append(response.json)
        link = response.headers.get("Link")
        url = NEXT.match(link)["url"] if link else ""
    return pages


def test_a_list_is_paged_and_the_next_link_keeps_the_filters(factory):
    planner = factory.person(factory.workspace(), "planner")
    client, ws = planner.client(), planner.workspace_id
    base = f"/api/workspaces/{ws}/runbooks"
    for n in range(5):
        assert client.post(base, json={"name": f"直播 {n}"}).status_code == 201
    assert client.post(base, json={"name": "Other"}).status_code == 201

    whole = client.get(f"{base}?q=直播").json
    assert len(whole) == 5 and "Link" not in client.get(f"{base}?q=直播").headers
    pages = _pages(client, f"{base}?q=直播&limit=2")
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in whole]


def test_limit_is_capped_and_offset_is_checked(factory):
    admin = factory.person(factory.workspace(), "admin")
    client, ws = admin.client(), admin.workspace_id
    for query in (f"limit={MAX_LIMIT + 1}", "limit=0", "offset=-1"):
        response = client.get(f"/api/workspaces/{ws}/members?{query}")
        assert response.status_code == 422, query
        assert response.json["code"] == "request.invalid"
        assert response.json["errors"][0]["field"] == query.split("=")[0]
    assert client.get(f"/api/workspaces/{ws}/members?limit={MAX_LIMIT}").status_code == 200
    assert client.get(f"/api/workspaces/{ws}/members?offset=5").json == []


def test_lists_built_in_python_are_paged_too(factory):
    person = factory.person(factory.workspace(), "staff")
    pages = _pages(person.client(), "/api/templates?limit=1")
    assert len(pages) >= 3 and all(len(p) == 1 for p in pages)
    assert len({p[0]["key"] for p in pages}) == len(pages)


def test_every_list_in_the_spec_is_paged(client):
    """Each operation answering an array documents `limit` (capped), `offset` and `Link`."""
    spec = client.get("/api/openapi.json").json
    lists = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            ok = operation.get("responses", {}).get("200", {})
            schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("type") != "array":
                continue
            lists.append(f"{method} {path}")
            params = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
            assert params["limit"]["maximum"] == MAX_LIMIT, path
            assert params["limit"]["default"] == DEFAULT_LIMIT, path
            assert params["offset"]["minimum"] == 0, path
            assert "Link" in ok["headers"], path
    assert len(lists) >= 16
