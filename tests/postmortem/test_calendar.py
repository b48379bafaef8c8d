"""A person's tasks as an iCalendar feed their phone subscribes to, by a secret URL that
needs no login and that they can revoke."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from tests.executor.conftest import graph_of, task_node
from tests.postmortem.driven import drive_live_stream

GRAPH = graph_of(
    [
        task_node("brief", "host", offset_minutes=-120, title="开播简报"),
        task_node("props", "assistant", offset_minutes=-60),
        task_node("show", "host", "execution", offset_minutes=0, duration_minutes=90, title="开播"),
    ],
    [("start", "brief"), ("brief", "props"), ("props", "show"), ("show", "end")],
)


def _feed(client, url: str) -> Calendar:
    path = url.removeprefix("http://cueflow.test")
    response = client.get(path)  # no Authorization header: a calendar app cannot log in
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def test_a_feed_holds_my_tasks_and_my_roles_steps_and_can_be_revoked(app, database, crew, workers):
    finished = drive_live_stream(database, crew)  # ended months ago: not in the feed
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    lesson = {
        "title": "提前彩排",
        "owner_id": crew.staff["host"].user_id,
        "due_at": due.isoformat(),
    }
    crew.manager.client().post(crew.url(f"/runs/{finished.run_id}/postmortem/actions"), json=lesson)
    workers.start()
    go_live = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    run = crew.start_run(GRAPH, go_live=go_live, name="周五直播")
    workers.drain()

    host = crew.staff["host"].client()
    created = host.post("/api/calendar/feeds", json={"name": "我的手机"})
    assert created.status_code == 201, created.json
    url = created.json["url"]
    assert url.startswith("http://cueflow.test/api/calendar/cal_") and url.endswith(".ics")
    assert created.json["webcal_url"] == "webcal://" + url.removeprefix("http://")
    listed = host.get("/api/calendar/feeds").json
    assert [f["name"] for f in listed] == ["我的手机"] and "url" not in listed[0]

    anonymous = app.test_client()
    calendar = _feed(anonymous, url)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"run-{run['id']}-brief@cueflow.test",  # a task, open and mine
        f"run-{run['id']}-show@cueflow.test",  # a step of my role, not reached yet
        "action-1@cueflow.test",  # my improvement action
    }
    brief = events[f"run-{run['id']}-brief@cueflow.test"]
    assert str(brief["SUMMARY"]) == "开播简报 · 周五直播"
    assert brief.decoded("DTSTART") == go_live - timedelta(minutes=120)
    assert brief.decoded("DTEND") == go_live - timedelta(minutes=110)
    show = events[f"run-{run['id']}-show@cueflow.test"]
    assert (show.decoded("DTSTART"), show.decoded("DTEND")) == (
        go_live,
        go_live + timedelta(minutes=90),
    )
    action = events["action-1@cueflow.test"]
    assert action.decoded("DTEND") == due and "提前彩排" in str(action["SUMMARY"])

    # the assistant's feed holds the assistant's step, not the host's
    assistant = crew.staff["assistant"].client()
    theirs = _feed(anonymous, assistant.post("/api/calendar/feeds", json={}).json["url"])
    assert {str(e["UID"]) for e in theirs.walk("VEVENT")} == {f"run-{run['id']}-props@cueflow.test"}

    # someone else cannot revoke my feed; I can, and the URL stops working at once
    feed_id = created.json["id"]
    assert assistant.delete(f"/api/calendar/feeds/{feed_id}").status_code == 404
    assert host.delete(f"/api/calendar/feeds/{feed_id}").status_code == 204
    gone = anonymous.get(url.removeprefix("http://cueflow.test"))
    assert (gone.status_code, gone.json["code"]) == (404, "resource.not_found")
    assert anonymous.get("/api/calendar/cal_guessed.ics").status_code == 404
