"""The Gantt chart of a post-mortem, planned against actual, as SVG for the PDF report.

Drawn by matplotlib (`broken_barh` on a date axis): a well-kept library with a real date
axis, time zones and text layout, where a hand-written SVG would have to re-invent tick
placement and label fitting. Its SVG keeps text as text (`svg.fonttype = none`), so
WeasyPrint sets the Chinese titles in Noto Sans CJK like the rest of the page, and the
PDF's text stays searchable. It is imported on first use: it takes a second to load.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

FONTS = ["Noto Sans CJK SC", "DejaVu Sans"]
MAX_ROWS = 60  # larger runs show their critical path and their latest steps
_SKIP_KINDS = {"start", "end", "decision"}
PLANNED, ON_TIME, LATE, OTHER = "#b0bec5", "#2e7d32", "#c62828", "#1565c0"


def chart_rows(report: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], int]:
    """The nodes the chart shows (runbook order) and how many could have been shown."""
    nodes = [
        n
        for n in report["nodes"]
        if n["kind"] not in _SKIP_KINDS
        and ((n["planned_start"] and n["planned_due"]) or (n["started_at"] and n["finished_at"]))
    ]
    if len(nodes) <= MAX_ROWS:
        return nodes, len(nodes)
    critical = {step["node_id"] for step in report["critical_path"]}
    ranked = sorted(
        nodes,
        key=lambda n: (n["node_id"] not in critical, -(n["lateness_minutes"] or 0.0)),
    )
    keep = {n["node_id"] for n in ranked[:MAX_ROWS]}
    return [n for n in nodes if n["node_id"] in keep], len(nodes)


def gantt_svg(report: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """The chart as an <svg> element. `labels`: planned, on_time, late, other, go_live."""
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: see the module docstring
    matplotlib.rcParams["svg.hashsalt"] = "cueflow"  # the same report, the same SVG
    from matplotlib import dates
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    rows, _ = chart_rows(report)
    zone = ZoneInfo(report["tz"])
    figure = Figure(figsize=(7.1, 0.9 + 0.26 * max(len(rows), 1)), layout="constrained")
    axes = figure.add_subplot()
    font = {"family": FONTS, "size": 7}
    for y, node in enumerate(rows):
        _bar(axes, node["planned_start"], node["planned_due"], y - 0.18, PLANNED)
        _bar(axes, node["started_at"], node["finished_at"], y + 0.18, _colour(node))
    go_live = _num(report["go_live"])
    axes.axvline(go_live, color="#37474f", linewidth=0.8, linestyle="--")
    axes.text(
        go_live, -0.7, labels["go_live"], fontdict=font, ha="center", va="center", parse_math=False
    )
    axes.set_yticks(
        range(len(rows)),
        labels=[_short(n["title"]) for n in rows],
        fontdict=font,
        parse_math=False,
    )
    axes.set_ylim(len(rows) - 0.4, -1.2)
    axes.xaxis.set_major_locator(dates.AutoDateLocator(tz=zone, maxticks=8))
    axes.xaxis.set_major_formatter(dates.DateFormatter("%m-%d %H:%M", tz=zone))
    axes.tick_params(axis="x", labelsize=6)
    axes.grid(axis="x", color="#eceff1", linewidth=0.5)
    axes.set_axisbelow(True)
    legend = [(PLANNED, "planned"), (ON_TIME, "on_time"), (LATE, "late"), (OTHER, "other")]
    axes.legend(
        handles=[Patch(color=colour, label=labels[key]) for colour, key in legend],
        prop=font,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.06),
        ncols=4,
        frameon=False,
    )
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    return text[text.index("<svg") :]


def _num(value: str) -> float:
    from matplotlib import dates

    return float(dates.date2num(datetime.fromisoformat(value)))


def _bar(axes, start: str | None, end: str | None, y: float, colour: str) -> None:
    if not start or not end:
        return
    left, right = _num(start), _num(end)
    if right - left <= 0:  # ticked off at once: a mark, not a bar
        axes.plot([right], [y], marker="D", markersize=3, color=colour)
        return
    axes.broken_barh([(left, right - left)], (y - 0.15, 0.3), color=colour)


def _colour(node: Mapping[str, Any]) -> str:
    if not node["judged"]:
        return OTHER
    return ON_TIME if node["on_time"] else LATE


def _short(title: str, limit: int = 26) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
