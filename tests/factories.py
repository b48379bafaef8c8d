"""Build workspaces, people and API clients in one line each, as a test's scenario needs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from engine import accounts
from engine.model.access import WorkspaceRole
from engine.store.accounts import Membership, User, Workspace
from engine.store.db import Database

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@dataclass
class Person:
    """A user, their membership in one workspace, and a bearer token acting as them."""

    user_id: int
    email: str
    workspace_id: int
    member_id: int
    role: WorkspaceRole
    token: str
    app: Flask

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def client(self) -> ApiClient:
        return ApiClient(self.app.test_client(), self.headers)


class ApiClient:
    """A test client that sends the person's bearer token with every request."""

    def __init__(self, client: FlaskClient, headers: dict[str, str]) -> None:
        self._client = client
        self._headers = headers

    def __getattr__(self, method: str):
        call = getattr(self._client, method)

        def send(url: str, **kwargs):
            kwargs["headers"] = {**self._headers, **kwargs.get("headers", {})}
            return call(url, **kwargs)

        return send


class Factory:
    def __init__(self, app: Flask, database: Database) -> None:
        self.app = app
        self.database = database

    def workspace(self, name: str | None = None) -> int:
        with self.database.session() as session:
            ws = Workspace(name=name or f"Workspace {next(_counter)}")
            session.add(ws)
            session.flush()
            return ws.id

    def person(
        self, workspace_id: int, role: WorkspaceRole | str = WorkspaceRole.STAFF, email: str = ""
    ) -> Person:
        n = next(_counter)
        email = email or f"{role}{n}@example.com"
        now = datetime.now(UTC)
        with self.database.session() as session:
            user = User(
                email=email, name=f"{role} {n}", password_hash=accounts.hash_password(PASSWORD)
            )
            member = Membership(workspace_id=workspace_id, user=user, role=WorkspaceRole(role))
            session.add_all([user, member])
            session.flush()
            issued = accounts.issue_token(session, user, "tests", now)
            return Person(
                user_id=user.id,
                email=email,
                workspace_id=workspace_id,
                member_id=member.id,
                role=WorkspaceRole(role),
                token=issued.secret,
                app=self.app,
            )

    def team(self, name: str | None = None) -> dict[WorkspaceRole, Person]:
        """A workspace with one member of each workspace role."""
        ws = self.workspace(name)
        return {role: self.person(ws, role) for role in WorkspaceRole}
