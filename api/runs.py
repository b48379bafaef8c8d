"""Runs of a workspace: cast from a published version, start, pause, resume, cancel, move
go-live (preview first), read every node's state and times, and the live crew's cues."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from sqlalchemy import select

from api import paging
from api.access import now, require_member, require_user
from api.database import db
from api.idempotency import IDEMPOTENCY_KEY, idempotent
from api.problems import problem_doc
from api.runbooks import FORBIDDEN, MINUTES, NOT_FOUND
from api.schemas import attributes, time_zone_field
from engine import runbooks, runs, tasks
from engine.errors import CueflowError, ErrorCode, FieldError
from engine.executor.graphs import graph_of_run
from engine.model.access import Permission
from engine.model.run_states import CueAction, CueStatus, NodeState, RunStatus
from engine.model.run_times import TimeKind
from engine.store.runbooks import Runbook
from engine.store.runs import Event, Run, RunNode, Task, Timer
from engine.store.scoping import get_in_workspace, in_workspace

blp = Blueprint(
    "runs",
    __name__,
    url_prefix="/api/workspaces/<id:workspace_id>/runs",
    description="Runs: one event, cast and timed against its go-live",
)

INVALID = problem_doc("A field is not valid; `errors` names each")
CONFLICT = problem_doc("The run cannot make this change in its current status")


class RunCreateSchema(ma.Schema):
    runbook_id = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 2**31 - 1))
    version = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(1, 2**31 - 1),
        metadata={"description": "Version number; the latest when left out"},
    )
    name = ma.fields.String(load_default=None, validate=ma.validate.Length(1, 200))
    go_live = ma.fields.AwareDateTime(required=True)
    tz = time_zone_field(load_default="Asia/Shanghai")
    roster = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.Length(1, 64)),
        values=ma.fields.List(
            ma.fields.Integer(validate=ma.validate.Range(1, 2**31 - 1)),
            validate=ma.validate.Length(max=50),
        ),
        load_default=dict,
        metadata={"description": 'role -> user ids, e.g. {"host": [4]}'},
    )
    variables = ma.fields.Dict(keys=ma.fields.String(), load_default=dict)
    reminder_lead_minutes = ma.fields.Integer(
        metadata={"description": "Minutes before due; the runbook's setting when left out"},
        **MINUTES,
    )
    escalation_delay_minutes = ma.fields.Integer(
        metadata={"description": "Minutes after due; the runbook's setting when left out"},
        **MINUTES,
    )
    start = ma.fields.Boolean(load_default=False, metadata={"description": "Start it at once"})


class RunQuerySchema(paging.PageQuerySchema):
    status = ma.fields.Enum(RunStatus, by_value=True, load_default=None)
    runbook_id = ma.fields.Integer(load_default=None)


class ProgressSchema(ma.Schema):
    finished = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


class RunSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    runbook_id = ma.fields.Integer(required=True)
    version = ma.fields.Integer(required=True, attribute="version.number")
    status = ma.fields.Enum(RunStatus, by_value=True, required=True)
    go_live = ma.fields.DateTime(required=True)
    tz = ma.fields.String(required=True)
    variables = ma.fields.Dict(required=True)
    reminder_lead_minutes = ma.fields.Integer(allow_none=True, required=True)
    escalation_delay_minutes = ma.fields.Integer(allow_none=True, required=True)
    created_at = ma.fields.DateTime(required=True)
    started_at = ma.fields.DateTime(allow_none=True, required=True)
    ended_at = ma.fields.DateTime(allow_none=True, required=True)


class RosterSchema(ma.Schema):
    role = ma.fields.String(required=True)
    user_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, attribute="user.name")


class RunNodeSchema(ma.Schema):
    node_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    phase = ma.fields.String(required=True)
    role = ma.fields.String(allow_none=True, required=True)
    state = ma.fields.Enum(NodeState, by_value=True, required=True)
    planned_start = ma.fields.DateTime(allow_none=True, required=True)
    planned_due = ma.fields.DateTime(allow_none=True, required=True)
    ready_at = ma.fields.DateTime(allow_none=True, required=True)
    finished_at = ma.fields.DateTime(allow_none=True, required=True)
    task_id = ma.fields.Integer(allow_none=True, required=True)


class RunDetailSchema(RunSchema):
    roster = ma.fields.List(ma.fields.Nested(RosterSchema), required=True)
    progress = ma.fields.Nested(ProgressSchema, required=True)
    nodes = ma.fields.List(ma.fields.Nested(RunNodeSchema), required=True)


class GoLiveSchema(ma.Schema):
    go_live = ma.fields.AwareDateTime(required=True)


class ShiftSchema(ma.Schema):
    node_id = ma.fields.String(required=True)
    kind = ma.fields.Enum(TimeKind, by_value=True, required=True)
    index = ma.fields.Integer(required=True)
    old = ma.fields.DateTime(required=True)
    new = ma.fields.DateTime(required=True)


class GoLiveMoveSchema(ma.Schema):
    old = ma.fields.DateTime(required=True)
    new = ma.fields.DateTime(required=True)
    shifts = ma.fields.List(ma.fields.Nested(ShiftSchema), required=True)
    notified_user_ids = ma.fields.List(ma.fields.Integer(), required=True)


class EventSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    at = ma.fields.DateTime(required=True)
    actor_id = ma.fields.Integer(allow_none=True, required=True)
    kind = ma.fields.String(required=True)
    node_id = ma.fields.String(allow_none=True, required=True)
    task_id = ma.fields.Integer(allow_none=True, required=True)
    before = ma.fields.Dict(allow_none=True, required=True)
    after = ma.fields.Dict(allow_none=True, required=True)
    note = ma.fields.String(required=True)


class CueSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    node_id = ma.fields.String(required=True)
    index = ma.fields.Integer(required=True)
    fire_at = ma.fields.DateTime(required=True)
    status = ma.fields.Enum(CueStatus, by_value=True, required=True, attribute="cue_status")
    fired_at = ma.fields.DateTime(allow_none=True, required=True)


class CueChangeSchema(ma.Schema):
    minutes = ma.fields.Integer(
        load_default=0,
        validate=ma.validate.Range(-24 * 60, 24 * 60),
        metadata={"description": "For shift: minutes later (negative: earlier)"},
    )
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 500))


def load_run(workspace_id: int, run_id: int, permission: Permission = Permission.READ):
    membership = require_member(workspace_id, permission)
    return membership, get_in_workspace(db(), Run, run_id, workspace_id)


@blp.route("", methods=["POST"])
@blp.arguments(RunCreateSchema)
@blp.response(201, RunSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(422, **INVALID)
def create_run(body, workspace_id: int):
    """Cast a run of a published version: go-live, time zone, roster, variables/targets."""
    require_member(workspace_id, Permission.MANAGE_RUNS)
    runbook = get_in_workspace(db(), Runbook, body["runbook_id"], workspace_id)
    number = body["version"] or runbooks.latest_version_number(db(), runbook.id)
    if number is None:
        raise CueflowError(
            ErrorCode.VALIDATION,
            "Publish the runbook before starting a run of it.",
            errors=[FieldError("version", "The runbook has no published version.")],
        )
    version = runbooks.get_version(db(), runbook, number)
    user, moment = require_user(), now()
    run = runs.create_run(
        db(),
        runbook,
        version,
        runs.RunPlan(
            name=body["name"] or f"{runbook.name} · {body['go_live']:%m-%d %H:%M}",
            go_live=body["go_live"],
            tz=body["tz"],
            roster=body["roster"],
            variables=body["variables"],
            reminder_lead_minutes=body.get("reminder_lead_minutes", runbook.reminder_lead_minutes),
            escalation_delay_minutes=body.get(
                "escalation_delay_minutes", runbook.escalation_delay_minutes
            ),
        ),
        user=user,
        now=moment,
    )
    if body["start"]:
        runs.change_status(db(), run, RunStatus.RUNNING, user=user, now=moment)
    db().commit()
    return run


@blp.route("")
@blp.arguments(RunQuerySchema, location="query")
@blp.response(200, RunSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_runs(query, workspace_id: int):
    """Runs of the workspace, latest go-live first; filter by status or runbook."""
    require_member(workspace_id)
    statement = in_workspace(Run, workspace_id)
    if query["status"] is not None:
        statement = statement.where(Run.status == query["status"])
    if query["runbook_id"] is not None:
        statement = statement.where(Run.runbook_id == query["runbook_id"])
    return paging.page(statement.order_by(Run.go_live.desc(), Run.id.desc()), query)


@blp.route("/<id:run_id>")
@blp.response(200, RunDetailSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_run(workspace_id: int, run_id: int):
    """The run with its roster and every node's state, planned and actual times."""
    _, run = load_run(workspace_id, run_id)
    graph = graph_of_run(db(), run)
    pairs = db().execute(select(Task.node_id, Task.id).where(Task.run_id == run.id))
    task_ids = {node_id: task_id for node_id, task_id in pairs}
    rows = {r.node_id: r for r in db().scalars(select(RunNode).where(RunNode.run_id == run.id))}
    nodes = []
    for node in graph.nodes:
        row = rows.get(node.id)
        if row is None:
            continue
        nodes.append(
            {
                **{
                    k: getattr(row, k)
                    for k in (
                        "node_id",
                        "state",
                        "planned_start",
                        "planned_due",
                        "ready_at",
                        "finished_at",
                    )
                },
                "title": node.title,
                "kind": str(node.kind),
                "phase": str(node.phase),
                "role": node.role,
                "task_id": task_ids.get(node.id),
            }
        )
    finished = sum(n["state"] in (NodeState.DONE, NodeState.SKIPPED) for n in nodes)
    return {
        **attributes(run, RunSchema),
        "roster": run.roster,
        "progress": {"finished": finished, "total": len(nodes)},
        "nodes": nodes,
    }


def _status_route(action: str, status: RunStatus, doc: str):
    @blp.route(f"/<id:run_id>/{action}", methods=["POST"], endpoint=f"{action}_run")
    @blp.response(200, RunSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    def change(workspace_id: int, run_id: int):
        _, run = load_run(workspace_id, run_id, Permission.MANAGE_RUNS)
        runs.change_status(db(), run, status, user=require_user(), now=now())
        db().commit()
        return run

    change.__doc__ = doc
    return change


_status_route("start", RunStatus.RUNNING, "Start a scheduled run: its first tasks are handed out.")
_status_route("pause", RunStatus.PAUSED, "Pause: nothing new is handed out, no timer fires.")
_status_route("resume", RunStatus.RUNNING, "Resume a paused run; overdue timers fire now.")
_status_route("cancel", RunStatus.CANCELLED, "Cancel: open tasks are withdrawn, timers dropped.")


@blp.route("/<id:run_id>/go-live/preview", methods=["POST"])
@blp.arguments(GoLiveSchema)
@blp.response(200, GoLiveMoveSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
def preview_go_live(body, workspace_id: int, run_id: int):
    """What moving go-live would shift (timers, cues, dues of open tasks) and who would be
    told, without changing anything."""
    _, run = load_run(workspace_id, run_id, Permission.MANAGE_RUNS)
    return runs.preview_go_live(db(), run, body["go_live"])


@blp.route("/<id:run_id>/go-live", methods=["PUT"])
@blp.arguments(GoLiveSchema)
@blp.response(200, GoLiveMoveSchema)
@blp.alt_response(403, **FORBIDDEN)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def move_go_live(body, workspace_id: int, run_id: int):
    """Move go-live: every pinned time shifts by exactly the difference."""
    _, run = load_run(workspace_id, run_id, Permission.MANAGE_RUNS)
    move = runs.move_go_live(db(), run, body["go_live"], user=require_user(), now=now())
    db().commit()
    return move


@blp.route("/<id:run_id>/events")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, EventSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_events(query, workspace_id: int, run_id: int):
    """The run's append-only log: who changed what, when, from what to what."""
    _, run = load_run(workspace_id, run_id)
    return paging.page(select(Event).where(Event.run_id == run.id).order_by(Event.id), query)


@blp.route("/<id:run_id>/cues")
@blp.arguments(paging.PageQuerySchema, location="query")
@blp.response(200, CueSchema(many=True), headers=paging.NEXT_LINK)
@blp.alt_response(404, **NOT_FOUND)
def list_cues(query, workspace_id: int, run_id: int):
    """Every cue of the run's recurring nodes, in time order."""
    _, run = load_run(workspace_id, run_id)
    cues = select(Timer).where(Timer.run_id == run.id, Timer.kind == TimeKind.CUE)
    return paging.page(cues.order_by(Timer.fire_at, Timer.id), query)


def _cue_route(action: CueAction, doc: str):
    @blp.route(
        f"/<id:run_id>/cues/<id:cue_id>/{action}", methods=["POST"], endpoint=f"{action}_cue"
    )
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @idempotent
    @blp.arguments(CueChangeSchema)
    @blp.response(200, CueSchema)
    @blp.alt_response(403, **problem_doc("Only the live crew or a manager may change cues"))
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    def change(body, workspace_id: int, run_id: int, cue_id: int):
        membership, run = load_run(workspace_id, run_id)
        timer = db().scalar(select(Timer).where(Timer.id == cue_id, Timer.run_id == run.id))
        if timer is None:
            raise CueflowError(ErrorCode.NOT_FOUND, f"Cue {cue_id} not found")
        tasks.change_cue(
            db(),
            run,
            timer,
            membership,
            action,
            minutes=body["minutes"],
            reason=body["reason"],
            now=now(),
        )
        db().commit()
        return timer

    change.__doc__ = doc
    return change


_cue_route(CueAction.SHIFT, "Shift one cue live by some minutes, with the reason.")
_cue_route(CueAction.SKIP, "Skip one cue live, with the reason.")
