"""Notifications from runs reach the workspace's channels through real RQ workers: a notify
node's message with its variables, reminders merged into digests within a robot's budget,
retries with backoff, and a delivery job delivered 200 times sending each message once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.executor import jobs
from engine.executor.deliveries import deliver_channel, notify
from engine.model.events import EventKind
from engine.notify.message import Category, Message
from engine.notify.settings import notify_settings_from_env
from engine.notify.webhook import verify_signature
from engine.store.notify import Delivery, DeliveryAttempt, DeliveryStatus
from engine.store.runs import Event, Run
from tests.executor.conftest import graph_of, task_node
from tests.notify.conftest import Receiver, _serve


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from _serve(Receiver())


def _channel(crew, admin, kind: str, config: dict, categories=None) -> dict:
    body = {"kind": kind, "name": f"{kind} 群", "config": config}
    if categories is not None:
        body["categories"] = categories
    response = admin.post(crew.url("/channels"), json=body)
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def admin(crew, factory):
    from engine.model.access import WorkspaceRole

    return factory.person(crew.ws, WorkspaceRole.ADMIN).client()


def _wait_for(predicate, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


ANNOUNCE = graph_of(
    [
        task_node("prep", "host"),
        {
            "id": "tell",
            "kind": "notify",
            "phase": "pre_event",
            "title": "开播提醒",
            "settings": {"channel": "wecom", "message": "{run_name}: 目标 GMV {gmv_target} 元"},
        },
        {
            "id": "sync",
            "kind": "notify",
            "phase": "pre_event",
            "title": "同步 ERP",
            "settings": {"channel": "webhook", "message": "{run_name} {nope.__class__}"},
        },
    ],
    [("start", "prep"), ("prep", "tell"), ("prep", "sync"), ("tell", "end"), ("sync", "end")],
    variables=[{"key": "gmv_target", "type": "number", "default": 100000}],
)


def test_a_notify_node_reaches_its_robot_and_the_signed_webhook(crew, admin, workers, receiver):
    _channel(crew, admin, "wecom", {"webhook_url": f"{receiver.url}/wecom?key=k1"})
    _channel(
        crew,
        admin,
        "webhook",
        {"url": f"{receiver.url}/hook", "secret": "s3cret"},
        categories=["notify"],
    )
    workers.start()
    run = crew.start_run(ANNOUNCE, name="双11 直播", variables={"gmv_target": 250000})
    workers.drain()
    [prep] = crew.tasks_of("host")
    assert crew.complete("host", prep).status_code == 200
    _wait_for(lambda: len(receiver.requests) == 2)
    workers.drain()

    by_path = {r.path: r for r in receiver.requests}
    wecom = json.loads(by_path["/wecom"].body)
    assert wecom["msgtype"] == "markdown"
    assert "双11 直播: 目标 GMV 250000 元" in wecom["markdown"]["content"]
    hook = by_path["/hook"]
    assert verify_signature(
        "s3cret",
        hook.body,
        hook.headers["x-cueflow-timestamp"],
        hook.headers["x-cueflow-signature"],
        now=datetime.now(UTC),
    )
    assert json.loads(hook.body)["event"] == "notify"
    assert json.loads(hook.body)["text"] == "双11 直播 {nope.__class__}"  # no attribute access
    assert crew.run(run["id"])["status"] == "completed"
    events = [e["kind"] for e in crew.api.get(crew.url(f"/runs/{run['id']}/events")).json]
    assert events.count(EventKind.NOTIFICATION_SENT) == 2


def _pending(database, run_id: int, channel_id: int, count: int) -> list[int]:
    """`count` reminders waiting for one channel, as a burst of due tasks makes them."""
    now = datetime.now(UTC)
    with database.session() as session:
        run = session.get(Run, run_id)
        for i in range(count):
            notify(
                session,
                run,
                category=Category.REMINDER,
                message=Message(title="提醒", text=f"任务 {i} 即将到期"),
                dedupe_key=f"test:{i}",
                node_id=None,
                now=now,
            )
        session.flush()
        return list(session.scalars(select(Delivery.id).where(Delivery.channel_id == channel_id)))


def _quiet_run(crew) -> dict:
    return crew.start_run(graph_of([task_node("a", "host")], [("start", "a"), ("a", "end")]))


def test_a_delivery_job_delivered_200_times_sends_each_message_once(
    crew, admin, workers, receiver, database
):
    channel = _channel(crew, admin, "webhook", {"url": f"{receiver.url}/hook", "secret": "x"})
    run = _quiet_run(crew)
    ids = _pending(database, run["id"], channel["id"], 10)
    for _ in range(200):
        workers.queue.enqueue(jobs.deliver, channel["id"])
    workers.start(2, scheduler=False)
    workers.drain(timeout=120)

    texts = [json.loads(r.body)["text"] for r in receiver.requests]
    assert sorted(texts) == sorted(f"任务 {i} 即将到期" for i in range(10))
    with database.session() as session:
        statuses = set(session.scalars(select(Delivery.status).where(Delivery.id.in_(ids))))
        attempts = session.scalars(select(DeliveryAttempt)).all()
        sent_events = session.scalar(
            select(func.count(Event.id)).where(Event.kind == EventKind.NOTIFICATION_SENT)
        )
    assert statuses == {DeliveryStatus.SENT}
    assert sorted(i for a in attempts for i in a.delivery_ids) == sorted(ids)
    assert sent_events == 10


def test_a_burst_to_one_robot_is_merged_into_digests_within_its_budget(
    crew, admin, receiver, database, workers
):
    channel = _channel(crew, admin, "wecom", {"webhook_url": f"{receiver.url}/wecom?key=k"})
    run = _quiet_run(crew)
    ids = _pending(database, run["id"], channel["id"], 60)
    settings = notify_settings_from_env()
    settled = deliver_channel(database, channel["id"], datetime.now(UTC), settings)

    assert settled == 60  # nothing dropped, nothing left waiting
    assert len(receiver.requests) <= settings.robot_per_minute
    contents = "\n".join(json.loads(r.body)["markdown"]["content"] for r in receiver.requests)
    assert all(f"任务 {i} 即将到期" in contents for i in range(60))
    with database.session() as session:
        covered = [i for a in session.scalars(select(DeliveryAttempt)) for i in a.delivery_ids]
    assert sorted(covered) == sorted(ids)


def test_a_failing_robot_is_retried_with_backoff_and_every_attempt_recorded(
    crew, admin, receiver, database, workers
):
    channel = _channel(crew, admin, "wecom", {"webhook_url": f"{receiver.url}/wecom?key=k"})
    run = _quiet_run(crew)
    [delivery_id] = _pending(database, run["id"], channel["id"], 1)
    settings = notify_settings_from_env()
    first = datetime.now(UTC)
    receiver.answer(500, body=b"busy")
    assert deliver_channel(database, channel["id"], first, settings) == 0
    with database.session() as session:
        delivery = session.get(Delivery, delivery_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert delivery.next_attempt_at == first + timedelta(seconds=30)
        assert "500" in delivery.last_error

    assert deliver_channel(database, channel["id"], first + timedelta(seconds=10), settings) == 0
    assert len(receiver.requests) == 1  # not before its time

    receiver.answer(200, json_body={"errcode": 0, "errmsg": "ok"})
    assert deliver_channel(database, channel["id"], first + timedelta(seconds=31), settings) == 1
    with database.session() as session:
        delivery = session.get(Delivery, delivery_id)
        attempts = session.scalars(select(DeliveryAttempt.ok).order_by(DeliveryAttempt.id)).all()
    assert (delivery.status, delivery.attempts, attempts) == (DeliveryStatus.SENT, 2, [False, True])


def test_channels_refuse_private_addresses_and_never_show_secrets(crew, admin):
    refused = admin.post(
        crew.url("/channels"),
        json={
            "kind": "dingtalk",
            "name": "钉钉",
            "config": {"webhook_url": "https://10.1.2.3/robot/send?access_token=t", "secret": "S"},
        },
    )
    assert refused.status_code == 422
    assert refused.json["code"] == "notify.url_refused"

    created = _channel(
        crew,
        admin,
        "dingtalk",
        {"webhook_url": "http://127.0.0.1:9/robot/send?access_token=tok", "secret": "SEC"},
    )
    listed = admin.get(crew.url("/channels")).json
    shown = json.dumps(listed)
    assert "SEC" not in shown and "tok" not in shown
    kept = admin.patch(
        crew.url(f"/channels/{created['id']}"),
        json={"name": "钉钉群", "config": listed[0]["config"]},
    )
    assert kept.status_code == 200, kept.json
    staff = crew.staff["host"].client()
    assert (
        staff.post(
            crew.url("/channels"), json={"kind": "email", "name": "x", "config": {"to": ["a@b.c"]}}
        ).status_code
        == 403
    )
