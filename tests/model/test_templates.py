"""Built-in templates: well-formed, clean, and true to DOMAIN.md."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.errors import CueflowError, ErrorCode
from engine.model.graph_format import dump_graph, load_graph
from engine.model.nodes.task import TaskSettings
from engine.model.validation import validate
from engine.model.vocabulary import KNOWN_ROLES, NodeKind, Phase
from engine.templates import TEMPLATES, load_template

KEYS = [t.key for t in TEMPLATES]


@pytest.mark.parametrize("key", KEYS)
def test_template_loads_validates_clean_and_is_laid_out(key):
    graph = load_graph(load_template(key))
    assert validate(graph) == []
    assert {n.phase for n in graph.nodes} == set(Phase)
    assert len({(n.x, n.y) for n in graph.nodes}) == len(graph.nodes)  # no two on one spot
    assert {n.role for n in graph.nodes if n.role} <= KNOWN_ROLES
    assert dump_graph(graph) == load_template(key)


def test_live_stream_covers_the_show():
    graph = load_graph(load_template("live_stream"))
    assert len(graph.nodes) >= 25
    roles = Counter(n.role for n in graph.nodes if n.role)
    assert {
        "host",
        "assistant",
        "operator",
        "controller",
        "planner",
        "content",
        "community",
    } <= set(roles)
    recurring = [n for n in graph.nodes if n.kind is NodeKind.RECURRING]
    assert {"coupon_push", "lottery"} <= {n.id for n in recurring}
    metrics = {
        m.key
        for n in graph.nodes
        if isinstance(n.settings, TaskSettings)
        for m in n.settings.metric_fields
    }
    assert {"viewers", "interactions", "shares", "orders", "gmv", "roi", "clicks"} <= metrics
    targets = {
        m.target_variable
        for n in graph.nodes
        if isinstance(n.settings, TaskSettings)
        for m in n.settings.metric_fields
    }
    assert {"gmv_target", "viewer_target"} <= targets


def test_store_campaign_tests_payment_and_decides_on_warm_up():
    graph = load_graph(load_template("store_campaign"))
    test = graph.node_by_id["internal_test"]
    assert {"下单流程", "退款流程"} <= {item.text for item in test.settings.checklist}
    assert any(n.kind is NodeKind.DECISION for n in graph.nodes)


def test_unknown_template_is_not_found():
    with pytest.raises(CueflowError) as caught:
        load_template("nope")
    assert caught.value.code is ErrorCode.TEMPLATE_NOT_FOUND
    assert caught.value.status == 404
