"""What every benchmark shares (BENCH.md): the standard options and the timing rule."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def parser(doc: str | None) -> argparse.ArgumentParser:
    """`--n 30,300,3000`, `--repeat 3`, `--json`; a benchmark adds its own options."""
    made = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    made.add_argument("--n", default="30,300,3000", help="sizes, comma-separated")
    made.add_argument("--repeat", type=int, default=3, help="repeats; the median is reported")
    made.add_argument("--json", action="store_true", help="one JSON object per line")
    return made


def sizes(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


def measure(fn: Callable[[T], object], arg: T, repeat: int) -> float:
    """Median wall time in milliseconds over `repeat` runs, after one warm-up run."""
    fn(arg)
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn(arg)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
