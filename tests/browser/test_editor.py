"""A planner builds a runbook on the canvas, publishes it, and finds it unchanged later."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.editor_steps import (
    canvas_nodes,
    connect,
    create_runbook,
    draft_of,
    drop_node,
    edge_count,
    expect_in_view,
    expect_saved,
    select_node,
)
from tests.factories import Person

pytestmark = pytest.mark.browser


def test_planner_builds_lays_out_publishes_and_reopens_a_runbook(page: Page, planner: Person):
    log_in(page, planner)
    runbook_id = create_runbook(page, "双11 直播间")
    expect(page.get_by_test_id("node-start")).to_be_visible()
    expect(page.get_by_test_id("node-end")).to_be_visible()
    shoot(page, "02-editor-new-runbook")

    # Five nodes across the three lanes.
    plan = drop_node(page, "task", "pre_event", 0.35)
    # A task without a role is an error, marked on the node once the draft is checked.
    marker = page.get_by_test_id(f"marker-{plan}")
    expect(marker).to_be_visible()
    inspector = select_node(page, plan)
    inspector.get_by_label("标题").fill("直播方案")
    inspector.get_by_label("负责角色").fill("planner")
    approve = drop_node(page, "approval", "pre_event", 0.7)
    warmup = drop_node(page, "task", "execution", 0.35)
    select_node(page, warmup)
    page.get_by_label("标题").fill("开场暖场")
    page.get_by_label("负责角色").fill("host")
    page.get_by_label("相对开播时间").fill("+5m")
    coupon = drop_node(page, "task", "execution", 0.7)
    select_node(page, coupon)
    page.get_by_label("标题").fill("推送优惠券")
    page.get_by_label("负责角色").fill("operator")
    page.get_by_label("相对开播时间").fill("+40m")
    review = drop_node(page, "task", "review", 0.72)
    select_node(page, review)
    page.get_by_label("标题").fill("数据复盘")
    page.get_by_label("负责角色").fill("data")

    for source, target in [
        ("start", plan),
        (plan, approve),
        (approve, warmup),
        (warmup, coupon),
        (coupon, review),
        (review, "end"),
    ]:
        connect(page, source, target)
    expect(page.locator(".react-flow__edge")).to_have_count(6)
    # Connected and with a role, the marker goes away.
    expect(marker).to_have_count(0)
    expect_saved(page)
    shoot(page, "03-editor-built")

    page.get_by_role("button", name="自动布局").click()
    expect(page.get_by_test_id("toast").filter(has_text="已自动布局")).to_be_visible()
    expect_saved(page)
    page.wait_for_timeout(400)  # the view glides to the laid-out runbook
    # Too long to show whole at a readable zoom: the show and its neighbours are in view.
    expect_in_view(page, [approve, warmup, coupon, review])
    phases = {n["id"]: n["phase"] for n in canvas_nodes(page)}
    assert phases == {
        "start": "pre_event",
        plan: "pre_event",
        approve: "pre_event",
        warmup: "execution",
        coupon: "execution",
        review: "review",
        "end": "review",
    }
    page.get_by_role("button", name="保存", exact=True).click()
    expect_saved(page)
    shoot(page, "04-editor-laid-out")

    page.get_by_role("button", name="发布…").click()
    dialog = page.get_by_role("dialog", name="发布新版本")
    dialog.get_by_label("版本说明").fill("第一版")
    dialog.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_test_id("toast").filter(has_text="已发布版本 1")).to_be_visible()

    before_nodes = canvas_nodes(page)
    before_edges = edge_count(page)
    before_draft = draft_of(page, planner.workspace_id, runbook_id)

    page.get_by_role("link", name="返回运行手册列表").click()
    card = page.get_by_test_id("runbook-card").filter(has_text="双11 直播间")
    expect(card).to_contain_text("版本 1")
    card.get_by_role("link", name="双11 直播间").click()
    expect(page.get_by_test_id(f"node-{review}")).to_be_visible()
    assert canvas_nodes(page) == before_nodes
    assert edge_count(page) == before_edges
    assert draft_of(page, planner.workspace_id, runbook_id)["graph"] == before_draft["graph"]
    expect(page.get_by_test_id("problem-count")).to_contain_text("✕ 0")
    shoot(page, "05-editor-reopened")
