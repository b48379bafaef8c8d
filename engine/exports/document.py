"""What a post-mortem export holds: the run's names, the report's standing, the figures
(`PostMortem.as_dict()`: times in ISO 8601 in the run's time zone) and the actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportDocument:
    run_id: int
    run_name: str
    runbook_name: str
    version: int
    run_status: str
    status: str  # engine.model.review_states.ReportStatus
    revision: int
    live: bool  # figures read now from the events; False: as signed off
    summary: str
    signed_at: str | None  # ISO 8601 in the run's time zone
    signed_by: str | None
    generated_at: str  # ISO 8601 in the run's time zone
    report: Mapping[str, Any]
    actions: Sequence[Mapping[str, Any]]  # title, owner, kind, status, due, node_id

    @property
    def title(self) -> str:
        return f"复盘 Post-mortem · {self.run_name}"

    def name_of(self, user_id: Any) -> str:
        """A person named in the report, by user id (as the report's `people` holds them)."""
        if user_id is None:
            return ""
        return self.report.get("people", {}).get(str(user_id)) or f"#{user_id}"
