"""How each platform's answer is read: delivered, failed for good, or worth another try."""

from __future__ import annotations

import json

import pytest

from engine.notify import dingtalk, feishu, webhook, wecom


def answer(data) -> bytes:
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("judge", "status", "body", "ok", "retryable", "retry_after"),
    [
        (wecom.judge, 200, answer({"errcode": 0, "errmsg": "ok"}), True, False, None),
        (
            wecom.judge,
            200,
            answer({"errcode": 45009, "errmsg": "api freq out of limit"}),
            False,
            True,
            60,
        ),
        (
            wecom.judge,
            200,
            answer({"errcode": 93000, "errmsg": "invalid webhook url"}),
            False,
            False,
            None,
        ),
        (wecom.judge, 200, answer({"errcode": -1, "errmsg": "system busy"}), False, True, None),
        (wecom.judge, 200, b"<html>not json</html>", False, False, None),
        (dingtalk.judge, 200, answer({"errcode": 0, "errmsg": "ok"}), True, False, None),
        (
            dingtalk.judge,
            200,
            answer({"errcode": 130101, "errmsg": "send too fast"}),
            False,
            True,
            600,
        ),
        (
            dingtalk.judge,
            200,
            answer({"errcode": 310000, "errmsg": "sign not match"}),
            False,
            False,
            None,
        ),
        (dingtalk.judge, 302, b"", False, True, 600),
        (feishu.judge, 200, answer({"code": 0, "msg": "success", "data": {}}), True, False, None),
        (
            feishu.judge,
            200,
            answer({"StatusCode": 0, "StatusMessage": "success"}),
            True,
            False,
            None,
        ),
        (feishu.judge, 200, answer({"code": 11232, "msg": "frequency limited"}), False, True, 10),
        (feishu.judge, 200, answer({"code": 19021, "msg": "sign match fail"}), False, False, None),
        (feishu.judge, 200, answer({"msg": "no code"}), False, False, None),
        (webhook.judge, 204, b"", True, False, None),
        (webhook.judge, 200, b"anything", True, False, None),
        (webhook.judge, 301, b"", False, False, None),
        (webhook.judge, 400, b"", False, False, None),
        (webhook.judge, 404, b"", False, False, None),
        (webhook.judge, 429, b"", False, True, None),
        (webhook.judge, 500, b"", False, True, None),
        (webhook.judge, 503, b"", False, True, None),
        (wecom.judge, 502, b"", False, True, None),
    ],
)
def test_answers_are_classified(judge, status, body, ok, retryable, retry_after):
    verdict = judge(status, body, {})
    assert (verdict.ok, verdict.retryable, verdict.retry_after) == (ok, retryable, retry_after)
    assert (verdict.error is None) == ok


def test_platform_errors_name_the_code_and_message():
    verdict = wecom.judge(200, answer({"errcode": 93000, "errmsg": "invalid webhook url"}), {})
    assert verdict.error == "WeCom error 93000: invalid webhook url"


def test_retry_after_header_is_honoured():
    verdict = webhook.judge(429, b"", {"Retry-After": "30"})
    assert (verdict.retryable, verdict.retry_after) == (True, 30)
