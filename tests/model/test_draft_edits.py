"""The canvas's fine-grained edits of a draft document, and the export format, without I/O."""

from __future__ import annotations

import copy

import pytest

from engine.errors import CueflowError, ErrorCode
from engine.model import draft_edits
from engine.model.export_format import export_document, load_export
from engine.model.graph_format import dump_graph, load_graph
from engine.templates import load_template


@pytest.fixture
def doc():
    return dump_graph(load_graph(load_template("fission")))


def test_edits_never_change_their_input(doc):
    before = copy.deepcopy(doc)
    node_id = doc["nodes"][1]["id"]
    draft_edits.add_node(doc, {"kind": "task", "phase": "review", "title": "x", "role": "data"})
    draft_edits.update_node(doc, node_id, {"title": "新标题"})
    draft_edits.delete_node(doc, node_id)
    draft_edits.move_nodes(doc, [(node_id, 1, 2)])
    draft_edits.delete_edge(doc, doc["edges"][0]["id"])
    assert doc == before


def test_generated_ids_are_readable_and_unused(doc):
    first = draft_edits.add_node(doc, {"kind": "task", "phase": "review", "title": "a"})
    second = draft_edits.add_node(first.doc, {"kind": "task", "phase": "review", "title": "b"})
    assert (first.node["id"], second.node["id"]) == ("task_1", "task_2")
    edge = draft_edits.add_edge(second.doc, {"source": "task_1", "target": "task_2"})
    assert edge.edge["id"] not in {e["id"] for e in doc["edges"]}


def test_a_node_is_stored_in_its_normalised_form(doc):
    edit = draft_edits.add_node(
        doc, {"id": "n", "kind": "wait", "phase": "pre_event", "title": "等待"}
    )
    assert edit.node == {
        "id": "n",
        "kind": "wait",
        "phase": "pre_event",
        "title": "等待",
        "description": "",
        "role": None,
        "offset_minutes": None,
        "duration_minutes": None,
        "x": 0.0,
        "y": 0.0,
        "settings": edit.node["settings"],
    }
    assert load_graph(edit.doc).node_by_id["n"].title == "等待"


def test_deleting_a_node_removes_exactly_its_edges(doc):
    node_id = doc["edges"][0]["target"]
    touching = {e["id"] for e in doc["edges"] if node_id in (e["source"], e["target"])}
    edit = draft_edits.delete_node(doc, node_id)
    assert set(edit.removed_edges) == touching
    assert len(edit.doc["edges"]) == len(doc["edges"]) - len(touching)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda d: draft_edits.update_node(d, "ghost", {"title": "x"}), ErrorCode.NOT_FOUND),
        (lambda d: draft_edits.delete_edge(d, "ghost"), ErrorCode.NOT_FOUND),
        (lambda d: draft_edits.add_node(d, {**d["nodes"][0]}), ErrorCode.DUPLICATE_ID),
        (
            lambda d: draft_edits.add_edge(d, {"source": "start", "target": "start"}),
            ErrorCode.GRAPH_INVALID,
        ),
        (
            lambda d: draft_edits.update_edge(d, d["edges"][0]["id"], {"source": "end"}),
            ErrorCode.VALIDATION,
        ),
        (lambda d: draft_edits.move_nodes(d, [("ghost", 0, 0)]), ErrorCode.NOT_FOUND),
    ],
)
def test_refused_edits_say_why(doc, call, code):
    with pytest.raises(CueflowError) as raised:
        call(doc)
    assert raised.value.code is code
    assert raised.value.errors


def test_export_round_trips_and_reports_graph_paths(doc):
    exported = export_document("裂变", "desc", ["裂变"], doc, "2026-11-23T00:00:00+00:00")
    imported = load_export(exported)
    assert (imported.name, imported.tags) == ("裂变", ["裂变"])
    assert dump_graph(imported.graph) == doc

    exported["graph"]["nodes"][2]["phase"] = "someday"
    with pytest.raises(CueflowError) as raised:
        load_export(exported)
    assert raised.value.errors[0].field == "graph.nodes.2.phase"
    assert raised.value.errors[0].node_id == doc["nodes"][2]["id"]
