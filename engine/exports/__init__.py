"""Exports: a post-mortem as Markdown and as PDF (with a Gantt chart of planned against
actual), tasks and events as CSV, a person's tasks as an iCalendar feed.

Renderers only: each takes plain values (a `ReportDocument`, rows, calendar entries) and
returns text or bytes. What goes in them is read by engine/postmortems.py,
engine/calendars.py and the API.
"""
