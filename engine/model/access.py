"""Who may do what in a workspace: the member roles and the permission table.

The table is data: the API checks it, and the browser app reads the same
answers through the API, so a rule is changed in exactly one place.
"""

from __future__ import annotations

from enum import StrEnum


class WorkspaceRole(StrEnum):
    """A member's standing in one workspace (not the runbook role they are cast in).

    admin    runs the workspace: members, invitations, channels, everything below.
    planner  builds and publishes runbooks and plans runs (活动策划).
    manager  watches runs, reopens and reassigns, audits and signs off post-mortems.
    staff    works the tasks of the roles they are cast in (主播, 助播, 中控, 场控 ...).
    """

    ADMIN = "admin"
    PLANNER = "planner"
    MANAGER = "manager"
    STAFF = "staff"


class Permission(StrEnum):
    """An action guarded by workspace role."""

    READ = "workspace.read"
    MANAGE_MEMBERS = "workspace.manage_members"
    EDIT_WORKSPACE = "workspace.edit"
    WRITE_RUNBOOKS = "runbooks.write"
    MANAGE_RUNS = "runs.manage"
    SUPERVISE_TASKS = "tasks.supervise"
    SIGN_OFF = "postmortems.sign_off"
    READ_AUDIT = "audit.read"


_ALL = frozenset(WorkspaceRole)
_ADMIN = WorkspaceRole.ADMIN
_PLANNER = WorkspaceRole.PLANNER
_MANAGER = WorkspaceRole.MANAGER

GRANTS: dict[Permission, frozenset[WorkspaceRole]] = {
    Permission.READ: _ALL,
    Permission.MANAGE_MEMBERS: frozenset({_ADMIN}),
    Permission.EDIT_WORKSPACE: frozenset({_ADMIN}),
    Permission.WRITE_RUNBOOKS: frozenset({_ADMIN, _PLANNER}),
    Permission.MANAGE_RUNS: frozenset({_ADMIN, _PLANNER, _MANAGER}),
    Permission.SUPERVISE_TASKS: frozenset({_ADMIN, _MANAGER}),
    Permission.SIGN_OFF: frozenset({_ADMIN, _MANAGER}),
    Permission.READ_AUDIT: frozenset({_ADMIN, _MANAGER}),
}


def can(role: WorkspaceRole | str, permission: Permission) -> bool:
    """True when a member with `role` may perform `permission`."""
    return WorkspaceRole(role) in GRANTS[permission]


def permissions_of(role: WorkspaceRole | str) -> list[Permission]:
    """Every permission a role holds, in table order (what the UI may offer)."""
    return [p for p in Permission if can(role, p)]
