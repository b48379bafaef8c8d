"""Benchmark of the graph model and the editor API on runbook-N (BENCH.md).

    .venv/bin/python bench/graph.py [--n 30,300,3000] [--repeat 3] [--json]

Ops: `load` (parse a graph document), `validate`, `plan`, `layout`, and
`save_draft_api`: replace the whole draft through the HTTP API with If-Match, as the
editor does: JSON encoding, the bearer token, the revision check, parsing, validation
and the commit, in the real Flask app on a temporary SQLite file (DATABASE_URL when set),
called through its WSGI interface in this process (no sockets).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from the project root

from bench import _common as common
from bench.workloads import runbook
from engine.model.graph import Graph
from engine.model.graph_format import load_graph
from engine.model.layout import layout
from engine.model.schedule import plan
from engine.model.validation import validate

GO_LIVE = datetime(2026, 6, 18, 12, 0, tzinfo=UTC)


@dataclass
class Case:
    n: int
    doc: dict[str, Any]
    graph: Graph
    api: EditorApi | None = None
    draft: tuple[str, int] = ("", 0)  # the runbook's draft URL and its current revision


class EditorApi:
    """The Flask app with one planner and one runbook per size, for `save_draft_api`."""

    def __init__(self, workdir: str) -> None:
        os.environ.setdefault("CUEFLOW_INSTANCE_PATH", workdir)
        from api import create_app
        from engine import accounts
        from engine.store import migrate

        url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
        migrate.upgrade(url)
        self.app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        db = self.app.extensions["cueflow.db"]
        with db.session() as session:
            email = f"bench-{time.time_ns()}@cueflow.bench"
            membership = accounts.sign_up(
                session,
                email=email,
                name="Bench",
                password="bench-password",
                workspace_name="bench",
                allow_open_signup=True,
            )
            token = accounts.issue_token(session, membership.user, "bench", datetime.now(UTC))
            self.workspace_id = membership.workspace_id
        self.headers = {"Authorization": f"Bearer {token.secret}"}
        self.client = self.app.test_client()

    def new_runbook(self, doc: dict[str, Any]) -> tuple[str, int]:
        url = f"/api/workspaces/{self.workspace_id}/runbooks"
        created = self.client.post(url, json={"name": "bench", "graph": doc}, headers=self.headers)
        base = f"{url}/{created.json['id']}/draft"
        return base, created.json["draft_revision"]

    def close(self) -> None:
        self.app.extensions["cueflow.db"].dispose()
        embedded = self.app.extensions.get("cueflow.embedded_redis")
        if embedded is not None:
            embedded.shutdown()


def op_load(case: Case) -> None:
    load_graph(case.doc)


def op_validate(case: Case) -> None:
    validate(_fresh(case))


def op_plan(case: Case) -> None:
    plan(_fresh(case), GO_LIVE, "Asia/Shanghai")


def op_layout(case: Case) -> None:
    layout(_fresh(case))


def op_save_draft_api(case: Case) -> None:
    api = case.api
    assert api is not None
    base, revision = case.draft
    response = api.client.put(
        base, json=case.doc, headers={**api.headers, "If-Match": f'"{revision}"'}
    )
    if response.status_code != 200:
        raise SystemExit(f"save_draft_api: {response.status_code} {response.json}")
    case.draft = (base, response.json["revision"])


def _fresh(case: Case) -> Graph:
    # A new Graph object each time, so lookup tables cached on the last one are not reused.
    g = case.graph
    return Graph(nodes=g.nodes, edges=g.edges, variables=g.variables, format=g.format)


OPS: list[tuple[str, Callable[[Case], None]]] = [
    ("load", op_load),
    ("validate", op_validate),
    ("plan", op_plan),
    ("layout", op_layout),
    ("save_draft_api", op_save_draft_api),
]


def main(argv: list[str] | None = None) -> None:
    parser = common.parser(__doc__)
    args = parser.parse_args(argv)
    sizes = common.sizes(args.n)
    rows = []
    workdir = tempfile.TemporaryDirectory(prefix="cueflow-bench-")
    api = EditorApi(workdir.name)
    for n in sizes:
        doc = runbook(n)
        case = Case(n, doc, load_graph(doc), api)
        case.draft = api.new_runbook(doc)
        for name, fn in OPS:
            ms = round(common.measure(fn, case, args.repeat), 1)
            rows.append((n, name, ms))
            if args.json:
                print(json.dumps({"bench": "graph", "n": n, "op": name, "ms": ms}), flush=True)
    api.close()
    workdir.cleanup()
    if not args.json:
        print(f"{'n':>6}  {'op':<15} {'ms':>9}")
        for n, name, ms in rows:
            print(f"{n:>6}  {name:<15} {ms:>9.1f}")


if __name__ == "__main__":
    main()
