"""Upgrading stored graph documents to the current `format`, one small named step at a time.

Format history:

- v1 (current): `{"format": 1, "variables": [...], "nodes": [...], "edges": [...]}`.

When the format changes, bump `FORMAT`, write one function `v1_to_v2(doc) -> doc`
whose docstring says what changed, and register it in `UPGRADES` under 1. Every
stored document, export and template then loads through the chain. Steps get their
own deep copy, so they may change it in place.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from engine.errors import CueflowError, ErrorCode, FieldError

FORMAT = 1

Step = Callable[[dict[str, Any]], dict[str, Any]]

# from-version -> the step producing from-version + 1. Empty while v1 is the only format.
UPGRADES: dict[int, Step] = {}


def format_of(doc: Mapping[str, Any]) -> int:
    """The document's format number, or a precise error when it is missing or not a number."""
    version = doc.get("format")
    if version is None:
        raise _invalid("Missing: say which graph format this document uses, e.g. 1.")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _invalid("The format must be a whole number.")
    return version


def upgrade(
    doc: Mapping[str, Any], *, steps: Mapping[int, Step] = UPGRADES, current: int = FORMAT
) -> dict[str, Any]:
    """The document in the `current` format; raises for formats newer or unknown."""
    version = format_of(doc)
    if version > current:
        raise _unsupported(version, f"Format {version} is newer than this Cueflow ({current}).")
    if version == current:
        return dict(doc)
    upgraded = copy.deepcopy(dict(doc))
    while version < current:
        step = steps.get(version)
        if step is None:
            raise _unsupported(version, f"Format {version} can no longer be read.")
        upgraded = step(upgraded)
        version += 1
        upgraded["format"] = version
    return upgraded


def _invalid(message: str) -> CueflowError:
    return CueflowError(ErrorCode.GRAPH_INVALID, errors=[FieldError("format", message)])


def _unsupported(version: int, message: str) -> CueflowError:
    return CueflowError(
        ErrorCode.GRAPH_FORMAT_UNSUPPORTED,
        message,
        errors=[FieldError("format", message)],
        extra={"format": version, "supported": FORMAT},
    )
