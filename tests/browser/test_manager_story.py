"""A manager steers a run in the browser: approves one approval and rejects another (the
decision follows the rejection), reassigns a task to someone outside its role from the
control room, skips one with a reason, reads the audit trail as sentences and searches
it, and signs the post-mortem off. A planner then plans the runbook's next run from the
last one's roster."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, shoot
from tests.browser.run_steps import Crew, sign_off, task
from tests.executor.conftest import Workers
from tests.factories import Factory

pytestmark = pytest.mark.browser


def approval(node_id: str, title: str, **settings) -> dict:
    return {
        "id": node_id,
        "kind": "approval",
        "phase": "pre_event",
        "title": title,
        "role": "manager",
        "duration_minutes": 10,
        "settings": {"instructions": f"请审核：{title}", **settings},
    }


# Two approvals: the venue's rejection records `venue_ok = false`, and the decision
# after it opens the backup venue instead of the usual set-up.
MANAGED = {
    "format": 1,
    "variables": [{"key": "venue_ok", "type": "bool", "label": "场地可用", "default": True}],
    "nodes": [
        {"id": "start", "kind": "start", "phase": "pre_event", "title": "开始"},
        approval("script_ok", "脚本审批"),
        approval("venue_ok", "场地审批", sets_variable="venue_ok"),
        {"id": "venue", "kind": "decision", "phase": "pre_event", "title": "场地可用?"},
        task("backup", "operator", "pre_event", -60, "启用备用场地"),
        task("setup", "operator", "pre_event", -60, "正常布置场地"),
        task("poster", "assistant", "pre_event", -90, "海报设计"),
        task("rehearsal", "host", "pre_event", -30, "主播彩排"),
        {"id": "end", "kind": "end", "phase": "review", "title": "结束"},
    ],
    "edges": [
        {"id": f"e{i}", "source": source, "target": target, **extra}
        for i, (source, target, extra) in enumerate(
            [
                ("start", "script_ok", {}),
                ("script_ok", "venue_ok", {}),
                ("venue_ok", "venue", {}),
                ("venue", "backup", {"condition": {"var": "venue_ok", "op": "==", "value": False}}),
                ("venue", "setup", {"is_default": True}),
                ("start", "poster", {}),
                ("backup", "rehearsal", {}),
                ("setup", "rehearsal", {}),
                ("poster", "rehearsal", {}),
                ("rehearsal", "end", {}),
            ]
        )
    ],
}


def first_run(crew: Crew, runbook_id: int) -> int:
    roster = {role: [person.user_id] for role, person in crew.staff.items()}
    roster["manager"] = [crew.manager.user_id]
    body = {
        "runbook_id": runbook_id,
        "name": "新品首发",
        "go_live": (datetime.now(UTC) + timedelta(hours=3)).isoformat(),
        "roster": roster,
        "start": True,
    }
    answer = crew.planner.client().post(crew.url("/runs"), json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def names_of(crew: Crew) -> dict[int, str]:
    members = crew.manager.client().get(crew.url("/members")).get_json()
    return {m["user_id"]: m["name"] for m in members}


def open_task(crew: Crew, run_id: int, node_id: str, timeout: float = 15) -> dict:
    """The open task of `node_id`, once the executor has handed it out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = crew.manager.client().get(
            crew.url("/tasks"), query_string={"run_id": run_id, "status": "open"}
        )
        for found in answer.get_json():
            if found["node_id"] == node_id:
                return found
        time.sleep(0.1)
    raise AssertionError(f"no open task {node_id} after {timeout} s")


def decide(page: Page, crew: Crew, run_id: int, node_id: str, choice: str, note: str = "") -> None:
    """The manager opens the approval's task page and approves or rejects it."""
    found = open_task(crew, run_id, node_id)
    page.goto(f"/w/{crew.ws}/tasks/{found['id']}")
    panel = page.get_by_test_id("task-panel")
    expect(panel.get_by_role("heading", name=found["title"])).to_be_visible()
    panel.get_by_label(choice, exact=True).check()
    if note:
        panel.get_by_label("备注（可选）").fill(note)
    page.get_by_test_id("complete-button").click()
    expect(page).to_have_url(re.compile(rf"/w/{crew.ws}/tasks$"))


def test_a_manager_steers_a_run_and_reads_its_audit_trail(
    page: Page, factory: Factory, workers: Workers
):
    crew = Crew(factory)
    run_id = first_run(crew, crew.publish(MANAGED, name="新品发布"))
    workers.start()
    names = names_of(crew)
    boss = names[crew.manager.user_id]
    controller = names[crew.staff["controller"].user_id]

    log_in(page, crew.manager)
    decide(page, crew, run_id, "script_ok", "通过")
    shoot(page, "40-manager-approved")
    decide(page, crew, run_id, "venue_ok", "驳回", "场地漏水，改用备用场地")
    crew.wait_for_node(run_id, "backup", "ready")
    nodes = {n["node_id"]: n["state"] for n in crew.run(run_id)["nodes"]}
    assert nodes["setup"] == "skipped" and nodes["backup"] == "ready"

    # From the control room: the poster goes to the controller, who does not hold 助播.
    page.goto(f"/w/{crew.ws}/runs/{run_id}")
    room = page.get_by_test_id("control-room")
    expect(room.get_by_test_id("role-operator")).to_contain_text("启用备用场地")
    expect(room.get_by_test_id("role-operator")).not_to_contain_text("正常布置场地")
    room.get_by_role("button", name="管理「海报设计」").click()
    dialog = page.get_by_test_id("manage-dialog")
    dialog.get_by_role("button", name="改派").click()
    expect(dialog.get_by_test_id("pick-holders")).to_have_count(0)  # the holder has it now
    dialog.get_by_test_id("pick-others").get_by_label(controller, exact=True).check()
    dialog.get_by_label("备注（可选）").fill("助播请假")
    shoot(page, "41-manager-reassigns-from-control-room")
    dialog.get_by_role("button", name="改派", exact=True).last.click()
    expect(dialog).to_have_count(0)
    expect(room.get_by_test_id("role-assistant")).to_contain_text(controller)

    # The rehearsal is skipped with a reason, from its task page.
    crew.complete("operator", run_id, "backup")
    crew.complete("controller", run_id, "poster")
    rehearsal = crew.wait_for_task("host", run_id, "rehearsal")
    page.goto(f"/w/{crew.ws}/tasks/{rehearsal['id']}")
    page.get_by_test_id("manage-skip").click()
    dialog = page.get_by_test_id("manage-dialog")
    confirm = dialog.get_by_role("button", name="跳过任务")
    expect(confirm).to_be_disabled()  # a skip needs its reason
    dialog.get_by_label("理由（必填）").fill("主播临时改为线上彩排")
    shoot(page, "42-manager-skips-with-reason")
    confirm.click()
    expect(page.get_by_test_id("task-status")).to_have_text("已跳过")
    crew.wait_for_status(run_id, "completed")

    # The audit trail reads as sentences, in Chinese, with names and titles.
    page.get_by_role("link", name="审计").click()
    events = page.get_by_test_id("audit-events")
    expect(events).to_contain_text(f"{boss} 跳过了「主播彩排」：主播临时改为线上彩排")
    expect(events).to_contain_text(f"{boss} 把「海报设计」改派给 {controller}：助播请假")
    expect(events).to_contain_text(f"{boss} 驳回了「场地审批」：场地漏水，改用备用场地")
    expect(events).to_contain_text(f"{boss} 批准了「脚本审批」")
    expect(events).not_to_contain_text("task.skip")
    shoot(page, "43-audit-sentences")
    page.get_by_label("搜索").fill("海报")
    sentences = events.get_by_test_id("audit-sentence")
    expect(sentences.first).to_contain_text("海报设计")
    for text in sentences.all_inner_texts():
        assert "海报设计" in text, text
    page.get_by_label("类型").select_option(label="任务")
    expect(sentences).to_have_count(3)  # handed out, reassigned, completed
    shoot(page, "44-audit-search")

    # The post-mortem is signed off.
    page.goto(f"/w/{crew.ws}/runs/{run_id}/review")
    sign_off(page, "场地审批驳回后改用备用场地，流程按分支走通。")
    expect(page.get_by_test_id("report-status")).to_contain_text("已签字")
    shoot(page, "45-manager-signed-off")


def test_a_planner_plans_the_next_run_from_the_last_roster(page: Page, factory: Factory):
    crew = Crew(factory)
    runbook_id = crew.publish(MANAGED, name="新品发布")
    first_run(crew, runbook_id)
    names = names_of(crew)
    host, assistant = crew.staff["host"], crew.staff["assistant"]
    operator, controller = crew.staff["operator"], crew.staff["controller"]

    log_in(page, crew.planner)
    page.goto(f"/w/{crew.ws}/runs/new?runbook={runbook_id}")
    expect(page.get_by_test_id("roster-prefilled")).to_contain_text("新品首发")
    for role in ("host", "assistant", "operator"):  # the roles this runbook needs
        expect(page.get_by_test_id(f"cast-{role}")).to_contain_text(names[crew.staff[role].user_id])
    expect(page.get_by_test_id("cast-manager")).to_contain_text(names[crew.manager.user_id])
    expect(page.get_by_test_id("cast-controller")).to_have_count(0)
    shoot(page, "46-plan-prefilled")

    # The operator's part goes to the controller; the assistant also hosts.
    cast_operator = page.get_by_test_id("cast-operator")
    cast_operator.get_by_role("button", name=f"从中控/运营移除 {names[operator.user_id]}").click()
    page.get_by_label("添加到中控/运营").select_option(label=names[controller.user_id])
    roles = page.get_by_test_id("person-roles")
    roles.locator("select").select_option(label=names[assistant.user_id])
    roles.get_by_role("button", name="主播").click()
    expect(roles.get_by_role("button", name="助播")).to_have_attribute("aria-pressed", "true")
    expect(roles.get_by_role("button", name="主播")).to_have_attribute("aria-pressed", "true")
    page.get_by_label("名称").fill("新品第二场")
    shoot(page, "47-plan-edited")
    page.get_by_role("button", name="计划并开始").click()
    expect(page).to_have_url(re.compile(rf"/w/{crew.ws}/runs/\d+$"))
    run = crew.run(int(page.url.rsplit("/", 1)[1]))
    cast = {(r["role"], r["user_id"]) for r in run["roster"]}
    assert cast == {
        ("host", host.user_id),
        ("host", assistant.user_id),
        ("assistant", assistant.user_id),
        ("operator", controller.user_id),
        ("manager", crew.manager.user_id),
    }
    assert run["name"] == "新品第二场" and run["status"] == "running"
