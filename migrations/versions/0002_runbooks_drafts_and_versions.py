"""runbooks drafts and versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:15:28.632589
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "runbooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("reminder_lead_minutes", sa.Integer(), nullable=True),
        sa.Column("escalation_delay_minutes", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_runbooks_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_runbooks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runbooks")),
    )
    with op.batch_alter_table("runbooks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_runbooks_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_runbooks_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "runbook_drafts",
        sa.Column("runbook_id", sa.Integer(), nullable=False),
        sa.Column(
            "graph",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("node_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("warning_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["runbook_id"],
            ["runbooks.id"],
            name=op.f("fk_runbook_drafts_runbook_id_runbooks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_runbook_drafts_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("runbook_id", name=op.f("pk_runbook_drafts")),
    )
    with op.batch_alter_table("runbook_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_runbook_drafts_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "runbook_tags",
        sa.Column("runbook_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["runbook_id"],
            ["runbooks.id"],
            name=op.f("fk_runbook_tags_runbook_id_runbooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("runbook_id", "tag", name=op.f("pk_runbook_tags")),
    )
    with op.batch_alter_table("runbook_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_runbook_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "runbook_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("runbook_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "graph",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("node_count", sa.Integer(), nullable=False),
        sa.Column("edge_count", sa.Integer(), nullable=False),
        sa.Column("draft_revision", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_runbook_versions_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["runbook_id"],
            ["runbooks.id"],
            name=op.f("fk_runbook_versions_runbook_id_runbooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runbook_versions")),
        sa.UniqueConstraint("runbook_id", "number", name=op.f("uq_runbook_versions_runbook_id")),
    )
    with op.batch_alter_table("runbook_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_runbook_versions_published_by_id"), ["published_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_runbook_versions_runbook_id"), ["runbook_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("runbook_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runbook_versions_runbook_id"))
        batch_op.drop_index(batch_op.f("ix_runbook_versions_published_by_id"))

    op.drop_table("runbook_versions")
    with op.batch_alter_table("runbook_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runbook_tags_tag"))

    op.drop_table("runbook_tags")
    with op.batch_alter_table("runbook_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runbook_drafts_updated_by_id"))

    op.drop_table("runbook_drafts")
    with op.batch_alter_table("runbooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runbooks_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_runbooks_created_by_id"))

    op.drop_table("runbooks")
