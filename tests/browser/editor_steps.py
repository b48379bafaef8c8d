"""What a planner does in the browser app, one step each, for the browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

CANVAS_NODE = '.react-flow__node [data-testid^="node-"]'


def create_runbook(page: Page, name: str, template: str | None = None) -> int:
    """Create a runbook from the list page (blank, or from a template's title) and open it."""
    page.get_by_role("button", name="新建运行手册").first.click()
    dialog = page.get_by_role("dialog", name="新建运行手册")
    if template:
        dialog.get_by_text(template, exact=True).click()
    dialog.get_by_label("名称").fill(name)
    dialog.get_by_role("button", name="创建并打开").click()
    expect(page).to_have_url(re.compile(r"/runbooks/\d+$"))
    expect(page.get_by_test_id("editor")).to_be_visible()
    return int(page.url.rsplit("/", 1)[1])


def node_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all(CANVAS_NODE, "els => els.map(e => e.dataset.testid.slice(5))")


def canvas_nodes(page: Page) -> list[dict]:
    """Each node on the canvas: id, kind, phase, title and screen-independent position."""
    return page.eval_on_selector_all(
        CANVAS_NODE,
        """els => els.map(e => ({
            id: e.dataset.testid.slice(5), kind: e.dataset.kind, phase: e.dataset.phase,
            title: e.querySelector('.cue-node__title').textContent,
            transform: e.closest('.react-flow__node').style.transform,
        })).sort((a, b) => a.id.localeCompare(b.id))""",
    )


def lane_point(page: Page, phase: str, row: float) -> dict[str, float]:
    """A point inside the visible part of a lane, `row` (0..1) of the way down the canvas."""
    canvas = page.get_by_test_id("canvas").bounding_box()
    lane = page.get_by_test_id(f"lane-{phase}").bounding_box()
    assert canvas and lane
    left = max(canvas["x"], lane["x"])
    right = min(canvas["x"] + canvas["width"], lane["x"] + lane["width"])
    assert right - left > 40, f"the {phase} lane is not on screen"
    return {"x": (left + right) / 2 - canvas["x"], "y": canvas["height"] * row}


def drop_node(page: Page, kind: str, phase: str, row: float) -> str:
    """Drag a kind from the palette into a lane; the new node's id."""
    before = set(node_ids(page))
    page.get_by_test_id(f"palette-{kind}").drag_to(
        page.get_by_test_id("canvas"), target_position=lane_point(page, phase, row)
    )
    expect(page.locator(CANVAS_NODE)).to_have_count(len(before) + 1)
    (added,) = set(node_ids(page)) - before
    expect(page.get_by_test_id(f"node-{added}")).to_have_attribute("data-phase", phase)
    return added


def connect(page: Page, source: str, target: str) -> None:
    """Drag from the source's out handle to the target's in handle."""
    start = page.get_by_test_id(f"handle-out-{source}").bounding_box()
    end = page.get_by_test_id(f"handle-in-{target}").bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()


def edge_count(page: Page) -> int:
    return page.locator(".react-flow__edge").count()


def reveal(page: Page, node_id: str) -> None:
    """Scroll the canvas along the lanes (the mouse wheel pans it) until the node is in view:
    a long runbook opens on its show, readable, not squeezed whole."""
    canvas = page.get_by_test_id("canvas").bounding_box()
    assert canvas
    middle = (canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    for _ in range(20):
        box = page.get_by_test_id(f"node-{node_id}").bounding_box()
        assert box, node_id
        dx = box["x"] + box["width"] / 2 - middle[0]
        dy = box["y"] + box["height"] / 2 - middle[1]
        if abs(dx) < canvas["width"] / 2 - box["width"] and abs(dy) < canvas["height"] / 2 - 60:
            return
        page.mouse.move(*middle)
        page.mouse.wheel(dx, dy)
        page.wait_for_timeout(50)
    raise AssertionError(f"could not scroll node {node_id} into view")


def select_node(page: Page, node_id: str) -> Locator:
    """Click a node (scrolled into view first); its inspector form."""
    reveal(page, node_id)
    page.get_by_test_id(f"node-{node_id}").click()
    inspector = page.get_by_test_id("inspector-node")
    expect(inspector).to_be_visible()
    return inspector


def expect_saved(page: Page) -> None:
    expect(page.get_by_test_id("save-status")).to_have_attribute(
        "data-state", "idle", timeout=15_000
    )
    expect(page.get_by_test_id("save-status")).to_have_text("已保存")


def draft_of(page: Page, workspace_id: int, runbook_id: int) -> dict:
    """The server's draft, fetched with the page's own session."""
    return page.evaluate(
        "url => fetch(url).then(r => r.json())",
        f"/api/workspaces/{workspace_id}/runbooks/{runbook_id}/draft",
    )


def make_runbook(
    person, name: str, template: str | None = None, tags: list[str] | None = None
) -> int:
    """Create a runbook through the API as `person` (bearer token); its id."""
    body: dict = {"name": name, "tags": tags or []}
    if template:
        body["template"] = template
    answer = person.client().post(f"/api/workspaces/{person.workspace_id}/runbooks", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def open_editor(page: Page, person, runbook_id: int) -> None:
    page.goto(f"/w/{person.workspace_id}/runbooks/{runbook_id}")
    expect(page.get_by_test_id("node-start")).to_be_visible()


def expect_in_view(page: Page, node_ids: list[str]) -> None:
    """Every node is drawn inside the visible canvas (not scrolled or zoomed away)."""
    canvas = page.get_by_test_id("canvas").bounding_box()
    assert canvas
    for node_id in node_ids:
        box = page.get_by_test_id(f"node-{node_id}").bounding_box()
        assert box, node_id
        assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
        assert (
            canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"]
        )
