"""Conditions are data: parsed strictly, evaluated without eval, never raising on data."""

from __future__ import annotations

import pytest

from engine.model.conditions import ConditionError, evaluate, parse, to_doc, variables_referenced

RESERVED = {"var": "warmup_reservations", "op": ">=", "value": 500}


@pytest.mark.parametrize(
    ("condition", "variables", "expected"),
    [
        (RESERVED, {"warmup_reservations": 500}, True),
        (RESERVED, {"warmup_reservations": 499}, False),
        (RESERVED, {}, False),
        (RESERVED, {"warmup_reservations": "600"}, False),  # a string is not a number
        ({"var": "x", "op": "==", "value": 1}, {"x": 1.0}, True),
        ({"var": "x", "op": "==", "value": 1}, {"x": True}, False),  # bool is not a number
        ({"var": "x", "op": "!=", "value": 1}, {"x": "a"}, False),  # incompatible: False
        ({"var": "x", "op": "!=", "value": 1}, {"x": 2}, True),
        ({"var": "x", "op": "<", "value": True}, {"x": False}, False),  # bools have no order
        ({"var": "x", "op": "<", "value": "b"}, {"x": "a"}, True),
        ({"var": "ch", "op": "in", "value": ["wecom", "feishu"]}, {"ch": "wecom"}, True),
        ({"var": "ch", "op": "in", "value": ["wecom"]}, {"ch": "sms"}, False),
        ({"var": "ch", "op": "not_in", "value": ["wecom"]}, {"ch": "sms"}, True),
        ({"var": "ch", "op": "not_in", "value": ["wecom"]}, {}, False),
        ({"var": "x", "op": "is_set"}, {"x": 0}, True),
        ({"var": "x", "op": "is_set"}, {"x": None}, False),
        (
            {"all": [RESERVED, {"var": "ok", "op": "==", "value": True}]},
            {"warmup_reservations": 900, "ok": True},
            True,
        ),
        ({"any": [RESERVED, {"var": "ok", "op": "==", "value": True}]}, {"ok": False}, False),
        ({"not": RESERVED}, {"warmup_reservations": 10}, True),
        (
            {"var": "gmv", "op": ">=", "value": {"var": "gmv_target"}},
            {"gmv": 120000, "gmv_target": 100000},
            True,
        ),
        ({"var": "gmv", "op": ">=", "value": {"var": "gmv_target"}}, {"gmv": 1}, False),
    ],
)
def test_evaluate(condition, variables, expected):
    assert evaluate(condition, variables) is expected
    assert evaluate(parse(condition), variables) is expected


def test_variables_referenced_walks_the_whole_tree():
    condition = {
        "all": [RESERVED, {"not": {"any": [{"var": "a", "op": "is_set"}]}}],
    }
    assert variables_referenced(condition) == {"warmup_reservations", "a"}
    assert variables_referenced({"var": "gmv", "op": ">", "value": {"var": "t"}}) == {"gmv", "t"}


def test_to_doc_is_the_inverse_of_parse():
    doc = {"all": [RESERVED, {"not": {"var": "c", "op": "in", "value": [1, "a", True]}}]}
    assert to_doc(parse(doc)) == doc


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"var": "x", "op": "gt", "value": 1}, ("op",)),
        ({"var": "x", "op": ">"}, ("value",)),
        ({"var": "", "op": ">", "value": 1}, ("var",)),
        ({"var": "x", "op": "is_set", "value": 1}, ("value",)),
        ({"var": "x", "op": "in", "value": 1}, ("value",)),
        ({"var": "x", "op": "==", "value": [1]}, ("value",)),
        ({"var": "x", "op": "==", "value": float("nan")}, ("value",)),
        ({"all": []}, ("all",)),
        ({"all": [RESERVED, {"var": "x", "op": "~", "value": 1}]}, ("all", 1, "op")),
        ({"var": "x", "op": "==", "value": 1, "extra": 2}, ("extra",)),
        ({"not": "x"}, ("not",)),
        ("x > 1", ()),
    ],
)
def test_malformed_conditions_name_the_offending_part(doc, path):
    with pytest.raises(ConditionError) as caught:
        parse(doc)
    assert caught.value.path == path
