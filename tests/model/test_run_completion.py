"""Completing a task: checklist, typed fields and metrics, every problem listed at once."""

from __future__ import annotations

import math

import pytest

from engine.errors import CueflowError, ErrorCode
from engine.model.run_completion import Completion, check_completion
from tests.model.builder import GraphBuilder


def review_task(**settings):
    """The data review of a live stream (直播复盘): a checklist, fields and metrics."""
    settings = settings or {
        "checklist": [
            {"id": "export", "text": "Export the stream data"},
            {"id": "screens", "text": "Screenshot the dashboard"},
        ],
        "required_fields": [
            {"key": "summary", "label": "Summary", "type": "text"},
            {"key": "viewers", "label": "Peak viewers", "type": "number"},
            {"key": "repeat", "label": "Run it again?", "type": "bool", "sets_variable": "again"},
            {"key": "mood", "label": "Room mood", "type": "choice", "choices": ["hot", "cold"]},
        ],
        "metric_fields": [
            {"key": "orders", "label": "Orders", "type": "integer"},
            {"key": "gmv", "label": "GMV", "type": "money", "sets_variable": "gmv"},
            {"key": "conversion", "label": "Conversion", "type": "percent"},
            {"key": "roi", "label": "ROI", "type": "number"},
        ],
    }
    b = GraphBuilder().node("review", "task", "review", **settings)
    return b.graph().node_by_id["review"]


GOOD = {
    "checklist": {"export": True, "screens": True},
    "fields": {"summary": "  Good show ", "viewers": 1200, "repeat": True, "mood": "hot"},
    "metrics": {"orders": 310.0, "gmv": 45210.5, "conversion": 3.2, "roi": 2.75},
    "note": " 主播状态好 ",
}


def problems(node, payload) -> dict[str, str]:
    with pytest.raises(CueflowError) as caught:
        check_completion(node, payload)
    assert caught.value.code is ErrorCode.TASK_INCOMPLETE
    assert caught.value.status == 422
    assert all(e.node_id == node.id for e in caught.value.errors)
    return {e.field: e.message for e in caught.value.errors}


def with_(section: str, **changes):
    return {**GOOD, section: {**GOOD[section], **changes}}


def test_a_complete_payload_comes_back_normalised_with_the_variables_it_sets():
    completion = check_completion(review_task(), GOOD)
    assert completion == Completion(
        checklist={"export": True, "screens": True},
        fields={"summary": "Good show", "viewers": 1200, "repeat": True, "mood": "hot"},
        metrics={"orders": 310, "gmv": 45210.5, "conversion": 3.2, "roi": 2.75},
        note="主播状态好",
        approved=None,
        variables_set={"again": True, "gmv": 45210.5},
    )
    assert type(completion.metrics["orders"]) is int
    assert completion.as_dict()["variables_set"] == {"again": True, "gmv": 45210.5}


def test_a_task_without_settings_completes_with_an_empty_payload():
    node = GraphBuilder().node("t", "task").graph().node_by_id["t"]
    assert check_completion(node, {}).as_dict() == {
        "checklist": {},
        "fields": {},
        "metrics": {},
        "note": "",
        "variables_set": {},
    }


def test_every_checklist_item_must_be_ticked():
    assert problems(review_task(), with_("checklist", screens=False)) == {
        "checklist.screens": "Tick this item (true). “Screenshot the dashboard”"
    }
    assert set(problems(review_task(), {**GOOD, "checklist": {}})) == {
        "checklist.export",
        "checklist.screens",
    }
    assert (
        "true or false" in problems(review_task(), with_("checklist", export=1))["checklist.export"]
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("viewers", "1200"),
        ("viewers", True),
        ("viewers", math.inf),
        ("viewers", math.nan),
        ("viewers", 10**16),
        ("summary", 5),
        ("summary", "   "),
        ("summary", "x" * 5001),
        ("repeat", 1),
        ("repeat", "yes"),
        ("mood", "warm"),
        ("mood", 1),
    ],
)
def test_a_field_of_the_wrong_type_is_refused(key, value):
    assert list(problems(review_task(), with_("fields", **{key: value}))) == [f"fields.{key}"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("orders", 3.5),
        ("orders", "3"),
        ("orders", False),
        ("gmv", -1),
        ("gmv", 10.005),
        ("gmv", 0.1 + 0.2),
        ("conversion", 100.5),
        ("conversion", -0.1),
        ("roi", math.inf),
        ("roi", None),
    ],
)
def test_a_metric_of_the_wrong_type_is_refused(key, value):
    assert list(problems(review_task(), with_("metrics", **{key: value}))) == [f"metrics.{key}"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("gmv", 0), ("gmv", 19.99), ("gmv", 1e12), ("conversion", 0), ("conversion", 100)],
)
def test_metric_edges_that_are_fine(key, value):
    assert check_completion(review_task(), with_("metrics", **{key: value})).metrics[key] == value


def test_a_missing_field_or_metric_is_named_with_its_label():
    payload = {**GOOD, "fields": {k: v for k, v in GOOD["fields"].items() if k != "viewers"}}
    assert problems(review_task(), payload) == {"fields.viewers": "Fill in “Peak viewers”."}


def test_unknown_keys_are_refused_at_every_level():
    payload = {
        **GOOD,
        "checklist": {**GOOD["checklist"], "extra": True},
        "fields": {**GOOD["fields"], "gmv": 1},  # a metric sent as a field
        "metrics": {**GOOD["metrics"], "likes": 3},
        "attachments": [],
    }
    assert set(problems(review_task(), payload)) == {
        "attachments",
        "checklist.extra",
        "fields.gmv",
        "metrics.likes",
    }


def test_every_problem_is_listed_at_once():
    payload = {
        "checklist": {"export": True},
        "fields": {"summary": "", "viewers": "many", "repeat": None, "mood": "hot"},
        "metrics": {"orders": 1.5, "gmv": -3, "conversion": 300},
        "note": 7,
    }
    assert list(problems(review_task(), payload)) == [
        "checklist.screens",
        "fields.summary",
        "fields.viewers",
        "fields.repeat",
        "metrics.orders",
        "metrics.gmv",
        "metrics.conversion",
        "metrics.roi",
        "note",
    ]


def test_sections_and_the_payload_must_be_objects():
    assert set(problems(review_task(), {**GOOD, "fields": ["x"], "metrics": 3})) >= {
        "fields",
        "metrics",
    }
    assert list(problems(review_task(), ["not", "an", "object"])) == [""]


def test_an_approval_records_its_outcome_in_its_variable():
    b = GraphBuilder().variable("approved", "bool")
    node = b.node("ok", "approval", role="manager", sets_variable="approved").graph().nodes[0]
    completion = check_completion(node, {"approved": False, "note": "budget too high"})
    assert completion.approved is False
    assert completion.variables_set == {"approved": False}
    assert problems(node, {"approved": "yes", "checklist": {}}) == {
        "approved": "Approve (true) or reject (false).",
        "checklist": "This task has no such entry.",
    }


def test_only_human_nodes_are_completed():
    node = GraphBuilder().node("s", "start").graph().nodes[0]
    with pytest.raises(ValueError):
        check_completion(node, {})
