"""Undo and redo, publishing refused with the problem list, versions with their diff,
the timeline preview, and what a read-only member sees."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.editor_steps import (
    CANVAS_NODE,
    drop_node,
    expect_saved,
    lane_point,
    make_runbook,
    open_editor,
    select_node,
)
from tests.factories import Factory, Person

pytestmark = pytest.mark.browser


def test_undo_and_redo_with_the_keyboard_and_the_toolbar(page: Page, planner: Person):
    runbook_id = make_runbook(planner, "空白手册")
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    nodes = page.locator(CANVAS_NODE)
    expect(nodes).to_have_count(2)

    added = drop_node(page, "notify", "execution", 0.3)
    expect(nodes).to_have_count(3)
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    expect(nodes).to_have_count(2)
    page.keyboard.press("Control+Shift+z")
    expect(nodes).to_have_count(3)

    select_node(page, added).get_by_label("标题").fill("开播通知")
    expect(page.get_by_test_id(f"node-{added}")).to_contain_text("开播通知")
    page.get_by_role("button", name="撤销").click()
    expect(page.get_by_test_id(f"node-{added}")).not_to_contain_text("开播通知")
    page.get_by_role("button", name="重做").click()
    expect(page.get_by_test_id(f"node-{added}")).to_contain_text("开播通知")
    page.keyboard.press("Control+z")  # focus is on the toolbar: the canvas undo applies
    page.keyboard.press("Control+z")
    expect(nodes).to_have_count(2)
    expect_saved(page)


def test_publishing_a_draft_with_errors_lists_them(page: Page, planner: Person):
    runbook_id = make_runbook(planner, "没连好的手册")
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    page.get_by_role("button", name="发布…").click()
    page.get_by_role("dialog").get_by_role("button", name="发布", exact=True).click()
    refused = page.get_by_test_id("publish-refused")
    expect(refused).to_contain_text("还有")
    problems = refused.get_by_test_id("problem")
    expect(problems.first).to_be_visible()
    shoot(page, "07-publish-refused")
    refused.get_by_role("button").filter(has_text="结束").first.click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator('[data-testid="node-end"].is-selected')).to_be_visible()


def test_versions_show_what_changed_and_restore_into_the_draft(page: Page, planner: Person):
    runbook_id = make_runbook(planner, "直播 SOP", template="live_stream")
    published = planner.client().post(
        f"/api/workspaces/{planner.workspace_id}/runbooks/{runbook_id}/publish",
        json={"note": "模板原样"},
    )
    assert published.status_code == 201, published.get_json()
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    select_node(page, "live_plan").get_by_label("标题").fill("直播方案（改）")
    expect_saved(page)

    page.get_by_role("tab", name="版本").click()
    version = page.get_by_test_id("version-1")
    expect(version).to_contain_text("模板原样")
    version.get_by_role("button", name="与草稿对比").click()
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("直播方案（改）")
    expect(page.locator('[data-testid="node-live_plan"].cue-node--diff-changed')).to_be_visible()
    shoot(page, "08-versions-diff")

    version.get_by_role("button", name="恢复到草稿").click()
    expect(page.get_by_test_id("node-live_plan")).not_to_contain_text("（改）")
    expect_saved(page)


def test_timeline_preview_shows_the_plan_and_the_critical_path(page: Page, planner: Person):
    runbook_id = make_runbook(planner, "直播 SOP", template="live_stream")
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    page.get_by_role("button", name="时间线预览").click()
    timeline = page.get_by_test_id("timeline")
    timeline.get_by_label("开播时间").fill("2026-12-12T20:00")
    timeline.get_by_role("button", name="生成预览").click()
    expect(timeline.get_by_test_id("plan-live_plan")).to_be_visible()
    expect(timeline.locator('[data-critical="true"]').first).to_be_visible()
    expect(page.locator(".cue-node--critical").first).to_be_visible()
    shoot(page, "09-timeline")


def test_staff_see_the_runbook_read_only(page: Page, planner: Person, factory: Factory):
    runbook_id = make_runbook(planner, "直播 SOP", template="live_stream")
    staff = factory.person(planner.workspace_id, "staff")
    log_in(page, staff)
    open_editor(page, staff, runbook_id)
    expect(page.get_by_test_id("save-status")).to_have_text("只读")
    expect(page.get_by_role("button", name="发布…")).to_have_count(0)
    expect(page.get_by_test_id("palette-task")).to_be_disabled()
    select_node(page, "live_plan")
    expect(page.get_by_label("标题")).to_be_disabled()


def test_a_node_takes_the_phase_of_the_lane_it_is_moved_to(page: Page, planner: Person):
    runbook_id = make_runbook(planner, "泳道")
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    added = drop_node(page, "task", "execution", 0.3)
    card = page.get_by_test_id(f"node-{added}")

    # Dragged into the review lane.
    box = card.bounding_box()
    assert box
    target = lane_point(page, "review", 0.3)
    canvas = page.get_by_test_id("canvas").bounding_box()
    assert canvas
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(canvas["x"] + target["x"], canvas["y"] + target["y"], steps=10)
    page.mouse.up()
    expect(card).to_have_attribute("data-phase", "review")

    # Moved back from the inspector: it lands in the execution lane.
    select_node(page, added).get_by_label("阶段（泳道）").select_option("execution")
    expect(card).to_have_attribute("data-phase", "execution")
    lane = page.get_by_test_id("lane-execution").bounding_box()
    moved = card.bounding_box()
    assert lane and moved
    assert lane["x"] <= moved["x"] and moved["x"] + moved["width"] <= lane["x"] + lane["width"]
    page.keyboard.press("Escape")
    page.get_by_role("button", name="撤销").click()
    expect(card).to_have_attribute("data-phase", "review")
    expect_saved(page)


def test_a_field_the_server_refuses_is_marked_on_its_node_until_fixed(page: Page, planner: Person):
    runbook_id = make_runbook(planner, "清单")
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    added = drop_node(page, "task", "pre_event", 0.3)
    inspector = select_node(page, added)
    inspector.get_by_role("button", name="添加清单项").click()
    item = inspector.get_by_label("清单第 1 项")
    expect_saved(page)

    item.fill("")
    expect(page.get_by_test_id("save-status")).to_have_text("无法保存：有字段不合规")
    expect(inspector.get_by_text("字段不合规")).to_be_visible()
    expect(page.get_by_test_id(f"marker-{added}")).to_be_visible()

    item.fill("检查声卡与灯光")
    expect_saved(page)
    expect(inspector.get_by_text("字段不合规")).to_have_count(0)


def test_connect_and_disconnect_from_the_inspector_without_dragging(page: Page, planner: Person):
    runbook_id = make_runbook(planner, "键盘")
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    edges = page.locator(".react-flow__edge")
    expect(edges).to_have_count(0)
    inspector = select_node(page, "start")
    inspector.get_by_label("连线到").select_option(label="结束 End")
    expect(edges).to_have_count(1)
    inspector.get_by_role("button", name="删除到「结束 End」的连线").click()
    expect(edges).to_have_count(0)
