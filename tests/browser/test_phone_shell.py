"""Staff on a phone (375 × 812): on their tasks, a task and the control room the top bar is
a compact bar with a menu (at most 64 px tall), every button and link is at least 44 px to
tap, and nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.run_steps import Crew
from tests.executor.conftest import Workers
from tests.factories import Factory

pytestmark = pytest.mark.browser

TOP_BAR_MAX = 64
TAP_MIN = 44

# Every visible thing a thumb taps: links, buttons, selects, text boxes and the labels of
# check boxes and radio buttons (the box itself is inside its label).
SMALL_TARGETS = """(min) => {
    const targets = document.querySelectorAll(
        'a[href], button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]),'
        + ' textarea, summary, [role=button], label:has(input[type=checkbox]),'
        + ' label:has(input[type=radio])')
    const small = []
    for (const el of targets) {
        if (el.closest('label:has(input[type=checkbox]), label:has(input[type=radio])') !== el
            && el.tagName === 'INPUT') continue
        const box = el.getBoundingClientRect()
        const style = getComputedStyle(el)
        if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue
        if (box.width < min || box.height < min)
            small.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.ariaLabel
                || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`)
    }
    return small
}"""


@pytest.fixture
def phone812(browser: Browser, live_server: str, app) -> Iterator[Page]:
    ctx = browser.new_context(
        base_url=live_server,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    tab = ctx.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    ctx.close()
    assert not errors, f"JavaScript errors on the phone: {errors}"


def expect_fits_a_thumb(tab: Page, name: str) -> None:
    top = tab.locator(".topbar").bounding_box()
    assert top and top["height"] <= TOP_BAR_MAX, f"{name}: top bar {top}"
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: scrolls sideways ({width} px)"
    small = tab.evaluate(SMALL_TARGETS, TAP_MIN)
    assert small == [], f"{name}: too small to tap: {small}"


def test_staff_pages_fit_a_phone(phone812: Page, factory: Factory, workers: Workers):
    crew = Crew(factory)
    run_id = crew.start_run(crew.publish())
    workers.start()
    crew.wait_for_task("operator", run_id, "final_check")

    log_in(phone812, crew.staff["operator"])
    card = phone812.get_by_role("link", name="开播前检查")
    expect(card).to_be_visible()
    expect_fits_a_thumb(phone812, "my tasks")
    shoot(phone812, "50-phone-my-tasks-375")

    # The menu holds the sections, the language and logging out.
    menu = phone812.get_by_role("button", name="菜单")
    menu.click()
    expect(phone812.get_by_role("link", name="运行", exact=True)).to_be_visible()
    expect_fits_a_thumb(phone812, "menu")
    shoot(phone812, "51-phone-menu-375")
    menu.click()
    expect(phone812.get_by_role("link", name="运行", exact=True)).to_be_hidden()

    card.click()
    expect(phone812.get_by_role("button", name="完成", exact=True)).to_be_visible()
    expect_fits_a_thumb(phone812, "a task")
    shoot(phone812, "52-phone-task-375")

    phone812.goto(f"/w/{crew.ws}/runs/{run_id}")
    expect(phone812.get_by_test_id("control-room")).to_be_visible()
    expect(phone812.get_by_test_id("show-clock")).to_contain_text("T\u2212")
    expect_fits_a_thumb(phone812, "control room")
    shoot(phone812, "53-phone-control-room-375")
