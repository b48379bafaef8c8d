"""The network: one HTTP POST to addresses the guard approved, and one SMTP hand-over.

HTTP goes through `http.client`, connecting to the checked IP address while still naming the
host (Host header, TLS server name and certificate check), so the address that was checked is
the address that is reached. Nothing here follows redirects or reads more than MAX_RESPONSE
bytes of an answer.
"""

from __future__ import annotations

import http.client
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from engine.notify.guard import Target
from engine.notify.outgoing import OutgoingRequest
from engine.notify.settings import NotifySettings, SmtpSecurity

MAX_RESPONSE = 64 * 1024


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def post(request: OutgoingRequest, target: Target, *, timeout: float) -> Response:
    """POST to the first of the target's addresses that accepts a connection.

    Only a failed connection moves on to the next address: once the request was written, an
    error is raised, because the receiver may already have acted on it.
    """
    parts = urlsplit(request.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    failure: OSError | None = None
    for address in target.addresses:
        connection = kind(target, address, timeout)
        try:
            try:
                connection.connect()
            except ssl.SSLError:
                raise
            except OSError as exc:
                failure = exc
                continue
            connection.request("POST", path, body=request.body, headers=dict(request.headers))
            answer = connection.getresponse()
            body = answer.read(MAX_RESPONSE)
            headers = {name.lower(): value for name, value in answer.getheaders()}
            return Response(answer.status, headers, body)
        finally:
            connection.close()
    raise failure or OSError("no address to connect to")


def send_mail(mail: EmailMessage, settings: NotifySettings) -> dict[str, tuple[int, bytes]]:
    """Hand the message to the SMTP server; returns the recipients it refused (others went)."""
    assert settings.smtp_host
    tls = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.smtp_tls is SmtpSecurity.SSL:
        client = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=settings.timeout, context=tls
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout)
    with client:
        if settings.smtp_tls is SmtpSecurity.STARTTLS:
            client.starttls(context=tls)
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password or "")
        return client.send_message(mail)
