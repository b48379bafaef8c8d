"""Account rules: sign-up, login, invitations and API tokens.

Called by the API and the CLI alike; raises `CueflowError` where a rule is broken.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.errors import CueflowError, ErrorCode, FieldError
from engine.model.access import Permission, WorkspaceRole, can
from engine.store.accounts import ApiToken, Invitation, Membership, User, Workspace

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so both paths cost one argon2 check.
_DUMMY_HASH = _hasher.hash("cueflow-timing-equaliser")

TOKEN_PREFIX = "cf_"
INVITATION_TTL = timedelta(days=7)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def secret_digest(secret: str) -> str:
    """What is stored of a secret (API token, invitation, session): its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def signup_open(session: Session, allow_open_signup: bool) -> bool:
    """The first account may always sign up; later ones only when the operator allows it."""
    return allow_open_signup or session.scalar(select(func.count(User.id))) == 0


def sign_up(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    workspace_name: str,
    allow_open_signup: bool = False,
) -> Membership:
    """Create a user, their workspace, and make them its admin."""
    if not signup_open(session, allow_open_signup):
        raise CueflowError(ErrorCode.SIGNUP_CLOSED)
    user = _new_user(session, email=email, name=name, password=password)
    return _admin_of_new_workspace(session, user, workspace_name)


def create_workspace(session: Session, user: User, name: str, *, limit: int) -> Membership:
    """A new workspace with `user` as its admin, unless they have created `limit` already
    (WORKSPACE_LIMIT, with the limit)."""
    created = session.scalar(
        select(func.count(Workspace.id)).where(Workspace.created_by_id == user.id)
    )
    if created >= limit:
        raise CueflowError(
            ErrorCode.WORKSPACE_LIMIT,
            f"You have created {created} workspaces; at most {limit} may be created by one"
            " person. Ask the operator to raise CUEFLOW_MAX_WORKSPACES_PER_USER.",
            extra={"limit": limit},
        )
    return _admin_of_new_workspace(session, user, name)


def _admin_of_new_workspace(session: Session, user: User, name: str) -> Membership:
    workspace = Workspace(name=name, created_by_id=user.id)
    membership = Membership(user=user, workspace=workspace, role=WorkspaceRole.ADMIN)
    session.add_all([workspace, membership])
    session.flush()
    return membership


def _new_user(session: Session, *, email: str, name: str, password: str) -> User:
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise CueflowError(ErrorCode.EMAIL_TAKEN, errors=_field("email", "already registered"))
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def _field(field: str, message: str) -> list[FieldError]:
    return [FieldError(field=field, message=message)]


def authenticate(session: Session, email: str, password: str, now: datetime) -> User:
    """The user with this e-mail and password, or INVALID_CREDENTIALS (same answer for both)."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise CueflowError(ErrorCode.INVALID_CREDENTIALS) from None
    if user is None:
        raise CueflowError(ErrorCode.INVALID_CREDENTIALS)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def membership(session: Session, user_id: int, workspace_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace_id
        )
    )


def require_member(
    session: Session, user_id: int, workspace_id: int, permission: Permission = Permission.READ
) -> Membership:
    """The caller's membership, or 404 when they are not in the workspace, 403 without the right.

    A non-member gets 404, never 403: another workspace's existence is not revealed.
    """
    found = membership(session, user_id, workspace_id)
    if found is None:
        raise CueflowError(ErrorCode.NOT_FOUND, f"Workspace {workspace_id} not found")
    if not can(found.role, permission):
        raise CueflowError(
            ErrorCode.FORBIDDEN,
            f"Role '{found.role}' may not do this ({permission}) in workspace {workspace_id}",
        )
    return found


@dataclass(frozen=True)
class IssuedSecret:
    """A freshly made secret with the row that stores its hash. The secret is shown once."""

    secret: str
    row: ApiToken | Invitation


def invite(
    session: Session,
    *,
    workspace_id: int,
    email: str,
    role: WorkspaceRole,
    invited_by: User,
    now: datetime,
) -> IssuedSecret:
    email = normalise_email(email)
    existing = session.scalar(
        select(Membership)
        .join(User)
        .where(Membership.workspace_id == workspace_id, User.email == email)
    )
    if existing is not None:
        raise CueflowError(ErrorCode.ALREADY_MEMBER, errors=_field("email", "already a member"))
    secret = secrets.token_urlsafe(24)
    row = Invitation(
        workspace_id=workspace_id,
        email=email,
        role=role,
        token_hash=secret_digest(secret),
        invited_by_id=invited_by.id,
        created_at=now,
        expires_at=now + INVITATION_TTL,
    )
    session.add(row)
    session.flush()
    return IssuedSecret(secret=secret, row=row)


def open_invitation(session: Session, secret: str, now: datetime) -> Invitation:
    row = session.scalar(select(Invitation).where(Invitation.token_hash == secret_digest(secret)))
    if row is None or row.accepted_at is not None or row.expires_at <= now:
        raise CueflowError(ErrorCode.INVITATION_INVALID)
    return row


def accept_invitation(
    session: Session,
    secret: str,
    *,
    now: datetime,
    user: User | None = None,
    name: str | None = None,
    password: str | None = None,
) -> Membership:
    """Join the invitation's workspace, as the signed-in user or as a new account."""
    row = open_invitation(session, secret, now)
    if user is None:
        if not name or not password:
            raise CueflowError(
                ErrorCode.VALIDATION,
                "A new account needs a name and a password",
                errors=_field("password", "required when not signed in"),
            )
        user = _new_user(session, email=row.email, name=name, password=password)
    elif user.email != row.email:
        raise CueflowError(
            ErrorCode.INVITATION_OTHER_ACCOUNT, errors=_field("email", "not the invited e-mail")
        )
    if membership(session, user.id, row.workspace_id) is not None:
        raise CueflowError(ErrorCode.ALREADY_MEMBER)
    row.accepted_at = now
    joined = Membership(user=user, workspace_id=row.workspace_id, role=row.role)
    session.add(joined)
    session.flush()
    return joined


def issue_token(
    session: Session, user: User, name: str, now: datetime, expires_at: datetime | None = None
) -> IssuedSecret:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        token_hash=secret_digest(secret),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return IssuedSecret(secret=secret, row=row)


def user_for_token(session: Session, secret: str, now: datetime) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == secret_digest(secret)))
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    # Loaded before the touch: loading it would flush the touch, and the caller commits
    # only a dirty session (a flushed change is no longer dirty, so it was rolled back).
    user = row.user
    # Touch at most once a minute: a script's every request should not be a write.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
    return user


def count_admins(session: Session, workspace_id: int) -> int:
    return session.scalar(
        select(func.count(Membership.id)).where(
            Membership.workspace_id == workspace_id, Membership.role == WorkspaceRole.ADMIN
        )
    )
