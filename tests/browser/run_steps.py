"""A live stream's crew and its run, set up through the API, for the run pages' browser tests:
a planner, a manager and four staff (主播 host, 助播 assistant, 中控 operator, 场控
controller), a short runbook, a started run, and helpers to wait for the executor."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page

from tests.executor.conftest import Workers
from tests.factories import Factory, Person

STAFF_ROLES = ("host", "assistant", "operator", "controller")


def task(node_id: str, role: str, phase: str, offset: int, title: str, **settings) -> dict:
    return {
        "id": node_id,
        "kind": "task",
        "phase": phase,
        "title": title,
        "role": role,
        "offset_minutes": offset,
        "duration_minutes": 10,
        "settings": {
            "checklist": settings.get("checklist", []),
            "required_fields": settings.get("fields", []),
            "metric_fields": settings.get("metrics", []),
        },
    }


# Before the show the host rehearses while the operator checks the room; then the show
# opens, a coupon cue repeats, and the host records the figures for the review.
SHOW = {
    "format": 1,
    "variables": [
        {"key": "gmv_target", "type": "number", "label": "GMV 目标", "default": 100000},
    ],
    "nodes": [
        {"id": "start", "kind": "start", "phase": "pre_event", "title": "开始"},
        task(
            "rehearsal",
            "host",
            "pre_event",
            -60,
            "主播彩排",
            checklist=[{"id": "script", "text": "熟悉脚本"}, {"id": "price", "text": "熟悉价格"}],
        ),
        task(
            "final_check",
            "operator",
            "pre_event",
            -30,
            "开播前检查",
            checklist=[{"id": "links", "text": "商品链接已预设"}],
        ),
        task("opening", "host", "execution", 0, "开场暖场"),
        {
            "id": "coupon",
            "kind": "recurring",
            "phase": "execution",
            "title": "推送优惠券",
            "role": "operator",
            "offset_minutes": 10,
            "duration_minutes": 1,
            "settings": {"every_minutes": 20, "count": 3, "cue": "推券"},
        },
        task(
            "figures",
            "host",
            "review",
            60,
            "销售数据复盘",
            metrics=[
                {
                    "key": "gmv",
                    "label": "GMV",
                    "unit": "元",
                    "type": "money",
                    "target_variable": "gmv_target",
                },
                {"key": "orders", "label": "订单数", "unit": "单", "type": "integer"},
            ],
        ),
        {"id": "end", "kind": "end", "phase": "review", "title": "结束"},
    ],
    "edges": [
        {"id": f"e{i}", "source": source, "target": target}
        for i, (source, target) in enumerate(
            [
                ("start", "rehearsal"),
                ("start", "final_check"),
                ("rehearsal", "opening"),
                ("final_check", "opening"),
                ("opening", "coupon"),
                ("opening", "figures"),
                ("coupon", "figures"),
                ("figures", "end"),
            ]
        )
    ],
}


class Crew:
    """One workspace's live-stream team, acting through the API with their tokens."""

    def __init__(self, factory: Factory, name: str = "示范直播间") -> None:
        self.ws = factory.workspace(name)
        self.planner = factory.person(self.ws, "planner")
        self.manager = factory.person(self.ws, "manager")
        self.staff: dict[str, Person] = {
            role: factory.person(self.ws, "staff", email=f"{role}{self.ws}@cueflow.test")
            for role in STAFF_ROLES
        }

    def url(self, rest: str) -> str:
        return f"/api/workspaces/{self.ws}{rest}"

    def publish(self, graph: dict = SHOW, name: str = "小场直播") -> int:
        api = self.planner.client()
        created = api.post(self.url("/runbooks"), json={"name": name, "graph": graph})
        assert created.status_code == 201, created.get_json()
        runbook_id = created.get_json()["id"]
        published = api.post(self.url(f"/runbooks/{runbook_id}/publish"), json={})
        assert published.status_code == 201, published.get_json()
        return runbook_id

    def start_run(
        self,
        runbook_id: int,
        *,
        go_live_in: timedelta = timedelta(hours=2),
        more_roles: dict[str, list[int]] | None = None,
    ) -> int:
        """A started run, every staff member in their role (and `more_roles` too)."""
        roster = {role: [person.user_id] for role, person in self.staff.items()}
        body = {
            "runbook_id": runbook_id,
            "name": "双11 直播",
            "go_live": (datetime.now(UTC) + go_live_in).isoformat(),
            "roster": {**roster, **(more_roles or {})},
            "start": True,
        }
        answer = self.planner.client().post(self.url("/runs"), json=body)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["id"]

    def open_tasks(self, role: str, run_id: int) -> list[dict]:
        answer = (
            self.staff[role]
            .client()
            .get(self.url("/tasks"), query_string={"mine": "true", "run_id": run_id})
        )
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    def wait_for_task(self, role: str, run_id: int, node_id: str, timeout: float = 15) -> dict:
        """The task of `node_id` once the executor has handed it to `role`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for found in self.open_tasks(role, run_id):
                if found["node_id"] == node_id:
                    return found
            time.sleep(0.1)
        raise AssertionError(f"no task {node_id} for {role} after {timeout} s")

    def complete(self, role: str, run_id: int, node_id: str, **payload) -> None:
        found = self.wait_for_task(role, run_id, node_id)
        answer = (
            self.staff[role].client().post(self.url(f"/tasks/{found['id']}/complete"), json=payload)
        )
        assert answer.status_code == 200, answer.get_json()

    def run(self, run_id: int) -> dict:
        return self.manager.client().get(self.url(f"/runs/{run_id}")).get_json()

    def wait_for_node(self, run_id: int, node_id: str, state: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            nodes = {n["node_id"]: n for n in self.run(run_id)["nodes"]}
            if nodes[node_id]["state"] == state:
                return
            time.sleep(0.1)
        raise AssertionError(f"{node_id} of run {run_id} did not become {state}")

    def wait_for_status(self, run_id: int, status: str, timeout: float = 15) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.run(run_id)
            if run["status"] == status:
                return run
            time.sleep(0.1)
        raise AssertionError(f"run {run_id} is {self.run(run_id)['status']}, not {status}")


def finish_show(crew: Crew, run_id: int, workers: Workers) -> None:
    """Everyone does their part: the run reaches its end and completes."""
    crew.complete("host", run_id, "rehearsal", checklist={"script": True, "price": True})
    crew.complete("operator", run_id, "final_check", checklist={"links": True})
    crew.complete("host", run_id, "opening")
    crew.wait_for_node(run_id, "coupon", "ready")
    cues = crew.manager.client().get(crew.url(f"/runs/{run_id}/cues")).get_json()
    assert cues, "the coupon pushes were planned"
    for cue in cues:  # the live crew drops the coupon pushes: out of stock
        answer = (
            crew.staff["operator"]
            .client()
            .post(crew.url(f"/runs/{run_id}/cues/{cue['id']}/skip"), json={"reason": "库存不足"})
        )
        assert answer.status_code == 200, answer.get_json()
    crew.complete("host", run_id, "figures", metrics={"gmv": 123456.5, "orders": 321})
    crew.wait_for_status(run_id, "completed")
    workers.drain()


def sign_off(page: Page, summary: str) -> None:
    """On the post-mortem page: write the summary and sign the post-mortem off."""
    page.get_by_label("复盘总结").fill(summary)
    page.get_by_role("button", name="签字确认").click()
    page.get_by_role("dialog", name="签字确认复盘？").get_by_role(
        "button", name="签字", exact=True
    ).click()
