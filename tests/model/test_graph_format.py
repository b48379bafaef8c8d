"""The graph's JSON format: one definition, round trips, precise error paths, versions."""

from __future__ import annotations

import copy

import pytest

from bench.workloads import runbook
from engine.errors import CueflowError, ErrorCode
from engine.model import graph_format
from engine.model.graph import from_networkx, to_networkx
from engine.model.graph_format import dump_graph, load_graph
from engine.model.graph_upgrade import FORMAT, upgrade
from engine.templates import TEMPLATES, load_template


def _doc():
    return copy.deepcopy(load_template("store_campaign"))


@pytest.mark.parametrize("key", [t.key for t in TEMPLATES])
def test_load_dump_load_is_stable(key):
    graph = load_graph(load_template(key))
    assert load_graph(dump_graph(graph)) == graph
    assert dump_graph(load_graph(dump_graph(graph))) == dump_graph(graph)


def test_dump_is_the_document_that_was_loaded():
    doc = _doc()
    assert dump_graph(load_graph(doc)) == doc


@pytest.mark.parametrize("key", [t.key for t in TEMPLATES])
def test_networkx_round_trip_keeps_every_attribute(key):
    graph = load_graph(load_template(key))
    g = to_networkx(graph)
    assert g.number_of_nodes() == len(graph.nodes)
    assert g.nodes["start"]["kind"] == "start"
    assert from_networkx(g) == graph


def _errors(doc) -> list:
    with pytest.raises(CueflowError) as caught:
        load_graph(doc)
    assert caught.value.code is ErrorCode.GRAPH_INVALID
    assert caught.value.status == 422
    return caught.value.errors


def test_settings_errors_name_the_field_path_and_the_node():
    doc = _doc()
    index = next(i for i, n in enumerate(doc["nodes"]) if n["kind"] == "recurring")
    doc["nodes"][index]["settings"]["every_minutes"] = "often"
    [problem] = _errors(doc)
    assert problem.field == f"nodes.{index}.settings.every_minutes"
    assert problem.node_id == doc["nodes"][index]["id"]


def test_every_error_is_reported_at_once():
    doc = _doc()
    doc["nodes"][1]["phase"] = "later"
    doc["nodes"][2]["colour"] = "red"
    doc["edges"][0]["condition"] = {"var": "x", "op": "≈", "value": 1}
    doc["variables"][0]["default"] = "lots"
    doc["extra"] = True
    fields = {e.field: e for e in _errors(doc)}
    assert set(fields) == {
        "nodes.1.phase",
        "nodes.2.colour",
        "edges.0.condition.op",
        "variables.0.default",
        "extra",
    }
    assert fields["edges.0.condition.op"].edge_id == doc["edges"][0]["id"]
    assert fields["nodes.1.phase"].node_id == doc["nodes"][1]["id"]


@pytest.mark.parametrize(
    ("kind", "settings", "field"),
    [
        (
            "task",
            {"required_fields": [{"key": "k", "label": "K", "type": "choice"}]},
            "required_fields.0.choices",
        ),
        ("task", {"checklist": [{"id": "bad id", "text": "x"}]}, "checklist.0.id"),
        ("wait", {"mode": "delay", "until_offset_minutes": 5}, "until_offset_minutes"),
        ("notify", {"channel": "carrier_pigeon"}, "channel"),
        ("notify", {"message": "hello {name"}, "message"),
        ("recurring", {"every_minutes": 0}, "every_minutes"),
        ("start", {"anything": 1}, "anything"),
    ],
)
def test_kind_settings_are_checked_by_the_kind(kind, settings, field):
    doc = {
        "format": 1,
        "nodes": [
            {"id": "n", "kind": kind, "phase": "execution", "title": "N", "settings": settings}
        ],
    }
    [problem] = _errors(doc)
    assert problem.field == f"nodes.0.settings.{field}"
    assert problem.node_id == "n"


@pytest.mark.parametrize(
    ("node", "field"),
    [
        (
            {"kind": "task", "phase": "execution", "title": "T", "offset_minutes": 1.5},
            "offset_minutes",
        ),
        (
            {"kind": "task", "phase": "execution", "title": "T", "duration_minutes": -1},
            "duration_minutes",
        ),
        ({"kind": "task", "phase": "execution", "title": ""}, "title"),
        ({"kind": "robot", "phase": "execution", "title": "T"}, "kind"),
        ({"kind": "task", "phase": "execution", "title": "T", "settings": []}, "settings"),
    ],
)
def test_node_fields_are_checked(node, field):
    [problem] = _errors({"format": 1, "nodes": [{"id": "n", **node}]})
    assert problem.field == f"nodes.0.{field}"


def test_not_an_object_is_refused():
    assert _errors([1, 2])[0].field == ""


def test_size_guard_answers_413_before_parsing(monkeypatch):
    monkeypatch.setattr(graph_format, "MAX_NODES", 100)
    with pytest.raises(CueflowError) as caught:
        load_graph(runbook(300))
    assert caught.value.code is ErrorCode.GRAPH_TOO_LARGE
    assert caught.value.status == 413
    assert caught.value.errors[0].field == "nodes"


def test_runbook_3000_is_within_the_limits():
    assert len(load_graph(runbook(3000)).nodes) == 3002


@pytest.mark.parametrize(
    ("fmt", "code"),
    [
        (None, ErrorCode.GRAPH_INVALID),
        ("1", ErrorCode.GRAPH_INVALID),
        (True, ErrorCode.GRAPH_INVALID),
        (FORMAT + 1, ErrorCode.GRAPH_FORMAT_UNSUPPORTED),
        (0, ErrorCode.GRAPH_FORMAT_UNSUPPORTED),
    ],
)
def test_format_is_required_and_known(fmt, code):
    doc = _doc()
    doc["format"] = fmt
    if fmt is None:
        del doc["format"]
    with pytest.raises(CueflowError) as caught:
        load_graph(doc)
    assert caught.value.code is code
    assert caught.value.errors[0].field == "format"


def test_an_upgrade_step_is_one_function_and_one_registry_entry():
    def v1_to_v2(doc):
        """v2 renamed `offset_minutes` to `start_minutes` (a fake step for the test)."""
        for node in doc["nodes"]:
            if "offset_minutes" in node:
                node["start_minutes"] = node.pop("offset_minutes")
        return doc

    old = {"format": 1, "nodes": [{"id": "a", "offset_minutes": -60}]}
    new = upgrade(old, steps={1: v1_to_v2}, current=2)
    assert new == {"format": 2, "nodes": [{"id": "a", "start_minutes": -60}]}
    assert old["nodes"][0] == {"id": "a", "offset_minutes": -60}  # the input is untouched


def test_a_missing_step_is_reported():
    with pytest.raises(CueflowError) as caught:
        upgrade({"format": 1}, steps={}, current=3)
    assert caught.value.code is ErrorCode.GRAPH_FORMAT_UNSUPPORTED
