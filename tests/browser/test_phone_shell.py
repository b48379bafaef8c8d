"""Staff on a phone (375 × 812): on their tasks, a task and the control room the top bar is
a compact bar with a menu (at most 64 px tall), every button and link is at least 44 px to
tap, and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

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


def expect_fits_a_thumb(tab: Page, name: str) -> None:
    top = tab.locator(".topbar").bounding_box()
    assert top and top["height"] <= TOP_BAR_MAX, f"{name}: top bar {top}"
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: scrolls sideways ({width} px)"
    small = tab.evaluate(SMALL_TARGETS, TAP_MIN)
    assert small == [], f"{name}: too small to tap: {small}"


def test_staff_pages_fit_a_phone(tall_phone: Page, factory: Factory, workers: Workers):
    crew = Crew(factory)
    run_id = crew.start_run(crew.publish())
    workers.start()
    crew.wait_for_task("operator", run_id, "final_check")

    log_in(tall_phone, crew.staff["operator"])
    card = tall_phone.get_by_role("link", name="开播前检查")
    expect(card).to_be_visible()
    expect_fits_a_thumb(tall_phone, "my tasks")
    shoot(tall_phone, "50-phone-my-tasks-375")

    # The menu holds the sections, the language and logging out.
    menu = tall_phone.get_by_role("button", name="菜单")
    menu.click()
    expect(tall_phone.get_by_role("link", name="运行", exact=True)).to_be_visible()
    expect_fits_a_thumb(tall_phone, "menu")
    shoot(tall_phone, "51-phone-menu-375")
    menu.click()
    expect(tall_phone.get_by_role("link", name="运行", exact=True)).to_be_hidden()
    menu.click()  # choosing the section already shown closes the menu too
    tall_phone.get_by_role("link", name="我的任务", exact=True).click()
    expect(tall_phone.get_by_role("link", name="运行", exact=True)).to_be_hidden()

    card.click()
    expect(tall_phone.get_by_role("button", name="完成", exact=True)).to_be_visible()
    expect_fits_a_thumb(tall_phone, "a task")
    shoot(tall_phone, "52-phone-task-375")

    tall_phone.goto(f"/w/{crew.ws}/runs/{run_id}")
    expect(tall_phone.get_by_test_id("control-room")).to_be_visible()
    expect(tall_phone.get_by_test_id("show-clock")).to_contain_text("T\u2212")
    expect_fits_a_thumb(tall_phone, "control room")
    shoot(tall_phone, "53-phone-control-room-375")
