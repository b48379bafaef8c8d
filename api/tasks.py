"""Tasks for staff (mostly on a phone): my tasks across runs, claim, complete with the
checklist, fields and metrics, notes and problems; managers reopen, reassign and skip."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint
from sqlalchemy import and_, exists, nulls_last, or_
from sqlalchemy.orm import contains_eager

from api import paging
from api.access import now, require_member
from api.database import db
from api.idempotency import IDEMPOTENCY_KEY, idempotent
from api.problems import problem_doc
from api.runbooks import NOT_FOUND
from api.schemas import attributes
from engine import tasks, upcoming
from engine.model.graph_format import NodeSchema
from engine.model.run_states import RunStatus, TaskAction, TaskStatus
from engine.model.vocabulary import NodeKind, Phase
from engine.store.runs import RosterEntry, Run, Task
from engine.store.scoping import get_in_workspace, in_workspace

blp = Blueprint(
    "tasks",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/tasks",
    description="Tasks: the human steps of runs",
)

NOT_ALLOWED = problem_doc("Only the task's assignee, its role's holders or a manager may act")
CHANGED = problem_doc("The task's status does not allow this, or someone changed it just now")
INCOMPLETE = problem_doc(
    "Checklist, fields or metrics are missing or mistyped; `errors` lists each"
)
_NODE = NodeSchema()


class TaskQuerySchema(paging.PageQuerySchema):
    mine = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Only tasks assigned to me, or open to a role I hold"},
    )
    status = ma.fields.List(ma.fields.Enum(TaskStatus, by_value=True), load_default=None)
    run_id = ma.fields.Integer(load_default=None)
    due_after = ma.fields.AwareDateTime(load_default=None)
    due_before = ma.fields.AwareDateTime(load_default=None)
    completed_after = ma.fields.AwareDateTime(
        load_default=None,
        metadata={"description": "Only tasks finished at or after this time (done today)"},
    )


class UpcomingQuerySchema(paging.PageQuerySchema):
    run_id = ma.fields.Integer(load_default=None)


class UpcomingSchema(ma.Schema):
    """A step of one of my roles that has not opened yet, at its planned times."""

    run_id = ma.fields.Integer(required=True, attribute="run.id")
    run_name = ma.fields.String(required=True, attribute="run.name")
    run_status = ma.fields.Enum(RunStatus, by_value=True, required=True, attribute="run.status")
    run_tz = ma.fields.String(required=True, attribute="run.tz")
    go_live_at = ma.fields.DateTime(required=True, attribute="run.go_live")
    node_id = ma.fields.String(required=True, attribute="node.id")
    title = ma.fields.String(required=True, attribute="node.title")
    kind = ma.fields.Enum(NodeKind, by_value=True, required=True, attribute="node.kind")
    role = ma.fields.String(allow_none=True, required=True, attribute="node.role")
    phase = ma.fields.Enum(Phase, by_value=True, required=True, attribute="node.phase")
    planned_start = ma.fields.DateTime(allow_none=True, required=True)
    planned_due = ma.fields.DateTime(allow_none=True, required=True)
    offset_minutes = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "Planned start against T0"}
    )


class TaskSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    run_id = ma.fields.Integer(required=True)
    run_name = ma.fields.String(required=True, attribute="run.name")
    run_status = ma.fields.Enum(RunStatus, by_value=True, required=True, attribute="run.status")
    run_tz = ma.fields.String(required=True, attribute="run.tz")
    node_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    role = ma.fields.String(allow_none=True, required=True)
    status = ma.fields.Enum(TaskStatus, by_value=True, required=True)
    blocked = ma.fields.Boolean(required=True)
    assignee_id = ma.fields.Integer(allow_none=True, required=True)
    due_at = ma.fields.DateTime(allow_none=True, required=True)
    ready_at = ma.fields.DateTime(required=True)
    claimed_at = ma.fields.DateTime(allow_none=True, required=True)
    completed_at = ma.fields.DateTime(allow_none=True, required=True)
    completed_by_id = ma.fields.Integer(allow_none=True, required=True)
    note = ma.fields.String(required=True)


class TaskDetailSchema(TaskSchema):
    node = ma.fields.Dict(required=True, metadata={"description": "The node: kind, settings"})
    result = ma.fields.Dict(allow_none=True, required=True)
    actions = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": "What you may do now"}
    )


class NoteSchema(ma.Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class CompleteSchema(ma.Schema):
    """A completion is exactly what the person sent: no field has a default here, so an
    approval's `{"approved": true}` never gains the empty checklist of a task (the engine
    refuses keys a node does not declare)."""

    note = ma.fields.String(validate=ma.validate.Length(max=5000))
    checklist = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw())
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw())
    metrics = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw())
    approved = ma.fields.Raw(metadata={"description": "Approvals: true (approve) or false"})


class ProblemReportSchema(NoteSchema):
    note = ma.fields.String(required=True, validate=ma.validate.Length(1, 5000))
    blocking = ma.fields.Boolean(load_default=True)


class ReassignSchema(NoteSchema):
    assignee_id = ma.fields.Integer(required=True)


# The time filters of the task list: the query's name and the condition it sets.
_WINDOWS = {
    "due_after": lambda at: Task.due_at >= at,
    "due_before": lambda at: Task.due_at <= at,
    "completed_after": lambda at: Task.completed_at >= at,
}


@blp.route("")
@blp.arguments(TaskQuerySchema, location="query")
@blp.response(200, TaskSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_tasks(query, workspace_id: int):
    """Across the workspace's live runs, the tasks still to do (open or claimed); of one run
    (`run_id`), every task whatever its status or the run's. `status` filters either way.
    With `completed_after` (done today), tasks finished since then, whether or not their
    run has ended since. Soonest due first (no due date last)."""
    membership = require_member(workspace_id)
    statement = in_workspace(Task, workspace_id).join(Run, Run.id == Task.run_id)
    # Across runs: the live ones, and what is still to do there. One run, or what was
    # finished lately: any run, any status (unless `status` says).
    to_do = query["run_id"] is None and query["completed_after"] is None
    if to_do:
        statement = statement.where(Run.status.in_([RunStatus.RUNNING, RunStatus.PAUSED]))
    if query["mine"]:
        holds = exists().where(
            RosterEntry.run_id == Task.run_id,
            RosterEntry.role == Task.role,
            RosterEntry.user_id == membership.user_id,
        )
        statement = statement.where(
            or_(Task.assignee_id == membership.user_id, and_(Task.assignee_id.is_(None), holds))
        )
    if query["status"]:
        statement = statement.where(Task.status.in_(query["status"]))
    elif to_do:
        statement = statement.where(Task.status.in_([TaskStatus.OPEN, TaskStatus.CLAIMED]))
    if query["run_id"] is not None:
        statement = statement.where(Task.run_id == query["run_id"])
    for name, bound in _WINDOWS.items():
        if query[name] is not None:
            statement = statement.where(bound(query[name]))
    statement = statement.order_by(nulls_last(Task.due_at.asc()), Task.id)
    # The run is joined already: fill `task.run` from that row, not one query per run.
    return paging.page(statement.options(contains_eager(Task.run)), query)


@blp.route("/upcoming")
@blp.arguments(UpcomingQuerySchema, location="query")
@blp.response(200, UpcomingSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_upcoming(query, workspace_id: int):
    """What is coming for me: the tasks and approvals of the roles I hold in runs that have
    not ended (scheduled, running, paused) which have not opened yet, soonest planned first."""
    membership = require_member(workspace_id)
    enough = query["offset"] + query["limit"] + 1  # this page, and whether another follows
    steps = upcoming.upcoming_steps(
        db(), workspace_id, membership.user_id, run_id=query["run_id"], limit=enough
    )
    return paging.page(steps, query)


def _detail(task: Task, membership) -> dict[str, Any]:
    node = tasks.node_of(db(), task)
    return {
        **attributes(task, TaskSchema),
        "node": _NODE.dump(node),
        "result": task.result,
        "actions": tasks.actions_for(db(), task, membership),
    }


def _load(workspace_id: int, task_id: int):
    membership = require_member(workspace_id)
    return membership, get_in_workspace(db(), Task, task_id, workspace_id)


@blp.route("/<id:task_id>")
@blp.response(200, TaskDetailSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_task(workspace_id: int, task_id: int):
    """One task with its checklist, fields and metrics, and what you may do now."""
    membership, task = _load(workspace_id, task_id)
    return _detail(task, membership)


def _action_route(action: TaskAction, schema: type[ma.Schema], doc: str, **extra):
    @blp.route(f"/<id:task_id>/{action}", methods=["POST"], endpoint=f"{action}_task")
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @idempotent
    @blp.arguments(schema, required=any(f.required for f in schema().fields.values()))
    @blp.response(200, TaskDetailSchema)
    @blp.alt_response(403, **NOT_ALLOWED)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CHANGED)
    @blp.alt_response(422, **INCOMPLETE)
    def act(body, workspace_id: int, task_id: int):
        membership, task = _load(workspace_id, task_id)
        note = body.pop("note", "")
        kwargs: dict[str, Any] = {}
        if action is TaskAction.COMPLETE:
            kwargs["payload"] = {**body, "note": note}
        elif action is TaskAction.REASSIGN:
            kwargs["assignee_id"] = body["assignee_id"]
        elif action is TaskAction.REPORT_PROBLEM:
            kwargs["blocking"] = body["blocking"]
        tasks.act(db(), task, membership, action, now=now(), note=note, **kwargs)
        db().commit()
        return _detail(task, membership)

    act.__doc__ = doc
    return act


_action_route(TaskAction.CLAIM, NoteSchema, "Take the task: it becomes yours.")
_action_route(TaskAction.UNCLAIM, NoteSchema, "Give the task back to its role.")
_action_route(
    TaskAction.COMPLETE,
    CompleteSchema,
    "Complete: every checklist item ticked, required fields and metrics filled and typed.",
)
_action_route(
    TaskAction.REPORT_PROBLEM, ProblemReportSchema, "Report a problem (blocking by default)."
)
_action_route(TaskAction.RESOLVE_PROBLEM, NoteSchema, "The problem is solved; the task goes on.")
_action_route(TaskAction.REOPEN, NoteSchema, "Managers: open a finished task again.")
_action_route(TaskAction.REASSIGN, ReassignSchema, "Managers: hand the task to someone.")
_action_route(TaskAction.SKIP, NoteSchema, "Managers (or the live crew, during the show): skip.")


@blp.route("/<id:task_id>/note", methods=["POST"])
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@idempotent
@blp.arguments(ProblemReportSchema(only=("note",)))
@blp.response(200, TaskDetailSchema)
@blp.alt_response(404, **NOT_FOUND)
def note_task(body, workspace_id: int, task_id: int):
    """Add a note to the task (kept in the run's log)."""
    membership, task = _load(workspace_id, task_id)
    tasks.add_note(db(), task, membership, body["note"], now())
    db().commit()
    return _detail(task, membership)
