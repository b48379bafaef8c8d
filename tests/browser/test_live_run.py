"""Live runs in the browser: the host ticks off a task on a phone and the control room on a
laptop sees it change within two seconds; the operator completes a cue-side task with one
tap; staff never see or act on another workspace's run."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.run_steps import Crew
from tests.executor.conftest import Workers
from tests.factories import Factory

pytestmark = pytest.mark.browser

LIVE_WITHIN_MS = 2_000


def test_a_host_ticks_off_a_task_on_a_phone_and_the_control_room_sees_it(
    page: Page, phone: Page, factory: Factory, workers: Workers
):
    crew = Crew(factory)
    run_id = crew.start_run(crew.publish())
    workers.start()
    crew.wait_for_task("host", run_id, "rehearsal")

    # The operator follows the run in the control room on a laptop.
    log_in(page, crew.staff["operator"])
    page.goto(f"/w/{crew.ws}/runs/{run_id}")
    room = page.get_by_test_id("control-room")
    expect(room.get_by_role("heading", name="双11 直播")).to_be_visible()
    expect(page.get_by_test_id("show-clock")).to_contain_text("距开播")
    expect(page.get_by_test_id("node-rehearsal")).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("node-rehearsal")).to_contain_text("待处理")
    expect(page.get_by_test_id("live-state")).to_have_text("实时")

    # The host, on a phone, lands on their tasks: today's first, with the countdown.
    log_in(phone, crew.staff["host"])
    card = phone.get_by_role("link", name=re.compile("主播彩排"))
    expect(card).to_contain_text("还剩")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(phone, "20-host-inbox-375px")
    card.click()
    complete = phone.get_by_role("button", name="完成", exact=True)
    expect(complete).to_be_in_viewport()  # held at the bottom, in reach of a thumb

    # Completing with the checklist unticked names every item, in place.
    complete.click()
    expect(phone.get_by_text("请勾选这一项")).to_have_count(2)
    phone.get_by_label("熟悉脚本").check()
    phone.get_by_label("熟悉价格").check()
    shoot(phone, "21-host-task-375px")

    started = time.monotonic()
    complete.click()
    expect(phone.get_by_test_id("toast").last).to_contain_text("已完成「主播彩排」")
    task_line = page.get_by_test_id("role-host").get_by_text("主播彩排")
    expect(page.get_by_test_id("node-rehearsal")).to_have_attribute(
        "data-state", "done", timeout=LIVE_WITHIN_MS
    )
    seen_after = time.monotonic() - started
    expect(task_line).to_be_attached()
    assert seen_after < LIVE_WITHIN_MS / 1000, f"the control room took {seen_after:.2f} s"
    print(f"the control room saw the completion after {seen_after:.2f} s")
    expect(page.get_by_test_id("node-rehearsal")).to_contain_text("已完成")
    shoot(page, "22-control-room-after-host-completed")

    # The host's list no longer holds the task; the operator completes theirs with one tap.
    expect(phone.get_by_role("link", name=re.compile("主播彩排"))).to_have_count(0)
    page.get_by_role("button", name="完成「开播前检查」").click()
    expect(page.get_by_test_id("node-final_check")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("node-opening")).to_have_attribute("data-state", "ready")
    # ... and the host's phone hears of the next task without reloading.
    expect(phone.get_by_role("link", name=re.compile("开场暖场"))).to_be_visible()
    shoot(phone, "23-host-next-task-375px")


def test_staff_cannot_see_or_act_on_another_workspaces_run(
    page: Page, factory: Factory, workers: Workers
):
    ours = Crew(factory, "示范直播间")
    theirs = Crew(factory, "别家直播间")
    run_id = theirs.start_run(theirs.publish())
    workers.burst()
    task = theirs.wait_for_task("host", run_id, "rehearsal")
    host = ours.staff["host"]

    log_in(page, host)
    expect(page.get_by_text("现在没有你的任务")).to_be_visible()

    # Their run's page, under their workspace or ours: not found, nothing of it shown.
    for ws in (theirs.ws, ours.ws):
        page.goto(f"/w/{ws}/runs/{run_id}")
        expect(page.get_by_role("alert").first).to_contain_text("找不到")
        expect(page.get_by_text("双11 直播")).to_have_count(0)
    page.goto(f"/w/{theirs.ws}/tasks/{task['id']}")
    expect(page.get_by_role("alert").first).to_contain_text("找不到")
    expect(page.get_by_text("主播彩排")).to_have_count(0)
    shoot(page, "24-other-workspace-run-not-found")

    # Acting through the API with the same browser session is refused the same way.
    statuses = page.evaluate(
        """async ([ws, other, run, task]) => {
            const csrf = (await (await fetch('/api/auth/csrf')).json()).csrf_token
            const post = (url, body) => fetch(url, {method: 'POST', body: JSON.stringify(body),
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf}})
            return [
                (await fetch(`/api/workspaces/${other}/runs/${run}`)).status,
                (await fetch(`/api/workspaces/${ws}/runs/${run}`)).status,
                (await post(`/api/workspaces/${other}/tasks/${task}/complete`, {})).status,
                (await post(`/api/workspaces/${ws}/tasks/${task}/claim`, {})).status,
                (await post(`/api/workspaces/${other}/runs/${run}/pause`, {})).status,
                (await fetch(`/api/workspaces/${other}/stream?run_id=${run}`)).status,
            ]
        }""",
        [ours.ws, theirs.ws, run_id, task["id"]],
    )
    assert statuses == [404] * 6
    assert theirs.wait_for_task("host", run_id, "rehearsal")["status"] == "open"
