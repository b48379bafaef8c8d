"""E-mail handed to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from engine.notify.channels import ChannelKind
from engine.notify.message import Category, Message
from engine.notify.send import deliver
from engine.notify.settings import NotifySettings
from tests.notify.conftest import NOW, Mailbox, _MailHandler, free_port

REVIEW = Message(
    title="复盘提醒：618 直播复盘今天截止",
    text="请各位在今天 18:00 前填写 GMV、观看人数和转化率。\nThanks!",
    link="https://cueflow.example.com/runs/7/review",
    mentions=("boss@example.com", "13800001111"),
    category=Category.REMINDER,
)


def test_the_message_arrives_with_chinese_subject_body_and_every_recipient(mailbox, mail_settings):
    attempt = deliver(
        ChannelKind.EMAIL, {"to": ["ops@example.com"]}, REVIEW, now=NOW, settings=mail_settings
    )
    assert (attempt.ok, attempt.status, attempt.error) == (True, 250, None)
    [(sender, recipients, received)] = mailbox.messages
    assert sender == "cueflow@example.com"
    assert recipients == ["ops@example.com", "boss@example.com"]
    assert received["Subject"] == "复盘提醒：618 直播复盘今天截止"
    assert received["From"] == "Cueflow <cueflow@example.com>"
    assert received["To"] == "ops@example.com, boss@example.com"
    assert received["X-Cueflow-Event"] == "reminder"
    assert received.get_content_charset() == "utf-8"
    assert received.get_content().replace("\r\n", "\n") == (
        "请各位在今天 18:00 前填写 GMV、观看人数和转化率。\nThanks!\n\n"
        "https://cueflow.example.com/runs/7/review\n"
    )


def test_a_refused_recipient_fails_for_good_and_a_busy_one_may_be_retried(mailbox, mail_settings):
    message = replace(REVIEW, mentions=())
    mailbox.refuse["gone@example.com"] = "550 5.1.1 No such user"
    gone = deliver(
        ChannelKind.EMAIL, {"to": ["gone@example.com"]}, message, now=NOW, settings=mail_settings
    )
    assert (gone.ok, gone.status, gone.retryable) == (False, 550, False)
    assert "gone@example.com" in gone.error
    mailbox.refuse["full@example.com"] = "452 4.2.2 Mailbox full"
    full = deliver(
        ChannelKind.EMAIL, {"to": ["full@example.com"]}, message, now=NOW, settings=mail_settings
    )
    assert (full.ok, full.status, full.retryable) == (False, 452, True)
    assert mailbox.messages == []


def test_some_refused_recipients_still_deliver_to_the_others(mailbox, mail_settings):
    mailbox.refuse["gone@example.com"] = "550 5.1.1 No such user"
    config = {"to": ["ops@example.com", "gone@example.com"]}
    attempt = deliver(ChannelKind.EMAIL, config, REVIEW, now=NOW, settings=mail_settings)
    assert attempt.ok and attempt.error == "Some recipients were refused: gone@example.com"
    assert mailbox.messages[0][1] == ["ops@example.com", "boss@example.com"]


def test_it_logs_in_when_a_user_is_set():
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"pw", handled=False)

    mailbox = Mailbox(port=free_port())
    controller = Controller(
        _MailHandler(mailbox),
        hostname="127.0.0.1",
        port=mailbox.port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        settings = NotifySettings(
            smtp_host="127.0.0.1",
            smtp_port=mailbox.port,
            smtp_user="robot",
            smtp_password="pw",
            smtp_tls="none",
            timeout=2.0,
        )
        ok = deliver(
            ChannelKind.EMAIL, {"to": ["a@example.com"]}, REVIEW, now=NOW, settings=settings
        )
        wrong = deliver(
            ChannelKind.EMAIL,
            {"to": ["a@example.com"]},
            REVIEW,
            now=NOW,
            settings=replace(settings, smtp_password="nope"),
        )
    finally:
        controller.stop()
    assert ok.ok and len(mailbox.messages) == 1
    assert (wrong.ok, wrong.status, wrong.retryable) == (False, 535, False)
    # smtplib tries each mechanism the server offers before giving up on a wrong password.
    assert logins[0] == (b"robot", b"pw") and set(logins[1:]) == {(b"robot", b"nope")}


def test_without_an_smtp_server_e_mail_fails_without_retry():
    attempt = deliver(
        ChannelKind.EMAIL, {"to": ["a@example.com"]}, REVIEW, now=NOW, settings=NotifySettings()
    )
    assert (attempt.ok, attempt.retryable) == (False, False)
    assert "CUEFLOW_SMTP_HOST" in attempt.error


@pytest.mark.parametrize("tls", ["none", "ssl"])
def test_an_unreachable_smtp_server_may_be_retried(tls):
    settings = NotifySettings(
        smtp_host="127.0.0.1", smtp_port=free_port(), smtp_tls=tls, timeout=1.0
    )
    attempt = deliver(
        ChannelKind.EMAIL, {"to": ["a@example.com"]}, REVIEW, now=NOW, settings=settings
    )
    assert (attempt.ok, attempt.retryable) == (False, True)
