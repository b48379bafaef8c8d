"""What a notification says, the same for every channel; and digests that merge a burst of them.

Pure: no I/O. Robot platforms cap message sizes in UTF-8 bytes, so text is cut by bytes here
(`fit_utf8`), never in the middle of a character.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """Why a message is sent; a generic webhook receives it as `event`."""

    REMINDER = "reminder"  # a task is due soon
    ESCALATION = "escalation"  # a task is overdue; its manager is told
    NOTIFY = "notify"  # a `notify` node of a runbook fired
    DIGEST = "digest"  # several of the above merged into one message
    TEST = "test"  # someone pressed "send a test message" on a channel


# Digests go to the Chinese robot platforms only (e-mail and webhooks are not rate-limited),
# so their fixed words are Chinese. Callers may pass their own title.
CATEGORY_LABELS = {
    Category.REMINDER: "提醒",
    Category.ESCALATION: "升级",
    Category.NOTIFY: "通知",
    Category.DIGEST: "汇总",
    Category.TEST: "测试",
}

MOBILE = re.compile(r"^\+?\d{6,15}$")
EVERYONE = frozenset({"all", "@all"})


@dataclass(frozen=True)
class Message:
    """One notification. `text` is plain text or light markdown (bold, links, lists).

    `mentions` are the people to @ in a robot group: mobile numbers, platform user ids, or
    "all"; for e-mail, extra addresses. Each channel uses the kinds it understands.
    """

    title: str
    text: str
    link: str | None = None
    mentions: tuple[str, ...] = ()
    category: Category = Category.NOTIFY

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", Category(self.category))
        object.__setattr__(self, "mentions", tuple(self.mentions))


def fit_utf8(text: str, max_bytes: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `max_bytes` UTF-8 bytes, ending in `ellipsis` when cut."""
    if len(text.encode()) <= max_bytes:
        return text
    room = max_bytes - len(ellipsis.encode())
    if room <= 0:
        return ""
    cut = text.encode()[:room].decode(errors="ignore")
    return cut + ellipsis


def fit_parts(head: str, text: str, tail: str, max_bytes: int, sep: str = "\n") -> str:
    """head, text and tail joined by `sep` within `max_bytes`; the text is cut first.

    A title (head) and a link or mentions (tail) matter more than the end of a long text.
    """

    def size(value: str) -> int:
        return len(value.encode())

    present = [p for p in (head, text, tail) if p]
    room = max_bytes - size(head) - size(tail) - size(sep) * (len(present) - 1)
    if room >= size(text):
        return sep.join(present)
    cut = fit_utf8(text, room) if room > 0 else ""
    if cut:
        return sep.join(p for p in (head, cut, tail) if p)
    half = (max_bytes - size(sep)) // 2
    return sep.join(p for p in (fit_utf8(head, half), fit_utf8(tail, half)) if p)


def split_mentions(mentions: Sequence[str]) -> tuple[list[str], list[str], bool]:
    """(mobile numbers, user ids, everyone?) from a message's mentions, duplicates removed."""
    mobiles: list[str] = []
    user_ids: list[str] = []
    everyone = False
    for mention in dict.fromkeys(m.strip() for m in mentions if m.strip()):
        if mention.lower() in EVERYONE:
            everyone = True
        elif MOBILE.match(mention):
            mobiles.append(mention)
        else:
            user_ids.append(mention)
    return mobiles, user_ids, everyone


MAX_DIGEST_ITEMS = 20  # lines in one digest; with LINE_BYTES it fits WeCom's 4096 bytes
LINE_BYTES = 120  # of each item's title and first line of text


def digest_line(message: Message) -> str:
    first = next((line.strip() for line in message.text.splitlines() if line.strip()), "")
    summary = fit_utf8(f"{message.title}: {first}" if first else message.title, LINE_BYTES)
    label = CATEGORY_LABELS.get(message.category, str(message.category))
    if message.link:
        return f"- [{label}] [{summary}]({message.link})"
    return f"- [{label}] {summary}"


def default_digest_title(messages: Sequence[Message]) -> str:
    return f"{len(messages)} 条通知"


def digest(messages: Sequence[Message], title: str | None = None) -> Message:
    """Several messages as one: counts by category, then one line per message, oldest first.

    Every message gets its line (cut to LINE_BYTES); callers keep a digest to at most
    MAX_DIGEST_ITEMS messages so the platform's size limit never cuts lines off.
    """
    if not messages:
        raise ValueError("A digest needs at least one message.")
    counts = Counter(m.category for m in messages)
    summary = " · ".join(
        f"{CATEGORY_LABELS.get(category, str(category))} {count}"
        for category, count in counts.most_common()
    )
    links = {m.link for m in messages}
    return Message(
        title=title or default_digest_title(messages),
        text="\n".join([summary, "", *(digest_line(m) for m in messages)]),
        link=links.pop() if len(links) == 1 else None,
        mentions=tuple(dict.fromkeys(m for message in messages for m in message.mentions)),
        category=Category.DIGEST,
    )
