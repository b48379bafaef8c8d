"""Planning a run, its post-mortem and the audit trail in the browser: a planner casts the
roster role by role and starts a run (the API's field errors shown where they belong); a
manager opens the post-mortem of a finished run, adds an improvement action and signs it
off; the sign-off is in the audit trail."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.run_steps import Crew, finish_show, sign_off
from tests.executor.conftest import Workers
from tests.factories import Factory

pytestmark = pytest.mark.browser


def names_of(crew: Crew) -> dict[int, str]:
    members = crew.manager.client().get(crew.url("/members")).get_json()
    return {m["user_id"]: m["name"] for m in members}


def test_a_planner_casts_a_run_role_by_role_and_starts_it(page: Page, factory: Factory):
    crew = Crew(factory)
    crew.publish()
    admin = factory.person(crew.ws, "admin")
    names = names_of(crew)
    host, operator = crew.staff["host"], crew.staff["operator"]
    assistant = crew.staff["assistant"]

    log_in(page, crew.planner)
    page.get_by_role("link", name="运行", exact=True).click()
    expect(page.get_by_text("还没有运行")).to_be_visible()
    page.get_by_role("link", name="计划一次运行").click()
    expect(page.get_by_label("运行手册", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_test_id("cast-host")).to_be_visible()
    expect(page.get_by_test_id("cast-operator")).to_be_visible()
    target = page.get_by_label("GMV 目标")
    expect(target).to_have_value("100000")

    # Nothing cast, a target that is no number: each problem next to its field.
    target.fill("二十万")
    page.get_by_role("button", name="计划并开始").click()
    expect(page.get_by_test_id("cast-host")).to_contain_text("这个角色还没有人负责")
    expect(page.get_by_test_id("cast-operator")).to_contain_text("这个角色还没有人负责")
    expect(target).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-plan-var-gmv_target")).to_have_text("请输入数字")
    expect(page.get_by_test_id("plan-problems")).to_contain_text("还有 3 处需要处理")
    target.fill("200000")
    page.get_by_label("添加到主播").select_option(label=names[host.user_id])
    cast_operator = page.get_by_test_id("cast-operator")
    page.get_by_label("添加到中控/运营").select_option(label=names[operator.user_id])
    uncast = cast_operator.get_by_role("button", name=f"从中控/运营移除 {names[operator.user_id]}")
    expect(uncast).to_be_visible()

    # The operator leaves the workspace meanwhile: the API's refusal lands on that role.
    removed = admin.client().delete(crew.url(f"/members/{operator.member_id}"))
    assert removed.status_code == 204
    page.get_by_role("button", name="计划并开始").click()
    expect(cast_operator.get_by_role("alert")).to_contain_text("not a member")
    shoot(page, "26-plan-run-field-errors")

    uncast.click()
    page.get_by_label("添加到中控/运营").select_option(label=names[assistant.user_id])
    page.get_by_role("button", name="计划并开始").click()
    expect(page).to_have_url(re.compile(rf"/w/{crew.ws}/runs/\d+$"))
    expect(page.get_by_test_id("run-status")).to_have_text("进行中")
    run_id = int(page.url.rsplit("/", 1)[1])
    run = crew.run(run_id)
    assert run["variables"]["gmv_target"] == 200000
    assert {(r["role"], r["user_id"]) for r in run["roster"]} == {
        ("host", host.user_id),
        ("operator", assistant.user_id),
    }
    # Go-live as entered: 20:00 on the planner's wall clock in Asia/Shanghai.
    go_live = datetime.fromisoformat(run["go_live"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert run["tz"] == "Asia/Shanghai" and (go_live.hour, go_live.minute) == (20, 0)


def test_a_manager_opens_the_post_mortem_of_a_finished_run_and_signs_it_off(
    page: Page, factory: Factory, workers: Workers
):
    crew = Crew(factory)
    run_id = crew.start_run(crew.publish())
    workers.start()
    finish_show(crew, run_id, workers)
    names = names_of(crew)

    log_in(page, crew.manager)
    page.get_by_role("link", name="运行", exact=True).click()
    card = page.get_by_test_id("run-card").filter(has_text="双11 直播")
    expect(card).to_contain_text("已完成")
    card.get_by_role("link", name="复盘").click()
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/review$"))

    # The figures: planned against actual, lateness, targets against actuals.
    expect(page.get_by_role("heading", name="复盘 · 双11 直播")).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_have_text("待签字 · 修订 1")
    gantt = page.get_by_test_id("gantt")
    expect(gantt.get_by_role("img", name="计划与实际（甘特图）")).to_be_visible()
    expect(gantt.locator("[data-node]")).to_have_count(5)
    expect(gantt.locator('[data-node="rehearsal"]')).to_have_class(re.compile("--on_time"))
    expect(page.get_by_test_id("lateness-role")).to_contain_text("主播")
    expect(page.get_by_test_id("lateness-person")).to_contain_text(
        names[crew.staff["host"].user_id]
    )
    targets = page.get_by_test_id("targets")
    expect(targets).to_contain_text("123,456.5")
    expect(targets).to_contain_text("123.5%")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Markdown").click()
    assert download.value.suggested_filename == f"postmortem-run-{run_id}.md"

    # An improvement action with its owner, the summary, the sign-off.
    page.get_by_label("措施", exact=True).fill("开播前 30 分钟再测一次网速")
    page.get_by_label("负责人").select_option(label=names[crew.staff["operator"].user_id])
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_test_id("actions")).to_contain_text("开播前 30 分钟再测一次网速")
    sign_off(page, "GMV 超出目标 23.5%；优惠券因库存不足全部跳过。")
    expect(page.get_by_test_id("report-status")).to_have_text("已签字 · 修订 1")
    expect(page.get_by_test_id("signed-off")).to_contain_text(names[crew.manager.user_id])
    expect(page.get_by_label("复盘总结")).to_have_count(0)  # locked
    expect(page.get_by_text("GMV 超出目标 23.5%")).to_be_visible()
    shoot(page, "27-postmortem-signed-off")
    page.get_by_role("heading", name="复盘 · 双11 直播").scroll_into_view_if_needed()
    shoot(page, "28-postmortem-gantt")

    # The sign-off is in the audit trail.
    page.get_by_role("link", name="审计").click()
    page.get_by_label("类型").select_option(label="复盘")
    events = page.get_by_test_id("audit-events")
    expect(events).to_contain_text(f"{names[crew.manager.user_id]} 签字确认了「双11 直播」的复盘")
    shoot(page, "29-audit-trail-sign-off")
