"""Correctness under concurrency and faults, with real RQ workers on a real Redis: racing
completions, duplicated and concurrent advances, Redis flushed mid-run, and go-live moved
under many pending reminders. (A worker killed mid-advance: test_recovery.py.)"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from rq import Queue
from sqlalchemy import select

from engine.executor import jobs
from engine.executor.doorbell import SCHEDULE_AHEAD, Doorbell, timer_job_id
from engine.executor.reconcile import reconcile_all
from engine.executor.timers import fire_timer
from engine.model.run_times import TimeKind
from engine.store.runs import Event, Task, Timer, TimerStatus
from tests.executor.conftest import graph_of, snapshot, task_node

CHAIN = graph_of(
    [task_node("brief", "host"), task_node("props", "assistant"), task_node("links", "operator")],
    [
        ("start", "brief"),
        ("brief", "props"),
        ("brief", "links"),
        ("props", "end"),
        ("links", "end"),
    ],
)


def test_two_devices_completing_the_same_task_at_once_one_wins(crew, workers, app):
    workers.start()
    crew.start_run(CHAIN)
    workers.drain()
    [brief] = crew.tasks_of("host")
    host = crew.staff["host"]
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def complete() -> None:
        client = host.client()  # a separate client each: phone and laptop
        barrier.wait()
        answers.append(
            client.post(
                crew.url(f"/tasks/{brief['id']}/complete"), json={"checklist": {"done": True}}
            ).status_code
        )

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 409]
    workers.drain()
    assert len(crew.tasks_of("assistant")) == 1
    with app.extensions["cueflow.db"].session() as session:
        completions = session.scalars(select(Event).where(Event.kind == "task.complete")).all()
    assert len(completions) == 1


def test_an_advance_delivered_200_times_on_two_workers_changes_nothing_more(
    crew, workers, database
):
    once = crew.start_run(CHAIN)
    many = crew.start_run(CHAIN)
    workers.burst()
    host_tasks = {t["run_id"]: t for t in crew.tasks_of("host")}
    for run in (once, many):
        assert crew.complete("host", host_tasks[run["id"]]).status_code == 200
    queue = Queue("cueflow", connection=workers.connection)
    for _ in range(200):
        queue.enqueue(jobs.advance, many["id"])
    workers.start(2, scheduler=False)
    workers.drain(timeout=120)

    single, repeated = snapshot(database, once["id"]), snapshot(database, many["id"])
    assert repeated == single
    assert repeated["outbox"] == []
    assert sorted(t[0] for t in repeated["tasks"]) == ["brief", "links", "props"]


def _pinned_wait(seconds_ahead: float) -> tuple[dict, datetime]:
    """start -> wait until go-live -> end, with a reminder-bearing task alongside."""
    go_live = datetime.now(UTC) + timedelta(seconds=seconds_ahead)
    wait = {
        "id": "t0",
        "kind": "wait",
        "phase": "execution",
        "title": "等开播",
        "settings": {"mode": "until_offset", "until_offset_minutes": 0},
    }
    later = task_node("recap", "host", phase="review", offset_minutes=600)
    graph = graph_of(
        [wait, later], [("start", "t0"), ("start", "recap"), ("t0", "end"), ("recap", "end")]
    )
    return graph, go_live


def test_redis_flushed_mid_run_reconcile_schedules_every_near_timer_again(crew, workers, database):
    graph, go_live = _pinned_wait(10)
    run = crew.start_run(graph, go_live=go_live)
    workers.burst()
    with database.session() as session:
        pending = session.execute(
            select(Timer.id, Timer.kind, Timer.fire_at).where(
                Timer.run_id == run["id"], Timer.status == TimerStatus.PENDING
            )
        ).all()
    assert {kind for _, kind, _ in pending} == {
        TimeKind.TIMER,
        TimeKind.REMINDER,
        TimeKind.ESCALATION,
    }

    workers.connection.flushdb()  # every scheduled job is gone
    registry = workers.queue.scheduled_job_registry
    assert registry.count == 0
    workers.start()
    sweep = workers.queue.enqueue(jobs.reconcile, grace_seconds=0)
    deadline = time.monotonic() + 30
    while sweep.get_status(refresh=True) != "finished" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sweep.get_status(refresh=True) == "finished"
    with database.session() as session:
        still = dict(
            session.execute(select(Timer.id, Timer.status).where(Timer.run_id == run["id"])).all()
        )
    reach = datetime.now(UTC) + SCHEDULE_AHEAD
    for timer_id, kind, fire_at in pending:
        score = workers.connection.zscore(registry.key, timer_job_id(timer_id))
        if fire_at > reach:  # the reminder and escalation, hours ahead: not in RQ yet
            assert kind is not TimeKind.TIMER
            assert score is None and still[timer_id] is TimerStatus.PENDING
        elif still[timer_id] is TimerStatus.PENDING:  # the wait: scheduled again, exactly
            assert score == int(fire_at.timestamp()), "every near timer is scheduled again"
        else:  # its time passed while the machine was busy: the sweep fired it itself
            assert fire_at <= datetime.now(UTC) and still[timer_id] is TimerStatus.FIRED

    # The sweep a minute before the reminder's time puts it in RQ's schedule, exactly;
    # the escalation, further out still, waits for a later sweep.
    times = {kind: (timer_id, at) for timer_id, kind, at in pending}
    reminder_id, reminder_at = times[TimeKind.REMINDER]
    escalation_id, escalation_at = times[TimeKind.ESCALATION]
    assert escalation_at - reminder_at > SCHEDULE_AHEAD
    doorbell = Doorbell(workers.connection)
    reconcile_all(database, doorbell, reminder_at - timedelta(minutes=1))
    assert workers.connection.zscore(registry.key, timer_job_id(reminder_id)) == int(
        reminder_at.timestamp()
    )
    assert workers.connection.zscore(registry.key, timer_job_id(escalation_id)) is None
    reconcile_all(database, doorbell, escalation_at - timedelta(minutes=1))
    assert workers.connection.zscore(registry.key, timer_job_id(escalation_id)) == int(
        escalation_at.timestamp()
    )

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        states = {n["node_id"]: n["state"] for n in crew.run(run["id"])["nodes"]}
        if states["t0"] == "done":
            break
        time.sleep(0.2)
    assert states["t0"] == "done", "the wait fired from the rebuilt schedule"
    [recap] = crew.tasks_of("host")
    assert crew.complete("host", recap).status_code == 200
    workers.drain()
    assert crew.run(run["id"])["status"] == "completed"


def test_an_advance_puts_only_the_near_timers_in_rqs_schedule(crew, workers, database):
    go_live = datetime.now(UTC) + timedelta(minutes=2)

    def wait(node_id: str, minutes: int) -> dict:
        settings = {"mode": "until_offset", "until_offset_minutes": minutes}
        return {"id": node_id, "kind": "wait", "phase": "execution", "title": node_id,
                "settings": settings}  # fmt: skip

    graph = graph_of(
        [wait("soon", 0), wait("later", 60)],
        [("start", "soon"), ("start", "later"), ("soon", "end"), ("later", "end")],
    )
    run = crew.start_run(graph, go_live=go_live)
    workers.burst()
    with database.session() as session:
        timers = dict(
            session.execute(
                select(Timer.node_id, Timer.id).where(
                    Timer.run_id == run["id"], Timer.status == TimerStatus.PENDING
                )
            ).all()
        )
    assert set(timers) == {"soon", "later"}  # the database holds both
    registry = workers.queue.scheduled_job_registry
    score = workers.connection.zscore
    assert score(registry.key, timer_job_id(timers["soon"])) == int(go_live.timestamp())
    assert score(registry.key, timer_job_id(timers["later"])) is None  # an hour ahead


def test_moving_go_live_shifts_a_hundred_reminders_exactly(crew, workers, database):
    go_live = datetime(2030, 6, 18, 12, 0, tzinfo=UTC)
    nodes = [task_node(f"t{i:03d}", "host", offset_minutes=-300 + i) for i in range(100)]
    graph = graph_of(nodes, [("start", n["id"]) for n in nodes] + [(n["id"], "end") for n in nodes])
    run = crew.start_run(graph, go_live=go_live)
    workers.burst()

    def times() -> dict:
        with database.session() as session:
            rows = session.execute(
                select(Timer.id, Timer.kind, Timer.fire_at).where(
                    Timer.run_id == run["id"], Timer.status == TimerStatus.PENDING
                )
            ).all()
            dues = dict(
                session.execute(
                    select(Task.node_id, Task.due_at).where(Task.run_id == run["id"])
                ).all()
            )
        return {"timers": {r.id: (r.kind, r.fire_at) for r in rows}, "dues": dues}

    before = times()
    assert len(before["timers"]) == 200  # a reminder and an escalation per task
    preview = crew.api.post(
        crew.url(f"/runs/{run['id']}/go-live/preview"),
        json={"go_live": (go_live + timedelta(hours=2)).isoformat()},
    )
    assert len(preview.json["shifts"]) == 300  # 200 timers + 100 dues
    assert preview.json["notified_user_ids"] == [crew.staff["host"].user_id]
    assert times() == before  # a preview changes nothing

    moved = crew.api.put(
        crew.url(f"/runs/{run['id']}/go-live"),
        json={"go_live": (go_live + timedelta(hours=2)).isoformat()},
    )
    assert moved.status_code == 200, moved.json
    after = times()
    two_hours = timedelta(hours=2)
    assert all(after["timers"][i][1] - at == two_hours for i, (_, at) in before["timers"].items())
    assert all(after["dues"][n] - due == two_hours for n, due in before["dues"].items())
    # RQ holds only the next SCHEDULE_AHEAD; the sweep puts each timer there in time.
    registry = workers.queue.scheduled_job_registry

    def scheduled() -> dict[int, float]:
        scores = {
            i: workers.connection.zscore(registry.key, timer_job_id(i)) for i in after["timers"]
        }
        return {i: score for i, score in scores.items() if score is not None}

    doorbell = Doorbell(workers.connection)
    first_old = min(at for _, at in before["timers"].values())
    reconcile_all(database, doorbell, first_old - timedelta(minutes=1))
    assert scheduled() == {}, "nothing is due around the old times any more"
    first_new = min(at for _, at in after["timers"].values())
    sweep_at = first_new - timedelta(minutes=1)
    reconcile_all(database, doorbell, sweep_at)
    near = {i: at for i, (_, at) in after["timers"].items() if at <= sweep_at + SCHEDULE_AHEAD}
    assert len(near) >= 10
    assert scheduled() == {i: int(at.timestamp()) for i, at in near.items()}

    with database.session() as session:  # the clock at each old time: nothing fires
        fired_early = [fire_timer(session, i, at) for i, (_, at) in before["timers"].items()]
    assert not any(fired_early)
    with database.session() as session:  # at the new times, every one fires once
        fired = [fire_timer(session, i, at) for i, (_, at) in after["timers"].items()]
    assert all(fired)
