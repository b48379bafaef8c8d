"""gunicorn settings for Cueflow (`gunicorn -c python:api.gunicorn_conf wsgi:app`): an
access log on stdout whose lines never carry a secret. Calendar-feed secrets and invitation
tokens travel in URL paths (a calendar app or an e-mailed link cannot send a header), so the
access log replaces them, wherever a URL appears in a line (request line, path, query,
referer), with `[redacted]`."""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

accesslog = "-"
logger_class = "api.gunicorn_conf.RedactingLogger"

SECRET_IN_URL = re.compile(
    r"(/api/calendar/)[^/?#\s.]+(\.ics)"  # a calendar feed's secret
    r"|(/api/invitations/)[A-Za-z0-9_-]{32}"  # an invitation's token
    r"|([?&](?:token|secret|key)=)[^&#\s]+",  # a secret passed as a query parameter
)


def redact(text: str | None) -> str | None:
    """`text` with every secret of a Cueflow URL replaced by `[redacted]`."""
    if not text:
        return text
    return SECRET_IN_URL.sub(
        lambda m: (
            "".join(part for part in (m[1], m[3], m[4]) if part) + "[redacted]" + (m[2] or "")
        ),
        text,
    )


class RedactingLogger(Logger):
    """gunicorn's logger, with secrets out of every URL an access-log line may print."""

    URL_ATOMS = ("r", "U", "q", "f", "{raw_uri}e", "{path_info}e", "{query_string}e")

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in (*self.URL_ATOMS, "{referer}i"):
            if key in atoms:
                atoms[key] = redact(atoms[key])
        return atoms
