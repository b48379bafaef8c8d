"""Two tabs edit one draft: the later save is told, and loses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.editor_steps import (
    draft_of,
    expect_saved,
    make_runbook,
    open_editor,
    select_node,
)
from tests.factories import Person

pytestmark = pytest.mark.browser


def titles(page: Page, person: Person, runbook_id: int) -> dict[str, str]:
    graph = draft_of(page, person.workspace_id, runbook_id)["graph"]
    return {n["id"]: n["title"] for n in graph["nodes"]}


def test_a_second_tab_saving_first_shows_the_conflict_and_keeps_the_work(
    context: BrowserContext, page: Page, planner: Person
):
    runbook_id = make_runbook(planner, "直播 SOP", template="live_stream")
    log_in(page, planner)
    open_editor(page, planner, runbook_id)
    other = context.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda error: errors.append(str(error)))
    open_editor(other, planner, runbook_id)

    # The first tab renames a node and saves.
    select_node(page, "live_plan").get_by_label("标题").fill("直播方案 · 第一个标签页")
    expect_saved(page)

    # The second tab, still on the old revision, renames another node: its save is refused.
    select_node(other, "product_selection").get_by_label("标题").fill("直播选品 · 第二个标签页")
    banner = other.get_by_test_id("conflict-banner")
    expect(banner).to_contain_text("这个运行手册已在别处被保存")
    expect(other.get_by_test_id("save-status")).to_have_text("未保存：有冲突")
    expect(other.get_by_test_id("node-product_selection")).to_contain_text("第二个标签页")
    shoot(other, "06-editor-conflict")
    assert titles(other, planner, runbook_id)["product_selection"] == "直播选品"

    # The second tab saves its version over the first.
    banner.get_by_role("button", name="用我的版本覆盖").click()
    expect_saved(other)
    expect(banner).to_have_count(0)
    saved = titles(other, planner, runbook_id)
    assert saved["product_selection"] == "直播选品 · 第二个标签页"
    assert saved["live_plan"] == "直播方案"

    # Now the first tab is behind. It loads the other save, then takes its own work back.
    select_node(page, "room_policy").get_by_label("标题").fill("直播间政策 · 第一个标签页")
    expect(page.get_by_test_id("conflict-banner")).to_be_visible()
    page.get_by_role("button", name="载入对方的版本").click()
    expect(page.get_by_test_id("node-product_selection")).to_contain_text("第二个标签页")
    expect(page.get_by_test_id("node-room_policy")).not_to_contain_text("第一个标签页")
    page.get_by_test_id("canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("node-room_policy")).to_contain_text("第一个标签页")
    expect_saved(page)
    assert titles(page, planner, runbook_id)["room_policy"] == "直播间政策 · 第一个标签页"
    other.close()
    assert not errors, errors
