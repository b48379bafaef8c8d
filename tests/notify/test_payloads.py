"""Each platform's request, built without any network, checked against its documented format.

Signatures are recomputed here from the documented formulas, not with the code under test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest

from engine.notify import dingtalk, feishu, mail, webhook, wecom
from engine.notify.message import Category, Message
from tests.notify.conftest import NOW

LINK = "https://cueflow.example.com/runs/7/tasks/42"
REMINDER = Message(
    title="预热海报 due in 30 min",
    text="Warm-up poster for 618 live stream.\nOwner: 设计",
    link=LINK,
    category=Category.REMINDER,
)
LONG = "直播间优惠券推送提醒。" * 3000  # about 90 KB of Chinese text


def body(request) -> dict:
    return json.loads(request.body.decode("utf-8"))


# WeCom group robot


def test_wecom_sends_markdown_with_the_title_text_and_link():
    request = wecom.build({"webhook_url": "https://qyapi.weixin.qq.com/x?key=k"}, REMINDER, NOW)
    assert request.url == "https://qyapi.weixin.qq.com/x?key=k"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    payload = body(request)
    assert payload["msgtype"] == "markdown"
    content = payload["markdown"]["content"]
    assert content.startswith("**预热海报 due in 30 min**\nWarm-up poster")
    assert content.endswith(f"[查看详情]({LINK})")


def test_wecom_mentions_user_ids_inside_markdown():
    message = Message("Go live", "Start the stream", mentions=("zhangsan", "lisi"))
    payload = body(wecom.build({"webhook_url": "https://h/x"}, message, NOW))
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["content"].endswith("<@zhangsan> <@lisi>")


def test_wecom_mentions_mobiles_and_everyone_with_a_text_message():
    message = Message("Go live", "Start", link=LINK, mentions=("13800001111", "all", "wangwu"))
    payload = body(wecom.build({"webhook_url": "https://h/x"}, message, NOW))
    assert payload == {
        "msgtype": "text",
        "text": {
            "content": f"Go live\nStart\n{LINK}",
            "mentioned_list": ["wangwu", "@all"],
            "mentioned_mobile_list": ["13800001111"],
        },
    }


def test_wecom_escalations_are_highlighted():
    message = Message("Overdue: 场景搭建", "Two hours late", category=Category.ESCALATION)
    content = body(wecom.build({"webhook_url": "https://h/x"}, message, NOW))["markdown"]
    assert content["content"].startswith('<font color="warning">**Overdue: 场景搭建**</font>')


def test_wecom_cuts_long_text_to_the_platform_limits_keeping_title_and_link():
    markdown = body(wecom.build({"webhook_url": "https://h/x"}, Message("T", LONG, LINK), NOW))
    content = markdown["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.startswith("**T**\n直播间") and content.endswith(f"…\n[查看详情]({LINK})")
    text = body(
        wecom.build({"webhook_url": "https://h/x"}, Message("T", LONG, mentions=("all",)), NOW)
    )
    assert len(text["text"]["content"].encode()) <= 2048


# Feishu custom bot


def test_feishu_sends_a_card_without_signature_when_there_is_no_secret():
    config = {"webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc", "secret": None}
    payload = body(feishu.build(config, REMINDER, NOW))
    assert "sign" not in payload and "timestamp" not in payload
    assert payload["msg_type"] == "interactive"
    card = payload["card"]
    assert card["header"]["title"] == {"tag": "plain_text", "content": REMINDER.title}
    assert card["header"]["template"] == "orange"
    assert card["elements"][0] == {"tag": "markdown", "content": REMINDER.text}
    button = card["elements"][1]["actions"][0]
    assert button["url"] == LINK and button["text"]["content"] == "查看详情"


def test_feishu_signs_with_the_timestamp_and_secret_as_key_over_an_empty_message():
    config = {"webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc", "secret": "s3"}
    payload = body(feishu.build(config, REMINDER, NOW))
    timestamp = int(NOW.timestamp())
    assert payload["timestamp"] == str(timestamp)
    expected = hmac.new(f"{timestamp}\ns3".encode(), b"", hashlib.sha256).digest()
    assert payload["sign"] == base64.b64encode(expected).decode()


def test_feishu_mentions_by_user_id_and_everyone_but_not_by_mobile():
    message = Message("T", "Go", mentions=("ou_123", "13800001111", "@all"))
    card = body(feishu.build({"webhook_url": "https://h/x"}, message, NOW))["card"]
    assert card["elements"][0]["content"] == "Go\n<at id=all></at> <at id=ou_123></at>"
    assert "13800001111" not in json.dumps(card)


def test_feishu_keeps_the_whole_request_under_20_kb():
    message = Message("T", LONG + '"\\\n' * 2000, LINK, mentions=("ou_1",))
    request = feishu.build({"webhook_url": "https://h/x", "secret": "s"}, message, NOW)
    assert len(request.body) <= 20_000
    content = body(request)["card"]["elements"][0]["content"]
    assert content.endswith("…\n<at id=ou_1></at>")


# DingTalk custom robot


DINGTALK = {
    "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=tok",
    "secret": "SECx",
}


def test_dingtalk_appends_the_millisecond_timestamp_and_url_encoded_signature():
    request = dingtalk.build(DINGTALK, REMINDER, NOW)
    parts = urlsplit(request.url)
    query = parse_qs(parts.query)
    timestamp = int(NOW.timestamp() * 1000)
    assert query["access_token"] == ["tok"] and query["timestamp"] == [str(timestamp)]
    expected = base64.b64encode(
        hmac.new(b"SECx", f"{timestamp}\nSECx".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    assert parts.query.endswith(f"&sign={quote_plus(expected)}")  # URL-encoded, as documented


def test_dingtalk_sends_markdown_and_mentions_in_both_the_at_block_and_the_text():
    message = Message("开播提醒", "第一行\n第二行", LINK, mentions=("13800001111", "user9"))
    payload = body(dingtalk.build(DINGTALK, message, NOW))
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["title"] == "开播提醒"
    assert payload["markdown"]["text"] == (
        f"#### 开播提醒\n\n第一行\n\n第二行\n\n[查看详情]({LINK})\n\n@13800001111 @user9"
    )
    assert payload["at"] == {"atMobiles": ["13800001111"], "atUserIds": ["user9"], "isAtAll": False}


def test_dingtalk_cuts_long_text_to_20000_bytes():
    payload = body(dingtalk.build(DINGTALK, Message("T", LONG, LINK), NOW))
    assert len(payload["markdown"]["text"].encode()) <= 20_000
    assert payload["markdown"]["text"].endswith(f"…\n\n[查看详情]({LINK})")


# Generic webhook


def test_webhook_body_and_signature_follow_the_documented_scheme():
    request = webhook.build({"url": "https://hooks.example.com/in", "secret": "shh"}, REMINDER, NOW)
    assert body(request) == {
        "event": "reminder",
        "title": REMINDER.title,
        "text": REMINDER.text,
        "link": LINK,
        "mentions": [],
        "sent_at": "2026-05-01T12:00:00+00:00",
    }
    timestamp = request.headers["X-Cueflow-Timestamp"]
    assert timestamp == str(int(NOW.timestamp()))
    assert request.headers["X-Cueflow-Event"] == "reminder"
    digest = hmac.new(b"shh", timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["X-Cueflow-Signature"] == f"sha256={digest.hexdigest()}"


def test_verify_signature_accepts_only_the_untampered_fresh_request():
    request = webhook.build({"url": "https://h/in", "secret": "shh"}, REMINDER, NOW)
    timestamp = request.headers["X-Cueflow-Timestamp"]
    signature = request.headers["X-Cueflow-Signature"]
    verify = webhook.verify_signature
    assert verify("shh", request.body, timestamp, signature, now=NOW + timedelta(seconds=299))
    assert not verify("other", request.body, timestamp, signature, now=NOW)
    assert not verify("shh", request.body + b" ", timestamp, signature, now=NOW)
    assert not verify("shh", request.body, timestamp, signature, now=NOW + timedelta(minutes=6))
    assert not verify("shh", request.body, None, signature, now=NOW)
    assert not verify("shh", request.body, timestamp, "sha256=00", now=NOW)


def test_builders_refuse_a_now_without_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        webhook.build({"url": "https://h/in", "secret": "s"}, REMINDER, NOW.replace(tzinfo=None))


# E-mail


def test_email_goes_to_the_channel_and_mentioned_addresses_with_the_link():
    message = Message(
        "复盘提醒 review due",
        "请在 T+1d 前完成数据复盘。",
        LINK,
        mentions=("Boss@Example.com", "13800001111", "ops@example.com"),
    )
    email = mail.build({"to": ["ops@example.com"]}, message, NOW, sender="Cueflow <c@example.com>")
    assert email["Subject"] == "复盘提醒 review due"
    assert email["To"] == "ops@example.com, Boss@Example.com"
    assert email["From"] == "Cueflow <c@example.com>"
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Message-ID"].endswith("@example.com>")
    assert email.get_content() == f"请在 T+1d 前完成数据复盘。\n\n{LINK}\n"
