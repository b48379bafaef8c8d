"""Channel settings: one schema per kind, errors per field, secrets never shown back."""

from __future__ import annotations

import pytest

from engine.errors import CueflowError, ErrorCode
from engine.notify.channels import (
    MASK,
    SCHEMAS,
    ChannelKind,
    load_config,
    redacted,
    with_kept_secrets,
)

VALID = {
    ChannelKind.WECOM: {"webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"},
    ChannelKind.FEISHU: {
        "webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/h1",
        "secret": "fs",
    },
    ChannelKind.DINGTALK: {
        "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=t1",
        "secret": "SEC1",
    },
    ChannelKind.EMAIL: {"to": ["ops@example.com", "boss@example.com"]},
    ChannelKind.WEBHOOK: {"url": "https://hooks.example.com/in?token=t", "secret": "whsec"},
}


def test_every_kind_has_a_schema_and_accepts_its_documented_settings():
    assert set(SCHEMAS) == set(ChannelKind)
    for kind, config in VALID.items():
        assert load_config(kind, config) == config


def test_feishu_secret_is_optional():
    url = VALID[ChannelKind.FEISHU]["webhook_url"]
    assert load_config("feishu", {"webhook_url": url}) == {"webhook_url": url, "secret": None}


def invalid(kind, config) -> dict[str, str]:
    with pytest.raises(CueflowError) as caught:
        load_config(kind, config)
    assert caught.value.code is ErrorCode.CHANNEL_INVALID and caught.value.status == 422
    return {e.field: e.message for e in caught.value.errors}


def test_errors_name_each_offending_field():
    assert invalid("dingtalk", {"webhook_url": "oapi.dingtalk.com/robot"}) == {
        "config.webhook_url": "Not a valid URL.",
        "config.secret": "Missing data for required field.",
    }
    assert invalid("email", {"to": ["ops@example.com", "not an address"], "cc": []}) == {
        "config.to.1": "Not a valid email address.",
        "config.cc": "Unknown field.",
    }
    assert set(invalid("email", {"to": []})) == {"config.to"}
    assert set(invalid("webhook", {"url": "file:///etc/passwd", "secret": "s"})) == {"config.url"}
    assert invalid("sms", {}) == {
        "kind": "Unknown channel kind; use one of " + ", ".join(ChannelKind) + "."
    }


def test_redacted_masks_secrets_and_the_keys_inside_urls():
    assert redacted("wecom", VALID[ChannelKind.WECOM]) == {
        "webhook_url": f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?{MASK}"
    }
    assert redacted("feishu", VALID[ChannelKind.FEISHU]) == {
        "webhook_url": f"https://open.feishu.cn/open-apis/bot/v2/hook/{MASK}",
        "secret": MASK,
    }
    assert redacted("dingtalk", VALID[ChannelKind.DINGTALK]) == {
        "webhook_url": f"https://oapi.dingtalk.com/robot/send?{MASK}",
        "secret": MASK,
    }
    assert redacted("webhook", VALID[ChannelKind.WEBHOOK]) == {
        "url": f"https://hooks.example.com/in?{MASK}",
        "secret": MASK,
    }
    assert redacted("webhook", {"url": "https://hooks.example.com/services/T1/B2/tok3"}) == {
        "url": f"https://hooks.example.com/services/T1/B2/{MASK}"
    }
    assert redacted("webhook", {"url": "https://u:pw@hooks.example.com/"}) == {
        "url": "https://hooks.example.com/"
    }
    assert redacted("email", VALID[ChannelKind.EMAIL]) == VALID[ChannelKind.EMAIL]
    assert redacted("feishu", {"webhook_url": "https://h/x", "secret": None})["secret"] is None


def test_a_form_sent_back_with_masked_secrets_keeps_the_stored_ones():
    stored = VALID[ChannelKind.DINGTALK]
    shown = redacted("dingtalk", stored)
    assert with_kept_secrets("dingtalk", stored, shown) == stored
    changed = {**shown, "secret": "SEC2"}
    assert with_kept_secrets("dingtalk", stored, changed) == {**stored, "secret": "SEC2"}
    moved = {**shown, "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=t2"}
    assert with_kept_secrets("dingtalk", stored, moved)["webhook_url"].endswith("t2")
