"""The access log that `cueflow up` and the README's gunicorn command write: a line per
request, with calendar-feed secrets and invitation tokens replaced wherever a URL shows."""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

from gunicorn.config import Config

from api.gunicorn_conf import RedactingLogger

FEED = "/api/calendar/cal_5Jq9VxTz0aBcDeFgHiJk.ics"
INVITE = "/api/invitations/Q3xk9VdP0aBcDeFgHiJkLmNoPqRsTuVw/accept"


def _line(caplog, path: str, query: str = "", referer: str = "-") -> str:
    config = Config()
    config.set("accesslog", "-")
    logger = RedactingLogger(config)
    logger.access_log.addHandler(caplog.handler)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.8",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("Referer", referer)])
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    return caplog.records[-1].getMessage()


def test_a_calendar_feeds_secret_never_reaches_the_log(caplog):
    line = _line(caplog, FEED)
    assert '"GET /api/calendar/[redacted].ics HTTP/1.1" 200 512' in line
    assert "cal_5Jq9" not in line


def test_an_invitation_token_never_reaches_the_log_not_even_as_a_referer(caplog):
    line = _line(caplog, INVITE, referer=f"https://cueflow.example{INVITE}")
    assert line.count("/api/invitations/[redacted]/accept") == 2
    assert "Q3xk9" not in line


def test_other_lines_are_kept_whole(caplog):
    line = _line(caplog, "/api/workspaces/3/runs/12", query="status=running")
    assert '"GET /api/workspaces/3/runs/12?status=running HTTP/1.1"' in line
    assert _line(caplog, "/api/x", query="a=1&token=abc").count("token=[redacted]") == 1
