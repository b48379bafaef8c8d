"""The host's run day on a phone: before their first task opens they see what is coming and
when (即将到来, and the empty state naming the next step); the first task appears live as
the others finish theirs; they complete one, report a problem on another, and find the
completed one under 今天已完成. And a manager approves and rejects from the task page."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.run_steps import Crew, task
from tests.executor.conftest import Workers, graph_of
from tests.factories import Factory

pytestmark = pytest.mark.browser

# Three other roles prepare before the host's first step; the host has three steps.
STEPS = [
    ("room", "operator", "pre_event", -120, "直播间布置", {}),
    ("lights", "controller", "pre_event", -100, "灯光调试", {}),
    ("samples", "assistant", "pre_event", -80, "备好样品", {}),
    (
        "rehearsal",
        "host",
        "pre_event",
        -60,
        "主播彩排",
        {"checklist": [{"id": "script", "text": "熟悉脚本"}, {"id": "price", "text": "熟悉价格"}]},
    ),
    ("warmup", "host", "pre_event", -30, "开播预热", {}),
    ("opening", "host", "execution", 0, "开场暖场", {}),
]


HOST_DAY = graph_of(
    [
        task(i, role, phase, offset, title, **extra)
        for i, role, phase, offset, title, extra in STEPS
    ],
    list(pairwise(["start", *(step[0] for step in STEPS), "end"])),
)


def my_tasks(tab: Page) -> None:
    """On a phone the sections are in the top bar's menu."""
    tab.get_by_role("button", name="菜单").click()
    tab.get_by_role("link", name="我的任务", exact=True).click()


def _no_sideways_scroll(tab: Page) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_host_sees_what_is_coming_then_works_their_tasks(
    tall_phone: Page, factory: Factory, workers: Workers
):
    phone = tall_phone
    crew = Crew(factory)
    run_id = crew.start_run(crew.publish(HOST_DAY, "主播的一天"))
    workers.start()
    crew.wait_for_task("operator", run_id, "room")

    # Nothing of the host's is open: the inbox names the next step, when, against go-live.
    log_in(phone, crew.staff["host"])
    expect(phone.get_by_test_id("inbox-empty")).to_contain_text("现在还没有轮到你的任务")
    expect(phone.get_by_test_id("inbox-next")).to_have_text(
        re.compile(r"下一项：「主播彩排」(今天|明天) \d\d:\d\d（T−1小时）")
    )
    coming = phone.locator(".inbox-section--upcoming")
    expect(coming.get_by_role("heading", name=re.compile("即将到来"))).to_be_visible()
    expect(coming.locator("li")).to_have_count(3)
    first = phone.get_by_test_id(f"upcoming-{run_id}-rehearsal")
    expect(first).to_contain_text("主播彩排")
    expect(first).to_contain_text("主播")
    expect(first).to_have_text(re.compile(r"\d\d:\d\d · T−1小时$"))
    expect(phone.get_by_test_id(f"upcoming-{run_id}-warmup")).to_contain_text("T−30 分钟")
    expect(phone.get_by_test_id(f"upcoming-{run_id}-opening")).to_contain_text("T0")
    expect(coming.get_by_role("button")).to_have_count(0)  # not open yet: nothing to press
    expect(coming.get_by_role("link", name="主播彩排")).to_have_count(0)
    expect(phone.get_by_text("灯光调试")).to_have_count(0)  # another role's step
    _no_sideways_scroll(phone)
    shoot(phone, "40-host-upcoming-375px")

    # The others finish their steps; the host's first task opens on the phone, live.
    crew.complete("operator", run_id, "room")
    crew.complete("controller", run_id, "lights")
    crew.complete("assistant", run_id, "samples")
    card = phone.get_by_role("link", name=re.compile("主播彩排"))
    expect(card).to_be_visible(timeout=15_000)
    expect(phone.get_by_test_id(f"upcoming-{run_id}-rehearsal")).to_have_count(0)
    expect(coming.locator("li")).to_have_count(2)
    expect(phone.get_by_test_id("inbox-empty")).to_have_count(0)
    _no_sideways_scroll(phone)
    shoot(phone, "41-host-first-task-live-375px")

    # The host ticks the checklist and completes it.
    card.click()
    phone.get_by_label("熟悉脚本").check()
    phone.get_by_label("熟悉价格").check()
    phone.get_by_role("button", name="完成", exact=True).click()
    expect(phone.get_by_test_id("toast").last).to_contain_text("已完成「主播彩排」")

    # The next one opens; the host reports a problem on it, with a note.
    my_tasks(phone)
    warmup = phone.get_by_role("link", name=re.compile("开播预热"))
    expect(warmup).to_be_visible(timeout=15_000)
    warmup.click()
    phone.get_by_role("button", name="报告问题").click()
    dialog = phone.get_by_test_id("problem-dialog")
    dialog.get_by_label("出了什么问题？").fill("声卡没有声音，正在换备用设备")
    dialog.get_by_role("button", name="报告", exact=True).click()
    expect(phone.get_by_test_id("toast").last).to_contain_text("问题已报告")
    shoot(phone, "42-host-problem-reported-375px")

    # Back in the list: the blocked task, what is still coming, and what was done today.
    my_tasks(phone)
    expect(phone.get_by_role("link", name=re.compile("开播预热"))).to_contain_text("有问题")
    done = phone.get_by_test_id("inbox-done-today")
    expect(done).to_contain_text("今天已完成")
    done.locator("summary").click()
    done_link = done.get_by_role("link", name=re.compile("主播彩排"))
    expect(done_link).to_be_visible()
    expect(done_link).to_contain_text("完成")
    expect(coming.locator("li")).to_have_count(1)
    _no_sideways_scroll(phone)
    done.scroll_into_view_if_needed()
    shoot(phone, "43-host-done-today-375px")
    done_link.click()
    expect(phone.get_by_text("熟悉脚本")).to_be_visible()  # the finished task, read-only
    _no_sideways_scroll(phone)


def _approval(node_id: str, title: str) -> dict:
    return {
        "id": node_id,
        "kind": "approval",
        "phase": "pre_event",
        "title": title,
        "role": "manager",
        "offset_minutes": -90,
        "duration_minutes": 15,
        "settings": {"instructions": "看一下再决定"},
    }


SIGN_OFFS = graph_of(
    [_approval("script_ok", "审批脚本"), _approval("price_ok", "审批价格")],
    [("start", "script_ok"), ("start", "price_ok"), ("script_ok", "end"), ("price_ok", "end")],
)


def _decide(page: Page, title: str, choice: str, note: str) -> dict:
    """Open the approval, choose, note, submit; the request body the page sent."""
    page.get_by_role("link", name=re.compile(title)).click()
    page.get_by_label(choice, exact=True).check()
    page.get_by_label("备注（可选）").fill(note)
    with page.expect_request(re.compile(r"/tasks/\d+/complete$")) as sent:
        page.get_by_role("button", name="提交决定").click()
    return sent.value.post_data_json


def test_a_manager_approves_and_rejects_with_a_note(page: Page, factory: Factory, workers: Workers):
    crew = Crew(factory)
    run_id = crew.start_run(
        crew.publish(SIGN_OFFS, "审批"), more_roles={"manager": [crew.manager.user_id]}
    )
    workers.start()

    log_in(page, crew.manager)
    page.goto(f"/w/{crew.ws}/tasks")
    sent = _decide(page, "审批脚本", "通过", "脚本没问题")
    assert sent == {"approved": True, "note": "脚本没问题"}
    expect(page.get_by_test_id("toast").last).to_contain_text("已通过「审批脚本」")
    sent = _decide(page, "审批价格", "驳回", "价格太低，重新谈")
    assert sent == {"approved": False, "note": "价格太低，重新谈"}
    expect(page.get_by_test_id("toast").last).to_contain_text("已驳回「审批价格」")

    # Each decision shows as it was taken, from today's done list.
    done = page.get_by_test_id("inbox-done-today")
    done.locator("summary").click()
    expect(done.get_by_role("link")).to_have_count(2)
    for title, outcome, note in (
        ("审批脚本", "通过", "脚本没问题"),
        ("审批价格", "驳回", "价格太低"),
    ):
        done.get_by_role("link", name=re.compile(title)).click()
        result = page.get_by_label("完成结果")
        expect(result).to_contain_text(f"审批决定{outcome}")
        expect(result).to_contain_text(note)
    shoot(page, "44-manager-rejected-approval")
    crew.wait_for_status(run_id, "completed")
    tasks = crew.manager.client().get(crew.url("/tasks"), query_string={"run_id": run_id})
    results = {t["node_id"]: t for t in tasks.get_json()}
    assert {n: t["status"] for n, t in results.items()} == {
        "script_ok": "done",
        "price_ok": "done",
    }
