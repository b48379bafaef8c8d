"""The family of Cueflow errors: every stable error code, defined once.

The engine raises a `CueflowError` where a rule lives; the API turns it into an
RFC 9457 problem+json response in one handler. This module imports nothing of
Flask, SQLAlchemy, Redis or RQ so that `engine.model` may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Every stable error code a client may see. Values never change once published."""

    # request shape
    VALIDATION = "request.invalid"
    BODY_TOO_LARGE = "request.too_large"
    BAD_REQUEST = "request.bad"
    NOT_FOUND = "resource.not_found"
    METHOD_NOT_ALLOWED = "request.method_not_allowed"
    NOT_ACCEPTABLE = "request.not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "request.unsupported_media_type"
    PRECONDITION_FAILED = "request.precondition_failed"
    PRECONDITION_REQUIRED = "request.precondition_required"
    RATE_LIMITED = "request.rate_limited"
    IDEMPOTENCY_KEY_REUSED = "request.idempotency_key_reused"
    IN_PROGRESS = "request.in_progress"
    CONFLICT = "resource.conflict"
    INTERNAL = "server.internal"
    UNAVAILABLE = "server.unavailable"
    # accounts and access
    UNAUTHENTICATED = "auth.unauthenticated"
    INVALID_CREDENTIALS = "auth.invalid_credentials"
    CSRF_FAILED = "auth.csrf_failed"
    FORBIDDEN = "auth.forbidden"
    SIGNUP_CLOSED = "auth.signup_closed"
    EMAIL_TAKEN = "auth.email_taken"
    INVITATION_INVALID = "invitation.invalid"
    INVITATION_OTHER_ACCOUNT = "invitation.other_account"
    ALREADY_MEMBER = "workspace.already_member"
    LAST_ADMIN = "workspace.last_admin"
    WORKSPACE_LIMIT = "workspace.limit_reached"
    # runbook graphs
    GRAPH_INVALID = "graph.invalid_document"
    GRAPH_FORMAT_UNSUPPORTED = "graph.format_unsupported"
    GRAPH_TOO_LARGE = "graph.too_large"
    RUNBOOK_HAS_ERRORS = "runbook.has_errors"
    TEMPLATE_NOT_FOUND = "template.not_found"
    DUPLICATE_ID = "graph.duplicate_id"
    EXPORT_INVALID = "runbook.export_invalid"
    # runs and tasks
    RUN_TRANSITION = "run.invalid_transition"
    NODE_TRANSITION = "run.invalid_node_transition"
    TASK_TRANSITION = "task.invalid_transition"
    CUE_TRANSITION = "cue.invalid_transition"
    CUE_NOT_ALLOWED = "cue.not_allowed"
    TASK_INCOMPLETE = "task.incomplete"
    TASK_NOT_ALLOWED = "task.not_allowed"
    TASK_CHANGED = "task.changed"
    # notifications
    NOTIFY_URL_REFUSED = "notify.url_refused"
    CHANNEL_INVALID = "notify.channel_invalid"
    # post-mortems and the audit trail
    POSTMORTEM_LOCKED = "postmortem.locked"
    POSTMORTEM_TRANSITION = "postmortem.invalid_transition"
    RUN_NOT_FINISHED = "postmortem.run_not_finished"
    ACTION_TRANSITION = "postmortem.action_invalid_transition"
    NOTHING_TO_APPLY = "history.nothing_to_apply"


@dataclass(frozen=True)
class _Meta:
    status: int
    title: str


_META: dict[ErrorCode, _Meta] = {
    ErrorCode.VALIDATION: _Meta(422, "The request is not valid"),
    ErrorCode.BODY_TOO_LARGE: _Meta(413, "The request body is too large"),
    ErrorCode.BAD_REQUEST: _Meta(400, "Bad request"),
    ErrorCode.NOT_FOUND: _Meta(404, "Not found"),
    ErrorCode.METHOD_NOT_ALLOWED: _Meta(405, "Method not allowed"),
    ErrorCode.NOT_ACCEPTABLE: _Meta(406, "Not acceptable"),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: _Meta(415, "Unsupported media type"),
    ErrorCode.PRECONDITION_FAILED: _Meta(412, "The resource changed since you read it"),
    ErrorCode.PRECONDITION_REQUIRED: _Meta(428, "An If-Match header is required"),
    ErrorCode.RATE_LIMITED: _Meta(429, "Too many requests"),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: _Meta(422, "This Idempotency-Key belongs to another request"),
    ErrorCode.IN_PROGRESS: _Meta(409, "The same action is still being carried out"),
    ErrorCode.CONFLICT: _Meta(409, "Conflict with the current state"),
    ErrorCode.INTERNAL: _Meta(500, "Internal server error"),
    ErrorCode.UNAVAILABLE: _Meta(503, "Service unavailable"),
    ErrorCode.UNAUTHENTICATED: _Meta(401, "Authentication required"),
    ErrorCode.INVALID_CREDENTIALS: _Meta(401, "Wrong e-mail or password"),
    ErrorCode.CSRF_FAILED: _Meta(403, "The CSRF token is missing or wrong"),
    ErrorCode.FORBIDDEN: _Meta(403, "Your role does not allow this"),
    ErrorCode.SIGNUP_CLOSED: _Meta(403, "Sign-up is closed; ask an admin for an invitation"),
    ErrorCode.EMAIL_TAKEN: _Meta(409, "An account with this e-mail already exists"),
    ErrorCode.INVITATION_INVALID: _Meta(404, "The invitation is unknown, used or expired"),
    ErrorCode.INVITATION_OTHER_ACCOUNT: _Meta(
        403, "This invitation is for another e-mail address; sign in with that account"
    ),
    ErrorCode.ALREADY_MEMBER: _Meta(409, "Already a member of this workspace"),
    ErrorCode.LAST_ADMIN: _Meta(409, "A workspace needs at least one admin"),
    ErrorCode.WORKSPACE_LIMIT: _Meta(403, "You have created as many workspaces as you may"),
    ErrorCode.GRAPH_INVALID: _Meta(422, "The runbook graph document is not valid"),
    ErrorCode.GRAPH_FORMAT_UNSUPPORTED: _Meta(422, "This runbook graph format is not supported"),
    ErrorCode.GRAPH_TOO_LARGE: _Meta(413, "The runbook graph is too large"),
    ErrorCode.RUNBOOK_HAS_ERRORS: _Meta(422, "The runbook has errors; fix them first"),
    ErrorCode.TEMPLATE_NOT_FOUND: _Meta(404, "No built-in template has this key"),
    ErrorCode.DUPLICATE_ID: _Meta(409, "This id is already used in the draft"),
    ErrorCode.EXPORT_INVALID: _Meta(422, "This is not a Cueflow runbook export"),
    ErrorCode.RUN_TRANSITION: _Meta(409, "The run cannot make this change in its current status"),
    ErrorCode.NODE_TRANSITION: _Meta(409, "This step of the run cannot change that way now"),
    ErrorCode.TASK_TRANSITION: _Meta(409, "The task cannot make this change in its current status"),
    ErrorCode.CUE_TRANSITION: _Meta(409, "This cue can no longer be changed"),
    ErrorCode.CUE_NOT_ALLOWED: _Meta(403, "Only the live crew or a manager may change cues"),
    ErrorCode.TASK_INCOMPLETE: _Meta(422, "The task is not complete"),
    ErrorCode.TASK_NOT_ALLOWED: _Meta(403, "You may not do this to this task"),
    ErrorCode.TASK_CHANGED: _Meta(409, "Someone else changed this task at the same moment"),
    ErrorCode.NOTIFY_URL_REFUSED: _Meta(422, "Notifications may not be sent to this address"),
    ErrorCode.CHANNEL_INVALID: _Meta(422, "The channel settings are not valid"),
    ErrorCode.POSTMORTEM_LOCKED: _Meta(409, "The post-mortem is signed off; reopen it first"),
    ErrorCode.POSTMORTEM_TRANSITION: _Meta(409, "The post-mortem cannot make this change now"),
    ErrorCode.RUN_NOT_FINISHED: _Meta(409, "The run has not ended yet"),
    ErrorCode.ACTION_TRANSITION: _Meta(409, "The improvement action cannot make this change now"),
    ErrorCode.NOTHING_TO_APPLY: _Meta(409, "There is nothing to apply"),
}


def status_of(code: ErrorCode) -> int:
    return _META[code].status


def title_of(code: ErrorCode) -> str:
    return _META[code].title


@dataclass(frozen=True)
class FieldError:
    """One offending field (a dotted path in the request body) or graph element."""

    field: str
    message: str
    node_id: str | None = None
    edge_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.node_id is not None:
            out["node_id"] = self.node_id
        if self.edge_id is not None:
            out["edge_id"] = self.edge_id
        return out


class CueflowError(Exception):
    """A rule was broken. Carries a stable `code`; the API renders it as problem+json."""

    def __init__(
        self,
        code: ErrorCode,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.code = ErrorCode(code)
        self.detail = detail or title_of(self.code)
        self.errors = list(errors or [])
        self.extra = dict(extra or {})
        super().__init__(f"{self.code}: {self.detail}")

    @property
    def status(self) -> int:
        return status_of(self.code)

    @property
    def title(self) -> str:
        return title_of(self.code)
