"""The `flask cueflow` commands an operator runs: demo data and templates."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.demo import DEMO_WORKSPACE
from engine.model.access import WorkspaceRole
from engine.store.accounts import Workspace
from engine.store.runbooks import Runbook, RunbookVersion
from engine.templates import TEMPLATES


def test_demo_loads_people_and_published_templates_once(app, database):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cueflow", "demo"])
    assert first.exit_code == 0, first.output
    assert "planner@cueflow.demo" in first.output
    again = runner.invoke(args=["cueflow", "demo"])
    assert again.exit_code == 0, again.output
    with database.session() as session:
        ws = session.scalar(select(Workspace).where(Workspace.name == DEMO_WORKSPACE))
        names = session.scalars(select(Runbook.name).where(Runbook.workspace_id == ws.id)).all()
        versions = session.scalar(select(func.count(RunbookVersion.id)))
    assert sorted(names) == sorted(t.title_zh for t in TEMPLATES)
    assert versions == len(TEMPLATES)


def test_templates_lists_and_loads_into_a_workspace(app, factory):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["cueflow", "templates"])
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.output.splitlines()] == [t.key for t in TEMPLATES]

    ws = factory.workspace()
    planner = factory.person(ws, WorkspaceRole.PLANNER)
    loaded = runner.invoke(
        args=[
            "cueflow",
            "templates",
            "load",
            "--workspace",
            str(ws),
            "--as",
            planner.email,
            "fission",
        ]
    )
    assert loaded.exit_code == 0, loaded.output
    assert "裂变" in loaded.output
    runbooks = planner.client().get(f"/api/workspaces/{ws}/runbooks").json
    assert [r["name"] for r in runbooks] == ["裂变 SOP"]


def test_templates_load_refuses_staff_and_unknown_keys(app, factory):
    runner = app.test_cli_runner()
    ws = factory.workspace()
    staff = factory.person(ws, WorkspaceRole.STAFF)
    planner = factory.person(ws, WorkspaceRole.PLANNER)
    refused = runner.invoke(
        args=["cueflow", "templates", "load", "--workspace", str(ws), "--as", staff.email]
    )
    assert refused.exit_code == 1
    assert "auth.forbidden" in refused.output
    unknown = runner.invoke(
        args=["cueflow", "templates", "load", "--workspace", str(ws), "--as", planner.email, "nope"]
    )
    assert unknown.exit_code == 1
    assert "template.not_found" in unknown.output
    assert planner.client().get(f"/api/workspaces/{ws}/runbooks").json == []
