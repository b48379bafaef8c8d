"""An admin invites a planner, who joins from the link; roles change; an API token is made,
used by a script and revoked; staff are kept out of the members page politely."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.factories import Factory

pytestmark = pytest.mark.browser


def _status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            json.load(answer)
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_admin_invites_a_planner_who_joins_from_the_link(page: Page, phone: Page, factory: Factory):
    team = factory.team("示范直播间")
    admin = team["admin"]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, admin)
    page.get_by_role("link", name="成员").click()
    expect(page.get_by_role("heading", name="成员与邀请")).to_be_visible()

    page.get_by_label("邮箱").fill("xiaowang@cueflow.test")
    page.get_by_label("角色", exact=True).select_option("planner")
    page.get_by_role("button", name="发送邀请").click()
    link = page.get_by_test_id("invite-link")
    expect(link).to_have_value(re.compile(r"/invite/[\w-]{32}$"))
    page.get_by_role("button", name="复制").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == link.input_value()
    expect(page.get_by_test_id("invitations")).to_contain_text("xiaowang@cueflow.test")
    shoot(page, "01-admin-invited")

    phone.goto(urllib.parse.urlsplit(copied).path)  # the link, on this test's server
    expect(phone.get_by_test_id("invite-preview")).to_contain_text("示范直播间")
    expect(phone.get_by_test_id("invite-preview")).to_contain_text("策划")
    shoot(phone, "02-invitee-accept-page-phone")
    phone.get_by_label("你的名字").fill("小王")
    phone.get_by_label("设置密码").fill("a long enough password")
    phone.get_by_role("button", name="接受邀请").click()
    expect(phone).to_have_url(re.compile(rf"/w/{admin.workspace_id}/runbooks$"))
    expect(phone.get_by_test_id("current-user")).to_contain_text("小王")
    shoot(phone, "03-invitee-landed")

    page.reload()
    expect(page.get_by_test_id("invitations")).to_have_count(0)
    joined = page.get_by_test_id("member").filter(has_text="小王")
    expect(joined).to_contain_text("xiaowang@cueflow.test")
    expect(joined).to_contain_text("最近登录")
    role = page.get_by_label("小王 的角色")
    expect(role).to_have_value("planner")
    role.select_option("manager")
    expect(page.get_by_text("角色已更改")).to_be_visible()
    page.reload()
    expect(page.get_by_label("小王 的角色")).to_have_value("manager")
    shoot(page, "04-admin-changed-role")

    page.set_viewport_size({"width": 375, "height": 812})
    page.get_by_role("button", name="发送邀请").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scroll"
    shoot(page, "04b-members-phone")


def test_token_made_used_and_revoked_in_the_browser(page: Page, factory: Factory, live_server: str):
    planner = factory.person(factory.workspace("示范直播间"), "planner")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, planner)
    page.get_by_role("link", name="API 令牌").click()
    page.get_by_label("用途").fill("排期脚本")
    page.get_by_role("button", name="创建令牌").click()
    secret = page.get_by_test_id("token-secret").input_value()
    assert secret
    shoot(page, "05-token-created")

    url = f"{live_server}/api/workspaces"
    assert _status(url, secret) == 200
    page.reload()
    expect(page.get_by_test_id("tokens")).to_contain_text("最近使用")
    expect(page.get_by_test_id("token-secret")).to_have_count(0)

    tokens = page.get_by_test_id("tokens").get_by_role("listitem")
    tokens.filter(has_text="排期脚本").get_by_role("button", name="吊销").click()
    expect(page.get_by_text("令牌已吊销")).to_be_visible()
    expect(page.get_by_test_id("tokens")).not_to_contain_text("排期脚本")
    assert _status(url, secret) == 401


def test_staff_see_no_members_entry_and_a_polite_refusal(
    phone: Page, factory: Factory, live_server: str
):
    staff = factory.team("示范直播间")["staff"]
    log_in(phone, staff)
    phone.get_by_role("button", name="菜单").click()
    expect(phone.get_by_role("link", name="API 令牌")).to_be_visible()
    expect(phone.get_by_role("link", name="成员")).to_have_count(0)
    phone.goto(f"/w/{staff.workspace_id}/members")
    expect(phone.get_by_test_id("not-allowed")).to_contain_text("只有管理员可以管理成员")
    shoot(phone, "06-staff-members-refused-phone")
    invitations = f"{live_server}/api/workspaces/{staff.workspace_id}/invitations"
    assert _status(invitations, staff.token) == 403
