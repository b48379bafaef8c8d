"""Cutting text by bytes, sorting mentions, and merging a burst into one digest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.notify.message import (
    MAX_DIGEST_ITEMS,
    Category,
    Message,
    digest,
    fit_parts,
    fit_utf8,
    split_mentions,
)
from engine.notify.wecom import MARKDOWN_BYTES, markdown


@given(st.text(), st.integers(0, 300))
def test_fit_utf8_never_exceeds_the_limit_nor_splits_a_character(text, limit):
    cut = fit_utf8(text, limit)
    assert len(cut.encode()) <= limit
    assert cut == text or cut.endswith("…") or cut == ""
    assert text.startswith(cut.removesuffix("…"))


@given(st.text(), st.text(), st.text(), st.integers(0, 400))
def test_fit_parts_never_exceeds_the_limit(head, text, tail, limit):
    assert len(fit_parts(head, text, tail, limit).encode()) <= limit


def test_fit_parts_cuts_the_text_before_the_title_or_link():
    assert (
        fit_parts("标题", "正文" * 100, "link", 30) == "标题\n正文正文正…\nlink"
    )  # 6 + 1 + 18 + 1 + 4 bytes
    assert fit_parts("标题", "短", "link", 30) == "标题\n短\nlink"


def test_mentions_are_sorted_into_mobiles_user_ids_and_everyone():
    assert split_mentions(["13800001111", "+8613900002222", "ou_abc", "@all", "ou_abc", " "]) == (
        ["13800001111", "+8613900002222"],
        ["ou_abc"],
        True,
    )


def reminder(n: int, **kwargs) -> Message:
    return Message(
        title=f"任务 {n} 即将到期",
        text=f"第 {n} 项：上架商品\n第二行不进摘要",
        category=Category.REMINDER,
        **kwargs,
    )


def test_a_digest_counts_by_category_and_lists_every_message_in_order():
    messages = [
        reminder(1, link="https://c.example.com/t/1", mentions=("13800001111",)),
        reminder(2, mentions=("13800001111", "ou_x")),
        Message("超时：开播检查", "已超时 10 分钟", category=Category.ESCALATION),
    ]
    merged = digest(messages)
    assert merged.title == "3 条通知"
    assert merged.category is Category.DIGEST
    assert merged.mentions == ("13800001111", "ou_x")
    assert merged.link is None  # the messages link to different places
    assert merged.text.splitlines() == [
        "提醒 2 · 升级 1",
        "",
        "- [提醒] [任务 1 即将到期: 第 1 项：上架商品](https://c.example.com/t/1)",
        "- [提醒] 任务 2 即将到期: 第 2 项：上架商品",
        "- [升级] 超时：开播检查: 已超时 10 分钟",
    ]


def test_a_full_digest_of_long_lines_fits_wecom_markdown_with_every_line():
    long_title = "直播间福袋与优惠券推送节奏确认" * 5
    messages = [
        Message(f"{i} {long_title}", long_title, link=f"https://cueflow.example.com/runs/7/t/{i}")
        for i in range(MAX_DIGEST_ITEMS)
    ]
    content = markdown(digest(messages, "20 条提醒"), [])
    assert len(content.encode()) <= MARKDOWN_BYTES
    for i in range(MAX_DIGEST_ITEMS):
        assert f"https://cueflow.example.com/runs/7/t/{i})" in content


def test_a_digest_needs_messages():
    with pytest.raises(ValueError):
        digest([])


def test_a_message_takes_its_category_by_name_and_refuses_unknown_ones():
    assert Message("t", "x", category="escalation").category is Category.ESCALATION
    assert Message("t", "x", mentions=["a"]).mentions == ("a",)
    with pytest.raises(ValueError):
        Message("t", "x", category="gossip")
