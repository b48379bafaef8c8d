"""A person's tasks as an iCalendar (RFC 5545) feed, with the `icalendar` package.

Each entry is a VEVENT: phone calendars show subscribed events but not to-dos. Times
are written in UTC, which every calendar shows in the phone's own zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//Cueflow//Cueflow tasks//ZH"
REFRESH = timedelta(minutes=15)  # how often a subscriber should poll (also X-PUBLISHED-TTL)


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable per task or action, so an update replaces the old entry
    summary: str
    start: datetime
    end: datetime
    description: str = ""
    url: str = ""
    cancelled: bool = False
    done: bool = False


def calendar_feed(entries: Iterable[CalendarEntry], *, name: str, host: str, now: datetime):
    """The feed as bytes (text/calendar; UTF-8)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")  # an x- property: icalendar does not know its type
    stamp = now.astimezone(UTC)
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start.astimezone(UTC))
        event.add("dtend", entry.end.astimezone(UTC))
        prefix = "✓ " if entry.done else ""
        event.add("summary", prefix + entry.summary)
        if entry.description:
            event.add("description", entry.description)
        if entry.url:
            event.add("url", entry.url)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if entry.done or entry.cancelled else "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
