"""A planner logs in and out of the browser app."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.factories import Person

pytestmark = pytest.mark.browser


def test_planner_logs_in_and_sees_the_empty_runbook_list(page: Page, planner: Person):
    page.goto(f"/w/{planner.workspace_id}/runbooks")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    log_in(page, planner)
    expect(page.get_by_role("heading", name="运行手册")).to_be_visible()
    expect(page.get_by_text("还没有运行手册")).to_be_visible()
    shoot(page, "01-runbook-list-empty")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/login"))


def test_a_wrong_password_is_refused_with_a_message(page: Page, planner: Person):
    page.goto("/login")
    page.get_by_label("邮箱").fill(planner.email)
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("邮箱或密码不正确。")
