"""Runbook rules: create, save and edit the draft, publish versions, duplicate, import.

Called by the API and the CLI alike. The draft is saved only as a whole, checked document
(graph_format) together with its problem counts; its `revision` guards every write: a
caller names the revision it edited, and a draft that moved on since is refused with
`request.precondition_failed` (412) instead of being overwritten.

Every change is an event in the audit trail (engine/model/events.py, `runbook.*`), kept
small: revision numbers, the version number, the edit and the node or edge it touched,
never the graph itself (the versions and the diff hold that).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.draft_edits import Edit
from engine.model.events import EventKind
from engine.model.graph import Graph
from engine.model.graph_format import FORMAT, dump_graph, load_graph
from engine.model.layout import apply_layout, layout, stacked
from engine.model.problems import Problem, has_errors
from engine.model.structure import refuse_broken
from engine.model.validation import validate
from engine.model.vocabulary import Phase, Severity
from engine.store.accounts import User
from engine.store.runbooks import Runbook, RunbookDraft, RunbookTag, RunbookVersion
from engine.store.runs import Event
from engine.store.scoping import contains_pattern, in_workspace
from engine.templates import TEMPLATE_BY_KEY, load_template


@dataclass(frozen=True)
class Checked:
    """A graph document parsed, normalised and validated."""

    graph: Graph
    doc: dict[str, Any]
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def check(doc: Any, at: str = "") -> Checked:
    """Parse (refusing malformed or oversized documents, and graphs no editor could draw)
    and validate a graph document sent in; `at` is its path in the request body."""
    graph = load_graph(doc)
    refuse_broken(graph, at)
    if stacked(graph):  # sent without positions: laid out, so every reader sees it whole
        graph = apply_layout(graph, layout(graph))
    return Checked(graph, dump_graph(graph), validate(graph))


def check_stored(doc: dict[str, Any]) -> Checked:
    """A stored document was checked when saved; parse it again to validate or plan it."""
    graph = load_graph(doc)
    return Checked(graph, doc, validate(graph))


def empty_graph() -> dict[str, Any]:
    """A new runbook: a start in the pre-event lane and an end in the review lane."""
    return {
        "format": FORMAT,
        "variables": [],
        "nodes": [
            _bare("start", "start", Phase.PRE_EVENT, "开始 Start", 40.0),
            _bare("end", "end", Phase.REVIEW, "结束 End", 640.0),
        ],
        "edges": [],
    }


def _bare(node_id: str, kind: str, phase: Phase, title: str, x: float) -> dict[str, Any]:
    return {"id": node_id, "kind": kind, "phase": str(phase), "title": title, "x": x, "y": 0.0}


def create(
    session: Session,
    workspace_id: int,
    user: User,
    *,
    name: str,
    description: str = "",
    tags: list[str] | None = None,
    graph_doc: Any = None,
    graph_path: str = "",
    origin: Mapping[str, Any] | None = None,
    now: datetime,
) -> Runbook:
    """A new runbook and its draft. `origin` says where the graph came from, for the audit
    trail (`{"source": "template", "template": key}`); by default blank or a graph.
    `graph_path` is where the graph sits in the request (errors name their fields so)."""
    checked = check(empty_graph() if graph_doc is None else graph_doc, graph_path)
    runbook = Runbook(
        workspace_id=workspace_id,
        name=name,
        description=description,
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
    )
    runbook.tags = clean_tags(tags or [])
    runbook.draft = RunbookDraft(updated_by_id=user.id, updated_at=now)
    _store(runbook.draft, checked)
    session.add(runbook)
    session.flush()
    source = {"source": "blank" if graph_doc is None else "graph", **(origin or {})}
    after = {"revision": runbook.draft.revision, "nodes": runbook.draft.node_count, **source}
    record(session, runbook, EventKind.RUNBOOK_CREATE, user=user, at=now, after=after)
    return runbook


def create_from_template(
    session: Session, workspace_id: int, user: User, key: str, *, now: datetime
) -> Runbook:
    """A runbook holding a built-in template, named and tagged as the template is."""
    doc = load_template(key)  # raises template.not_found for an unknown key
    template = TEMPLATE_BY_KEY[key]
    return create(
        session,
        workspace_id,
        user,
        name=template.title_zh,
        description=template.description,
        tags=list(template.tags),
        graph_doc=doc,
        origin={"source": "template", "template": key},
        now=now,
    )


def clean_tags(tags: list[str]) -> list[str]:
    return [t for t in dict.fromkeys(tag.strip() for tag in tags) if t]


def search(
    workspace_id: int, *, q: str = "", tag: str = "", archived: bool | None
) -> Select[tuple[Runbook]]:
    """The query of a workspace's runbooks, newest change first; `q` matches name or
    description."""
    query = in_workspace(Runbook, workspace_id)
    if archived is not None:
        query = query.where(Runbook.archived.is_(archived))
    if q.strip():
        pattern = contains_pattern(q)
        query = query.where(
            func.lower(Runbook.name).like(pattern, escape="\\")
            | func.lower(Runbook.description).like(pattern, escape="\\")
        )
    if tag.strip():
        query = query.where(
            exists().where(RunbookTag.runbook_id == Runbook.id, RunbookTag.tag == tag.strip())
        )
    return query.order_by(Runbook.updated_at.desc(), Runbook.id.desc())


def require_revision(draft: RunbookDraft, expected: int | None) -> None:
    if expected is not None and expected != draft.revision:
        raise conflict(draft)


def conflict(draft: RunbookDraft) -> CueflowError:
    return CueflowError(
        ErrorCode.PRECONDITION_FAILED,
        f"The draft was saved by someone else since you opened it (now revision"
        f" {draft.revision}); reload it and apply your change again.",
        extra={"current_revision": draft.revision},
    )


def save_draft(
    session: Session,
    runbook: Runbook,
    doc: Any,
    *,
    expected_revision: int,
    user: User,
    now: datetime,
) -> Checked:
    """Replace the whole draft, if it is still at `expected_revision`."""
    require_revision(runbook.draft, expected_revision)
    checked = check(doc)
    before = _draft_facts(runbook.draft)
    _write(session, runbook, checked, user, now)
    after = _draft_facts(runbook.draft)
    record(
        session,
        runbook,
        EventKind.RUNBOOK_DRAFT_SAVE,
        user=user,
        at=now,
        before=before,
        after=after,
    )
    return checked


def edit_draft(
    session: Session,
    runbook: Runbook,
    change: Callable[[dict[str, Any]], Edit],
    *,
    expected_revision: int,
    user: User,
    now: datetime,
    kind: str = "edit",
    audit: Mapping[str, Any] | None = None,
) -> tuple[Edit, Checked]:
    """Apply one fine-grained edit (engine.model.draft_edits) to the draft. `kind` names the
    edit in the audit trail (`add_node`, `apply_suggestions` ...); `audit` adds a few
    small facts to its event (the improvement action it carries out, say)."""
    require_revision(runbook.draft, expected_revision)
    edit = change(runbook.draft.graph)
    checked = check_stored(edit.doc)
    before_doc, before = runbook.draft.graph, {"revision": runbook.draft.revision}
    _write(session, runbook, checked, user, now)
    touched = _touched(before_doc, edit)
    after = {**_draft_facts(runbook.draft), "edit": kind, **touched, **(audit or {})}
    record(
        session,
        runbook,
        EventKind.RUNBOOK_DRAFT_EDIT,
        user=user,
        at=now,
        before=before,
        after=after,
    )
    return edit, checked


def _draft_facts(draft: RunbookDraft) -> dict[str, Any]:
    return {"revision": draft.revision, "nodes": draft.node_count, "errors": draft.error_count}


def _touched(before: dict[str, Any], edit: Edit) -> dict[str, Any]:
    """The node or edge an edit touched, for its event: the one it added or changed, or
    the one it deleted (and the edges that went with a node)."""
    touched: dict[str, Any] = {}
    if edit.node is not None:
        touched["node_id"] = edit.node["id"]
    if edit.edge is not None:
        touched["edge_id"] = edit.edge["id"]
    if edit.node is None and edit.edge is None:
        nodes = _ids(before["nodes"]) - _ids(edit.doc["nodes"])
        edges = _ids(before["edges"]) - _ids(edit.doc["edges"]) - set(edit.removed_edges)
        if len(nodes) == 1:
            touched["node_id"] = nodes.pop()
        if len(edges) == 1:
            touched["edge_id"] = edges.pop()
    if edit.removed_edges:
        touched["removed_edges"] = list(edit.removed_edges)
    return touched


def _ids(elements: list[dict[str, Any]]) -> set[str]:
    return {element["id"] for element in elements}


def update(
    session: Session, runbook: Runbook, fields: dict[str, Any], *, user: User, now: datetime
) -> Runbook:
    """Rename, describe, tag, archive, or set reminder times: audited, the draft untouched."""
    if "tags" in fields:
        fields = {**fields, "tags": clean_tags(fields["tags"])}
    changed = {key: value for key, value in fields.items() if getattr(runbook, key) != value}
    if not changed:
        return runbook
    before = {key: getattr(runbook, key) for key in changed}
    for key, value in changed.items():
        setattr(runbook, key, value)
    runbook.updated_at = now
    record(
        session, runbook, EventKind.RUNBOOK_UPDATE, user=user, at=now, before=before, after=changed
    )
    return runbook


def record(
    session: Session,
    runbook: Runbook,
    kind: EventKind,
    *,
    user: User,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Append one event about the runbook to the workspace's audit trail."""
    session.add(
        Event(
            workspace_id=runbook.workspace_id,
            runbook_id=runbook.id,
            at=at,
            actor_id=user.id,
            kind=kind,
            before=before,
            after=after,
            note=note,
        )
    )


def _write(session: Session, runbook: Runbook, checked: Checked, user: User, now: datetime):
    draft = runbook.draft
    _store(draft, checked)
    draft.updated_at = runbook.updated_at = now
    draft.updated_by_id = user.id
    try:
        session.flush()  # UPDATE ... WHERE revision = the one we read
    except StaleDataError:
        session.rollback()
        session.refresh(draft)
        raise conflict(draft) from None


def _store(draft: RunbookDraft, checked: Checked) -> None:
    draft.graph = checked.doc
    draft.node_count = len(checked.doc["nodes"])
    draft.error_count = checked.errors
    draft.warning_count = checked.warnings


def publish(
    session: Session,
    runbook: Runbook,
    *,
    user: User,
    note: str = "",
    expected_revision: int | None = None,
    now: datetime,
) -> RunbookVersion:
    """Freeze the draft as the next numbered version; refused while it has errors."""
    draft = runbook.draft
    require_revision(draft, expected_revision)
    checked = check_stored(draft.graph)
    if has_errors(checked.problems):
        raise CueflowError(
            ErrorCode.RUNBOOK_HAS_ERRORS,
            f"The draft has {checked.errors} error(s); fix them before publishing.",
            errors=[
                FieldError("graph", p.message, (p.node_ids or (None,))[0], _first(p.edge_ids))
                for p in checked.problems
                if p.severity is Severity.ERROR
            ],
            extra={"problems": [p.as_dict() for p in checked.problems]},
        )
    latest = latest_version_number(session, runbook.id)
    version = RunbookVersion(
        runbook_id=runbook.id,
        number=(latest or 0) + 1,
        graph=draft.graph,
        note=note,
        node_count=len(draft.graph["nodes"]),
        edge_count=len(draft.graph["edges"]),
        draft_revision=draft.revision,
        published_at=now,
        published_by_id=user.id,
    )
    session.add(version)
    runbook.updated_at = now
    session.flush()
    record(
        session,
        runbook,
        EventKind.RUNBOOK_PUBLISH,
        user=user,
        at=now,
        before={"revision": draft.revision, "version": latest},
        after={"revision": draft.revision, "version": version.number},
        note=note,
    )
    return version


def _first(ids: tuple[str, ...]) -> str | None:
    return ids[0] if ids else None


def latest_version_number(session: Session, runbook_id: int) -> int | None:
    return session.scalar(
        select(func.max(RunbookVersion.number)).where(RunbookVersion.runbook_id == runbook_id)
    )


def get_version(session: Session, runbook: Runbook, number: int) -> RunbookVersion:
    version = session.scalar(
        select(RunbookVersion).where(
            RunbookVersion.runbook_id == runbook.id, RunbookVersion.number == number
        )
    )
    if version is None:
        raise CueflowError(ErrorCode.NOT_FOUND, f"Runbook {runbook.id} has no version {number}")
    return version


def duplicate(
    session: Session, runbook: Runbook, *, user: User, name: str | None, now: datetime
) -> Runbook:
    """A new runbook with a copy of the draft and settings (not the versions)."""
    copy = create(
        session,
        runbook.workspace_id,
        user,
        name=name or f"{runbook.name} (副本 copy)"[:200],
        description=runbook.description,
        tags=runbook.tags,
        graph_doc=runbook.draft.graph,
        origin={"source": "duplicate", "from_runbook_id": runbook.id},
        now=now,
    )
    copy.reminder_lead_minutes = runbook.reminder_lead_minutes
    copy.escalation_delay_minutes = runbook.escalation_delay_minutes
    return copy
