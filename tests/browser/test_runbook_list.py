"""The runbook list: create from a template, search, tags, duplicate, archive, export and
import, and switching the language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.editor_steps import CANVAS_NODE, create_runbook, make_runbook
from tests.factories import PASSWORD, Person

pytestmark = pytest.mark.browser


def cards(page: Page):
    return page.get_by_test_id("runbook-card")


def test_create_from_a_template_then_search_filter_duplicate_and_archive(
    page: Page, planner: Person
):
    make_runbook(planner, "社群裂变 12 月", template="fission", tags=["社群"])
    log_in(page, planner)
    expect(cards(page)).to_have_count(1)

    runbook_id = create_runbook(page, "双12 直播间", template="直播 SOP")
    expect(page.get_by_test_id("node-live_plan")).to_be_visible()
    assert page.locator(CANVAS_NODE).count() > 30
    page.get_by_role("link", name="返回运行手册列表").click()
    expect(cards(page)).to_have_count(2)
    shoot(page, "10-runbook-list")

    page.get_by_label("搜索运行手册").fill("双12")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("双12 直播间")
    page.get_by_label("搜索运行手册").fill("")
    expect(cards(page)).to_have_count(2)

    page.get_by_role("button", name="#社群").click()
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("社群裂变 12 月")
    page.get_by_role("button", name="#社群").click()
    expect(cards(page)).to_have_count(2)

    live = cards(page).filter(has_text="双12 直播间")
    live.get_by_role("button", name="复制").click()
    expect(cards(page)).to_have_count(3)
    copy = cards(page).filter(has_text="双12 直播间（副本）")
    expect(copy).to_be_visible()

    copy.get_by_role("button", name="归档").click()
    expect(cards(page)).to_have_count(2)
    page.get_by_label("显示").select_option("true")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("已归档")
    cards(page).first.get_by_role("button", name="取消归档").click()
    expect(cards(page)).to_have_count(0)
    page.get_by_label("显示").select_option("all")
    expect(cards(page)).to_have_count(3)
    assert runbook_id > 0


def test_export_then_import_a_runbook(page: Page, planner: Person, tmp_path: Path):
    make_runbook(planner, "商城大促", template="store_campaign")
    log_in(page, planner)
    with page.expect_download() as download:
        cards(page).first.get_by_role("button", name="导出").click()
    exported = tmp_path / "export.json"
    download.value.save_as(exported)
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["cueflow"] == "runbook"
    assert document["name"] == "商城大促"

    page.get_by_test_id("import-file").set_input_files(str(exported))
    expect(page).to_have_url(re.compile(r"/runbooks/\d+$"))
    expect(page.locator(CANVAS_NODE)).to_have_count(len(document["graph"]["nodes"]))
    page.get_by_role("link", name="返回运行手册列表").click()
    expect(cards(page)).to_have_count(2)


def test_the_app_speaks_english_when_asked(page: Page, planner: Person):
    page.goto("/login")
    page.get_by_role("button", name="English").click()
    page.get_by_label("E-mail").fill(planner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Runbooks")).to_be_visible()
    make_runbook(planner, "Singles' Day live", template="live_stream")
    page.reload()
    cards(page).first.get_by_role("link").click()
    expect(page.get_by_role("button", name="Auto-layout")).to_be_visible()
    expect(page.get_by_test_id("lane-execution")).to_contain_text("Execution")
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")
    shoot(page, "11-editor-english")
    page.get_by_label("Language").select_option("zh-CN")
    expect(page.get_by_role("button", name="自动布局")).to_be_visible()
