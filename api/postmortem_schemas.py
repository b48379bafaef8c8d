"""The post-mortem's figures as the API serves them: the response schemas of
`PostMortem.as_dict()` (engine/model/postmortem.py says what each figure means).

Times are ISO 8601 strings in the run's time zone, as the analysis writes them; a
signed-off revision is served exactly as it was stored.
"""

from __future__ import annotations

import marshmallow as ma

_TIME_META = {"format": "date-time", "description": "ISO 8601, in the run's time zone"}


def _time(nullable: bool = True) -> ma.fields.String:
    return ma.fields.String(allow_none=nullable, required=True, metadata=_TIME_META)


def _minutes(description: str = "") -> ma.fields.Float:
    return ma.fields.Float(allow_none=True, required=True, metadata={"description": description})


def _text(nullable: bool = False) -> ma.fields.String:
    return ma.fields.String(allow_none=nullable, required=True)


def _count() -> ma.fields.Integer:
    return ma.fields.Integer(required=True)


def _number(nullable: bool = False) -> ma.fields.Raw:
    """An entered figure, kept as entered (an integer stays an integer)."""
    return ma.fields.Raw(allow_none=nullable, required=True, metadata={"type": "number"})


class NodeTimingSchema(ma.Schema):
    node_id = _text()
    title = _text()
    kind = _text()
    phase = _text()
    role = _text(nullable=True)
    state = _text()
    planned_start = _time()
    planned_due = _time()
    ready_at = _time()
    started_at = _time()
    finished_at = _time()
    planned_minutes = _minutes()
    actual_minutes = _minutes("finished - started")
    lateness_minutes = _minutes("finished - planned due; positive when late")
    on_time = ma.fields.Boolean(allow_none=True, required=True)
    judged = ma.fields.Boolean(
        required=True, metadata={"description": "Counts in the on-time rate and lateness"}
    )
    completed_by = ma.fields.Integer(allow_none=True, required=True)
    reopened = _count()


class OnTimeRateSchema(ma.Schema):
    judged = _count()
    on_time = _count()
    late = _count()
    percent = ma.fields.Float(allow_none=True, required=True)


class LatenessSchema(ma.Schema):
    key = ma.fields.Raw(
        allow_none=True,
        required=True,
        metadata={"description": "The role, or the person's user id"},
    )
    name = _text()
    judged = _count()
    on_time = _count()
    late = _count()
    on_time_percent = ma.fields.Float(required=True)
    mean_late_minutes = ma.fields.Float(
        allow_none=True, required=True, metadata={"description": "Mean lateness of the late ones"}
    )
    early = _count()
    mean_early_minutes = ma.fields.Float(
        allow_none=True, required=True, metadata={"description": "How early the early ones were"}
    )
    total_late_minutes = ma.fields.Float(required=True)
    worst_node_id = _text()
    worst_lateness_minutes = ma.fields.Float(required=True)


class PathStepSchema(ma.Schema):
    node_id = _text()
    title = _text()
    role = _text(nullable=True)
    planned_due = _time()
    ready_at = _time()
    finished_at = _time()
    lateness_minutes = _minutes()
    lost_minutes = _minutes("How much later than planned it left the run than it found it")
    buffer_left_minutes = _minutes("go-live - finished")


class GoLiveSlackSchema(ma.Schema):
    milestone_id = _text()
    milestone_title = _text()
    milestone_ready_at = _time()
    steps = ma.fields.List(ma.fields.Nested(PathStepSchema), required=True)
    planned_margin_minutes = _minutes()
    actual_margin_minutes = _minutes()
    lost_minutes = _minutes()
    most_lost_node_id = _text(nullable=True)


class MetricResultSchema(ma.Schema):
    node_id = _text()
    node_title = _text()
    phase = _text()
    key = _text()
    label = _text()
    unit = _text()
    type = _text()
    actual = _number()
    target_variable = _text(nullable=True)
    target = _number(nullable=True)
    achievement_percent = ma.fields.Float(allow_none=True, required=True)
    entered_by = ma.fields.Integer(allow_none=True, required=True)
    entered_at = _time(nullable=False)


class UnfilledMetricSchema(ma.Schema):
    node_id = _text()
    node_title = _text()
    key = _text()
    label = _text()


class ResolutionSchema(ma.Schema):
    how = ma.fields.String(required=True, metadata={"enum": ["resolved", "completed", "skipped"]})
    by = ma.fields.Integer(allow_none=True, required=True)
    at = _time(nullable=False)
    text = _text()
    minutes_open = ma.fields.Float(required=True)


class ReportedProblemSchema(ma.Schema):
    node_id = _text(nullable=True)
    task_id = ma.fields.Integer(allow_none=True, required=True)
    reported_by = ma.fields.Integer(allow_none=True, required=True)
    reported_at = _time(nullable=False)
    text = _text()
    blocking = ma.fields.Boolean(required=True)
    resolution = ma.fields.Nested(ResolutionSchema, allow_none=True, required=True)


class GoLiveChangeSchema(ma.Schema):
    at = _time(nullable=False)
    old = _time()
    new = _time()


class PostMortemFiguresSchema(ma.Schema):
    go_live = _time(nullable=False)
    tz = _text()
    status = _text(nullable=True)
    started_at = _time()
    ended_at = _time()
    go_live_changes = ma.fields.List(ma.fields.Nested(GoLiveChangeSchema), required=True)
    nodes = ma.fields.List(ma.fields.Nested(NodeTimingSchema), required=True)
    on_time = ma.fields.Nested(OnTimeRateSchema, required=True)
    by_role = ma.fields.List(ma.fields.Nested(LatenessSchema), required=True)
    by_person = ma.fields.List(ma.fields.Nested(LatenessSchema), required=True)
    critical_path = ma.fields.List(ma.fields.Nested(PathStepSchema), required=True)
    go_live_slack = ma.fields.Nested(GoLiveSlackSchema, allow_none=True, required=True)
    metrics = ma.fields.List(ma.fields.Nested(MetricResultSchema), required=True)
    unfilled_metrics = ma.fields.List(ma.fields.Nested(UnfilledMetricSchema), required=True)
    problems = ma.fields.List(ma.fields.Nested(ReportedProblemSchema), required=True)
    roster = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.Integer()), required=True
    )
    people = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={"description": "user id -> name, for everyone the report names"},
    )
    event_count = _count()


class ActionFactsSchema(ma.Schema):
    """An improvement action as a report shows it (and a sign-off keeps it)."""

    id = _count()
    title = _text()
    detail = _text()
    kind = _text()
    status = _text()
    owner_id = ma.fields.Integer(allow_none=True, required=True)
    owner = _text()
    node_id = _text(nullable=True)
    due_at = _time()
    carried_run_id = ma.fields.Integer(allow_none=True, required=True)
    applied_revision = ma.fields.Integer(allow_none=True, required=True)
