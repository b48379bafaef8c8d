"""`deliver` against a real HTTP server on 127.0.0.1: what arrives, and how answers are recorded."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
from dataclasses import replace
from datetime import UTC, datetime

from engine.notify.channels import ChannelKind
from engine.notify.guard import Allowlist
from engine.notify.message import Category, Message
from engine.notify.send import deliver
from engine.notify.settings import NotifySettings
from engine.notify.webhook import verify_signature
from tests.notify.conftest import NOW

MESSAGE = Message(
    title="开播前 30 分钟：检查推流",
    text="Check the stream key and the network.\n负责人：中控",
    link="https://cueflow.example.com/runs/7",
    mentions=("13800001111",),
    category=Category.REMINDER,
)


def test_wecom_message_arrives_at_the_robot_url(receiver, settings):
    attempt = deliver(
        ChannelKind.WECOM,
        {"webhook_url": f"{receiver.url}/cgi-bin/webhook/send?key=abc"},
        MESSAGE,
        now=NOW,
        settings=settings,
    )
    assert attempt.ok and attempt.status == 200 and attempt.error is None
    assert attempt.response_excerpt == '{"errcode":0,"errmsg":"ok"}'
    got = receiver.last
    assert (got.path, got.query) == ("/cgi-bin/webhook/send", {"key": "abc"})
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    assert got.headers["host"] == receiver.url.removeprefix("http://")
    assert got.json["msgtype"] == "text"
    assert got.json["text"]["mentioned_mobile_list"] == ["13800001111"]
    assert got.json["text"]["content"].startswith("开播前 30 分钟：检查推流\n")


def test_dingtalk_signature_received_verifies_with_the_secret(receiver, settings):
    now = datetime.now(UTC)
    config = {"webhook_url": f"{receiver.url}/robot/send?access_token=tok", "secret": "SECabc"}
    attempt = deliver(ChannelKind.DINGTALK, config, MESSAGE, now=now, settings=settings)
    assert attempt.ok
    query = receiver.last.query
    assert query["access_token"] == "tok"
    assert abs(int(query["timestamp"]) - now.timestamp() * 1000) < 1000
    mac = hmac.new(b"SECabc", f"{query['timestamp']}\nSECabc".encode(), hashlib.sha256)
    assert query["sign"] == base64.b64encode(mac.digest()).decode()
    assert receiver.last.json["at"]["atMobiles"] == ["13800001111"]


def test_feishu_signature_received_verifies_with_the_secret(receiver, settings):
    receiver.answer(json_body={"code": 0, "msg": "success", "data": {}})
    config = {"webhook_url": f"{receiver.url}/open-apis/bot/v2/hook/h1", "secret": "fs"}
    attempt = deliver(ChannelKind.FEISHU, config, MESSAGE, now=NOW, settings=settings)
    assert attempt.ok
    payload = receiver.last.json
    key = f"{payload['timestamp']}\nfs".encode()
    assert payload["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert payload["card"]["header"]["title"]["content"] == MESSAGE.title


def test_webhook_receiver_can_verify_what_it_got(receiver, settings):
    receiver.answer(204)
    now = datetime.now(UTC)
    config = {"url": f"{receiver.url}/hooks/cueflow", "secret": "whsec"}
    attempt = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=now, settings=settings)
    assert attempt.ok and attempt.status == 204
    got = receiver.last
    assert got.json["event"] == "reminder" and got.json["title"] == MESSAGE.title
    assert got.headers["x-cueflow-event"] == "reminder"
    assert verify_signature(
        "whsec",
        got.body,
        got.headers["x-cueflow-timestamp"],
        got.headers["x-cueflow-signature"],
        now=datetime.now(UTC),
    )
    assert not verify_signature(
        "wrong",
        got.body,
        got.headers["x-cueflow-timestamp"],
        got.headers["x-cueflow-signature"],
        now=datetime.now(UTC),
    )


def test_a_platform_error_in_a_200_is_a_failure(receiver, settings):
    receiver.answer(json_body={"errcode": 93000, "errmsg": "invalid webhook url"})
    attempt = deliver(
        ChannelKind.WECOM,
        {"webhook_url": f"{receiver.url}/x?key=k"},
        MESSAGE,
        now=NOW,
        settings=settings,
    )
    assert not attempt.ok and not attempt.retryable
    assert attempt.status == 200 and attempt.error == "WeCom error 93000: invalid webhook url"
    assert "93000" in attempt.response_excerpt


def test_a_rate_limit_answer_is_retryable_after_the_platform_s_wait(receiver, settings):
    receiver.answer(json_body={"errcode": 130101, "errmsg": "send too fast"})
    config = {"webhook_url": f"{receiver.url}/robot/send?access_token=t", "secret": "SEC"}
    attempt = deliver(ChannelKind.DINGTALK, config, MESSAGE, now=NOW, settings=settings)
    assert (attempt.ok, attempt.retryable, attempt.retry_after) == (False, True, 600)


def test_server_errors_are_retryable_and_client_errors_are_not(receiver, settings):
    config = {"url": f"{receiver.url}/in", "secret": "s"}
    receiver.answer(500, body=b"boom")
    failed = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=settings)
    assert (failed.ok, failed.status, failed.retryable, failed.error) == (
        False,
        500,
        True,
        "HTTP 500",
    )
    assert failed.response_excerpt == "boom"
    receiver.answer(403)
    refused = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=settings)
    assert (refused.ok, refused.status, refused.retryable) == (False, 403, False)


def test_redirects_are_not_followed(receiver, settings):
    receiver.answer(302, headers={"Location": "http://169.254.169.254/latest/meta-data"})
    config = {"url": f"{receiver.url}/in", "secret": "s"}
    attempt = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=settings)
    assert (attempt.ok, attempt.status, attempt.retryable) == (False, 302, False)
    assert len(receiver.requests) == 1


def test_a_slow_receiver_times_out_and_may_be_retried(receiver, settings):
    receiver.answer(200, delay=5.0)
    config = {"url": f"{receiver.url}/slow", "secret": "s"}
    quick = replace(settings, timeout=0.3)
    attempt = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=quick)
    assert (attempt.ok, attempt.status, attempt.retryable) == (False, None, True)
    assert attempt.error == "No answer from 127.0.0.1 within 0.3 s"
    assert 250 <= attempt.elapsed_ms < 2000


def test_a_closed_port_is_retryable(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = {"url": f"http://127.0.0.1:{port}/in", "secret": "s"}
    attempt = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=settings)
    assert (attempt.ok, attempt.retryable) == (False, True)
    assert attempt.error.startswith("Could not reach 127.0.0.1")


def test_the_guard_is_applied_again_at_send_time(receiver, settings):
    closed = replace(settings, allow=Allowlist())  # the operator no longer allows 127.0.0.1
    config = {"url": f"{receiver.url}/in", "secret": "s"}
    attempt = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=closed)
    assert (attempt.ok, attempt.status, attempt.retryable) == (False, None, False)
    assert "not a public address (loopback)" in attempt.error
    assert receiver.requests == []


def test_errors_never_show_the_url_with_its_key(settings):
    config = {"webhook_url": "https://10.0.0.1/cgi-bin/webhook/send?key=SECRET-KEY"}
    attempt = deliver(ChannelKind.WECOM, config, MESSAGE, now=NOW, settings=settings)
    assert not attempt.ok and "SECRET-KEY" not in attempt.error


def test_invalid_stored_settings_fail_without_retry(settings):
    config = {"webhook_url": "https://x"}
    attempt = deliver(ChannelKind.DINGTALK, config, MESSAGE, now=NOW, settings=settings)
    assert (attempt.ok, attempt.retryable) == (False, False)
    assert attempt.error == (
        "The channel settings are not valid: config.secret: Missing data for required field."
    )
    unknown = deliver("sms", {}, MESSAGE, now=NOW, settings=settings)
    assert (unknown.retryable, unknown.error) == (False, "Unknown channel kind 'sms'.")


def test_https_checks_the_certificate(tls_receiver, settings):
    config = {"url": f"{tls_receiver.url}/in", "secret": "s"}
    attempt = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=settings)
    assert (attempt.ok, attempt.retryable) == (False, False)
    assert attempt.error.startswith("The certificate of 127.0.0.1 is not valid")
    assert tls_receiver.requests == []


def test_https_to_a_trusted_certificate_connects_to_the_checked_address_by_name(
    tls_receiver, certificate, monkeypatch
):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the operator's CA bundle
    settings = NotifySettings(timeout=2.0, allow=Allowlist.parse(["localhost"]))
    config = {"url": f"https://localhost:{tls_receiver.port}/in", "secret": "s"}
    attempt = deliver(ChannelKind.WEBHOOK, config, MESSAGE, now=NOW, settings=settings)
    assert attempt.ok and attempt.status == 200
    # The name, not the address, went into the Host header and the certificate check.
    assert tls_receiver.last.headers["host"] == f"localhost:{tls_receiver.port}"
