"""The whole built-in live-stream runbook (直播 SOP), from its first step to its end, with
every task done by its own person in their own browser: planners plan, the manager
approves and signs, the host, assistant, operator, controller, community, designer,
content, service and data staff tick off their steps. The show's timers and cues are the
executor's (go-live lies behind us, so they fire as soon as their step opens)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from engine.templates import load_template, roles_of
from tests.browser.conftest import log_in, shoot
from tests.executor.conftest import Workers
from tests.factories import Factory, Person

pytestmark = pytest.mark.browser

ROLES = roles_of("live_stream")  # planner, manager, host, assistant, operator, …
WORKSPACE_ROLE = {"planner": "planner", "manager": "manager"}
HUMAN = ("task", "approval")


def _people(factory: Factory) -> dict[str, Person]:
    ws = factory.workspace("示范直播间")
    return {
        role: factory.person(ws, WORKSPACE_ROLE.get(role, "staff"), email=f"{role}@show.test")
        for role in ROLES
    }


def _start_show(people: dict[str, Person]) -> tuple[int, int]:
    planner = people["planner"].client()
    ws = people["planner"].workspace_id
    created = planner.post(
        f"/api/workspaces/{ws}/runbooks", json={"name": "直播 SOP", "template": "live_stream"}
    )
    assert created.status_code == 201, created.get_json()
    runbook_id = created.get_json()["id"]
    assert (
        planner.post(f"/api/workspaces/{ws}/runbooks/{runbook_id}/publish", json={}).status_code
        == 201
    )
    run = planner.post(
        f"/api/workspaces/{ws}/runs",
        json={
            "runbook_id": runbook_id,
            "name": "周五晚直播",
            "go_live": (datetime.now(UTC) - timedelta(hours=4)).isoformat(),
            "roster": {role: [person.user_id] for role, person in people.items()},
            "start": True,
        },
    )
    assert run.status_code == 201, run.get_json()
    return ws, run.get_json()["id"]


class Desk:
    """One person's browser, logged in through the login page."""

    def __init__(self, browser: Browser, base_url: str, person: Person) -> None:
        self.person = person
        self.context: BrowserContext = browser.new_context(
            base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        self.context.set_default_timeout(10_000)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        log_in(self.page, person)

    def do(self, task: dict) -> None:
        """Open the task from the inbox, fill what it asks for and complete it."""
        page = self.page
        page.goto(f"/w/{self.person.workspace_id}/tasks")
        page.get_by_role("link", name=re.compile(re.escape(task["title"]))).first.click()
        expect(page.get_by_role("heading", name=task["title"])).to_be_visible()
        node = task["node"]
        settings = node["settings"]
        if node["kind"] == "approval":
            page.get_by_role("radio", name="通过").check()
            page.get_by_role("button", name="提交决定").click()
        else:
            for item in settings.get("checklist", []):
                page.get_by_label(item["text"], exact=True).check()
            for field in settings.get("required_fields", []):
                page.get_by_label(field["label"], exact=True).fill(
                    "120" if field["type"] == "number" else f"已完成：{field['label']}"
                )
            for metric in settings.get("metric_fields", []):
                page.get_by_label(metric["label"], exact=True).fill("36")
            page.get_by_role("button", name="完成", exact=True).click()
        expect(page.get_by_test_id("toast").last).to_contain_text(task["title"])

    def close(self) -> list[str]:
        self.context.close()
        return self.errors


def _open_tasks(people: dict[str, Person], run_id: int) -> list[tuple[str, dict]]:
    found = []
    for role, person in people.items():
        client = person.client()
        url = f"/api/workspaces/{person.workspace_id}/tasks"
        for task in client.get(url, query_string={"mine": "true", "run_id": run_id}).get_json():
            if task["status"] in ("open", "claimed"):
                found.append((role, client.get(f"{url}/{task['id']}").get_json()))
    return found


def test_the_whole_live_stream_runbook_done_in_the_browser(
    browser: Browser, live_server: str, page: Page, factory: Factory, workers: Workers
):
    people = _people(factory)
    ws, run_id = _start_show(people)
    workers.start()
    desks = {role: Desk(browser, live_server, person) for role, person in people.items()}
    manager = people["manager"].client()
    done: list[str] = []
    deadline = time.monotonic() + 240
    try:
        while (
            manager.get(f"/api/workspaces/{ws}/runs/{run_id}").get_json()["status"] != "completed"
        ):
            assert time.monotonic() < deadline, f"the show stalled after {done}"
            tasks = _open_tasks(people, run_id)
            if not tasks:
                time.sleep(0.2)  # the executor is moving the run on
                continue
            for role, task in tasks:
                desks[role].do(task)
                done.append(task["node_id"])
            if "rehearsal" in done and "opening" not in done:
                shoot(desks["host"].page, "60-whole-show-host")
    finally:
        errors = {role: desk.close() for role, desk in desks.items()}
    assert not any(errors.values()), errors
    human = [n["id"] for n in load_template("live_stream")["nodes"] if n["kind"] in HUMAN]
    assert sorted(done) == sorted(human)  # every human step, once each

    # The manager reads the post-mortem of the show just done.
    log_in(page, people["manager"])
    page.goto(f"/w/{ws}/runs/{run_id}/review")
    expect(page.get_by_role("heading", name=re.compile("周五晚直播"))).to_be_visible()
    expect(page.get_by_text(re.compile(rf"^{len(human)} 个任务中"))).to_be_visible()  # all judged
    shoot(page, "61-whole-show-post-mortem")
