"""Demo data for a first look: a workspace with a member for every role, the built-in
runbook templates loaded and published by the demo planner, and runs of the live-stream
runbook in every stage (engine/demo_runs.py). Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import runbooks
from engine.accounts import hash_password
from engine.demo_runs import load_demo_runs
from engine.model.access import WorkspaceRole
from engine.store.accounts import Membership, User, Workspace
from engine.store.runbooks import Runbook
from engine.templates import TEMPLATES

DEMO_WORKSPACE = "示范直播间 Demo Live Room"
DEMO_PASSWORD = "cueflow-demo"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: WorkspaceRole


DEMO_PEOPLE = (
    DemoPerson("admin@cueflow.demo", "管理员 Admin", WorkspaceRole.ADMIN),
    DemoPerson("planner@cueflow.demo", "策划 Planner", WorkspaceRole.PLANNER),
    DemoPerson("manager@cueflow.demo", "运营总监 Manager", WorkspaceRole.MANAGER),
    DemoPerson("host@cueflow.demo", "主播 Host", WorkspaceRole.STAFF),
    DemoPerson("assistant@cueflow.demo", "助播 Assistant", WorkspaceRole.STAFF),
    DemoPerson("operator@cueflow.demo", "中控 Operator", WorkspaceRole.STAFF),
    DemoPerson("controller@cueflow.demo", "场控 Controller", WorkspaceRole.STAFF),
    DemoPerson("community@cueflow.demo", "社群 Community", WorkspaceRole.STAFF),
    DemoPerson("designer@cueflow.demo", "设计 Designer", WorkspaceRole.STAFF),
    DemoPerson("content@cueflow.demo", "内容 Content", WorkspaceRole.STAFF),
    DemoPerson("service@cueflow.demo", "客服 Service", WorkspaceRole.STAFF),
    DemoPerson("data@cueflow.demo", "数据 Data", WorkspaceRole.STAFF),
)


def load_demo(session: Session) -> Workspace:
    """Create the demo workspace and its people unless they exist; returns the workspace."""
    workspace = session.scalar(select(Workspace).where(Workspace.name == DEMO_WORKSPACE))
    if workspace is None:
        workspace = Workspace(name=DEMO_WORKSPACE)
        session.add(workspace)
        session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    for person in DEMO_PEOPLE:
        user = session.scalar(select(User).where(User.email == person.email))
        if user is None:
            user = User(email=person.email, name=person.name, password_hash=password_hash)
            session.add(user)
            session.flush()
        joined = session.scalar(
            select(Membership).where(
                Membership.workspace_id == workspace.id, Membership.user_id == user.id
            )
        )
        if joined is None:
            session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=person.role))
    session.flush()
    live_stream = _load_templates(session, workspace)
    load_demo_runs(session, workspace, live_stream, datetime.now(UTC))
    return workspace


def _load_templates(session: Session, workspace: Workspace) -> Runbook:
    """Each built-in template as a published runbook, unless one of that name exists;
    returns the live-stream runbook."""
    planner = session.scalar(select(User).where(User.email == "planner@cueflow.demo"))
    have = set(session.scalars(select(Runbook.name).where(Runbook.workspace_id == workspace.id)))
    published = datetime.now(UTC) - timedelta(days=30)  # before the demo runs began
    for template in TEMPLATES:
        if template.title_zh in have:
            continue
        runbook = runbooks.create_from_template(
            session, workspace.id, planner, template.key, now=published
        )
        runbooks.publish(
            session, runbook, user=planner, note="示范模板 demo template", now=published
        )
    live_stream = next(t for t in TEMPLATES if t.key == "live_stream")
    return session.scalars(
        select(Runbook).where(
            Runbook.workspace_id == workspace.id, Runbook.name == live_stream.title_zh
        )
    ).one()
