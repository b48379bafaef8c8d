"""The planner's first look at a runbook in the editor at 1280 × 800: the built-in live-stream
runbook opens readable with its three lanes and T0 in view; a graph written through the API
without positions opens laid out; a node added low in a lane never leaves a blank canvas."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.editor_steps import (
    CANVAS_NODE,
    canvas_nodes,
    create_runbook,
    drop_node,
    expect_saved,
    select_node,
)
from tests.factories import Person

pytestmark = pytest.mark.browser

READABLE_ZOOM = 0.5
PHASES = ("pre_event", "execution", "review")


def zoom(page: Page) -> float:
    """The canvas zoom, read from React Flow's viewport transform."""
    transform = page.locator(".react-flow__viewport").evaluate("e => e.style.transform")
    found = re.search(r"scale\(([\d.]+)\)", transform)
    assert found, transform
    return float(found.group(1))


def on_canvas(page: Page) -> list[dict]:
    """The nodes drawn wholly inside the visible canvas: id, phase and screen box."""
    return page.eval_on_selector_all(
        CANVAS_NODE,
        """(els) => {
            const c = document.querySelector('[data-testid="canvas"]').getBoundingClientRect()
            return els.map((e) => ({ id: e.dataset.testid.slice(5), phase: e.dataset.phase,
                                     box: e.getBoundingClientRect().toJSON() }))
              .filter(({ box }) => box.left >= c.left && box.right <= c.right
                                   && box.top >= c.top && box.bottom <= c.bottom)
        }""",
    )


def settle(page: Page) -> None:
    """The view has been set (it glides for 300 ms after a layout or a fit)."""
    expect(page.locator(CANVAS_NODE).first).to_be_visible()
    page.wait_for_timeout(500)


def expect_readable_with_t0(page: Page) -> None:
    settle(page)
    assert zoom(page) >= READABLE_ZOOM, f"zoom {zoom(page)}"
    canvas = page.get_by_test_id("canvas").bounding_box()
    go_live = page.get_by_test_id("go-live").bounding_box()
    assert canvas and go_live
    assert canvas["x"] < go_live["x"] < canvas["x"] + canvas["width"], "T0 is out of view"
    expect(page.locator(".go-live__label")).to_be_in_viewport()
    phases = {node["phase"] for node in on_canvas(page)}
    assert phases == set(PHASES), f"only {phases} in view"


def test_the_live_stream_runbook_opens_readable_and_publishes(page: Page, planner: Person):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, planner)
    runbook_id = create_runbook(page, "双11 直播", template="直播 SOP")
    expect_readable_with_t0(page)
    shoot(page, "30-editor-first-open-1280")

    # Dragging the canvas pans along the lanes to the rest of the runbook.
    canvas = page.get_by_test_id("canvas").bounding_box()
    assert canvas
    before = {node["id"] for node in on_canvas(page)}
    y = canvas["y"] + canvas["height"] - 40
    page.mouse.move(canvas["x"] + 80, y)
    page.mouse.down()
    page.mouse.move(canvas["x"] + canvas["width"] - 80, y, steps=10)
    page.mouse.up()
    assert {node["id"] for node in on_canvas(page)} - before, "panning showed nothing new"

    # Edit a node of the show and publish.
    page.get_by_role("button", name="适应画布").click()
    settle(page)
    assert zoom(page) >= READABLE_ZOOM, "fitting the view made it unreadable"
    inspector = select_node(page, "opening")
    inspector.get_by_label("标题").fill("开场暖场（新版）")
    expect(page.get_by_test_id("node-opening")).to_contain_text("开场暖场（新版）")
    expect_saved(page)
    page.get_by_role("button", name="发布…").click()
    dialog = page.get_by_role("dialog", name="发布新版本")
    dialog.get_by_label("版本说明").fill("开场改名")
    dialog.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_test_id("toast").filter(has_text="已发布版本 1")).to_be_visible()

    # A node added low in a lane: the runbook still opens on its nodes, never blank.
    added = drop_node(page, "task", "execution", 0.97)
    expect_saved(page)
    page.goto(f"/w/{planner.workspace_id}/runbooks/{runbook_id}")
    expect_readable_with_t0(page)
    assert len(on_canvas(page)) >= 5
    shoot(page, "31-editor-reopened-after-low-node")
    assert added


def test_a_graph_without_positions_opens_laid_out(page: Page, planner: Person):
    nodes = [
        {"id": "start", "kind": "start", "phase": "pre_event", "title": "开始"},
        {"id": "plan", "kind": "task", "phase": "pre_event", "title": "方案", "role": "planner"},
        {"id": "check", "kind": "task", "phase": "pre_event", "title": "检查", "role": "operator"},
        {
            "id": "show",
            "kind": "task",
            "phase": "execution",
            "title": "开场",
            "role": "host",
            "offset_minutes": 0,
        },
        {"id": "data", "kind": "task", "phase": "review", "title": "复盘", "role": "data"},
        {"id": "end", "kind": "end", "phase": "review", "title": "结束"},
    ]
    chain = ["start", "plan", "check", "show", "data", "end"]
    edges = [{"id": f"e{i}", "source": a, "target": b} for i, (a, b) in enumerate(pairwise(chain))]
    answer = planner.client().post(
        f"/api/workspaces/{planner.workspace_id}/runbooks",
        json={"name": "接口写入", "graph": {"format": 1, "nodes": nodes, "edges": edges}},
    )
    assert answer.status_code == 201, answer.get_json()

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, planner)
    page.goto(f"/w/{planner.workspace_id}/runbooks/{answer.get_json()['id']}")
    expect(page.get_by_test_id("node-start")).to_be_visible()
    expect_saved(page)
    settle(page)
    spots = {node["transform"] for node in canvas_nodes(page)}
    assert len(spots) == len(nodes), f"nodes share a spot: {spots}"
    assert {n["phase"] for n in on_canvas(page)} == set(PHASES)
    shoot(page, "32-editor-api-graph-laid-out")
