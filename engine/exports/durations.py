"""Durations and lateness as people read them, in each report language: "3天4小时",
"12 分钟", "晚 6天20小时", "早 12 分钟" (en: "3 d 4 h", "12 min", "6 d 20 h late").

The browser app has the same rules in `frontend_static/src/model/durations.ts`; both round
to whole minutes and show at most two units (days and hours, or hours and minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

DASH = "—"


@dataclass(frozen=True)
class Words:
    day: str
    hour: str
    minute: str
    unit_space: str  # between a number and its unit ("12 min"); zh only for minutes alone
    joiner: str  # between two units
    late: str  # "{}" is the duration
    early: str
    on_time: str
    under_a_minute: str


WORDS = {
    "zh-CN": Words("天", "小时", "分钟", "", "", "晚 {}", "早 {}", "准时", "不到 1 分钟"),
    "en": Words("d", "h", "min", " ", " ", "{} late", "{} early", "on time", "under 1 min"),
}


def duration(minutes: float | None, lang: str = "zh-CN") -> str:
    """A length of time, never signed: 45 -> "45 分钟", 185 -> "3小时5分钟", 9839 -> "6天19小时"."""
    if minutes is None:
        return DASH
    words = WORDS[lang]
    whole = round(abs(minutes))
    if whole == 0 and minutes:
        return words.under_a_minute
    if whole < 60:
        return f"{whole} {words.minute}"
    days, rest = divmod(whole, 1440)
    hours, mins = divmod(rest, 60)
    parts = (
        [(days, words.day), (hours, words.hour)]
        if days
        else [(hours, words.hour), (mins, words.minute)]
    )
    return words.joiner.join(f"{n}{words.unit_space}{unit}" for n, unit in parts if n)


def lateness(minutes: float | None, lang: str = "zh-CN") -> str:
    """Signed lateness in words: +9839 -> "晚 6天19小时", -12 -> "早 12 分钟", 0.2 -> "准时"."""
    if minutes is None:
        return DASH
    words = WORDS[lang]
    if round(abs(minutes)) == 0:
        return words.on_time
    return (words.late if minutes > 0 else words.early).format(duration(minutes, lang))
