"""The live crew changes cues in the control room and everyone else's control room follows:
the operator skips one coupon push and shifts another; the manager's control room, in
another browser, shows both within a second without a reload. The cues themselves appear
there as soon as the coupon node starts (they used to wait for a reload)."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.run_steps import Crew
from tests.executor.conftest import Workers
from tests.factories import Factory

pytestmark = pytest.mark.browser

WITHIN_MS = 1_000
SHANGHAI = ZoneInfo("Asia/Shanghai")


def clock_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).strftime("%H:%M")


def seen_within(check, started: float) -> float:
    check()
    seen = time.monotonic() - started
    assert seen < WITHIN_MS / 1000, f"the other control room took {seen:.2f} s"
    return seen


def test_operator_skips_and_shifts_cues_and_the_manager_sees_both(
    page: Page, laptop: Page, factory: Factory, workers: Workers
):
    second = laptop  # the manager's
    crew = Crew(factory)
    run_id = crew.start_run(crew.publish())
    workers.start()
    room = f"/w/{crew.ws}/runs/{run_id}"

    # The manager follows the run before the show starts: no cues planned yet.
    log_in(second, crew.manager)
    second.goto(room)
    expect(second.get_by_test_id("cues")).to_contain_text("没有待发的提示")
    clock = second.get_by_test_id("show-clock")
    expect(clock).to_contain_text("T\u2212")
    assert ":" in clock.inner_text() and "T\u22121:" in clock.inner_text()

    # The show opens: the coupon node starts and plans its pushes; the manager sees them.
    crew.complete("host", run_id, "rehearsal", checklist={"script": True, "price": True})
    crew.complete("operator", run_id, "final_check", checklist={"links": True})
    crew.complete("host", run_id, "opening")
    crew.wait_for_node(run_id, "coupon", "ready")
    cues = crew.manager.client().get(crew.url(f"/runs/{run_id}/cues")).get_json()
    assert len(cues) == 3, cues
    first, second_cue = cues[0], cues[1]
    for cue in cues:
        expect(second.get_by_test_id(f"cue-{cue['id']}")).to_have_attribute("data-state", "planned")
    expect(second.get_by_test_id(f"cue-{first['id']}")).to_contain_text("后")

    # The operator, in the control room on a laptop, skips the first push ...
    log_in(page, crew.staff["operator"])
    page.goto(room)
    page.get_by_role("button", name="跳过「推送优惠券」").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("原因").fill("库存不足")
    dialog.get_by_role("button", name="跳过", exact=True).click()
    started = time.monotonic()
    expect(page.get_by_test_id("toast").last).to_contain_text("已跳过这次提示")
    skipped = second.get_by_test_id(f"cue-{first['id']}")
    seen = seen_within(
        lambda: expect(skipped).to_have_attribute("data-state", "skipped", timeout=WITHIN_MS),
        started,
    )
    print(f"the manager saw the skip after {seen:.2f} s")
    expect(skipped).to_contain_text("已跳过")
    assert "line-through" in skipped.locator(".cue__title").evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )

    # ... and moves the second one five minutes later.
    page.get_by_role("button", name="顺延「推送优惠券」").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("+5 分钟").check()
    dialog.get_by_label("原因").fill("主播讲解超时")
    dialog.get_by_role("button", name="顺延", exact=True).click()
    started = time.monotonic()
    expect(page.get_by_test_id("toast").last).to_contain_text("已推迟 5 分钟")
    shifted = crew.manager.client().get(crew.url(f"/runs/{run_id}/cues")).get_json()[1]
    assert shifted["id"] == second_cue["id"] and shifted["fire_at"] != second_cue["fire_at"]
    moved = second.get_by_test_id(f"cue-{second_cue['id']}").locator(".cue__time")
    seen = seen_within(
        lambda: expect(moved).to_have_text(clock_time(shifted["fire_at"]), timeout=WITHIN_MS),
        started,
    )
    print(f"the manager saw the shift after {seen:.2f} s")
    assert clock_time(shifted["fire_at"]) != clock_time(second_cue["fire_at"])
    shoot(second, "60-control-room-cues-manager")
    shoot(page, "61-control-room-cues-operator")
