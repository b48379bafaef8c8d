"""who created each workspace, to limit how many one person creates

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09 00:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_workspaces_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_workspaces_created_by_id_users"),
            "users",
            ["created_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_workspaces_created_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_workspaces_created_by_id"))
        batch_op.drop_column("created_by_id")
