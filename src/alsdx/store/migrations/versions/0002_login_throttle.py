"""Log-in throttle counters (per name, per name and client address), replacing counts from the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
    )
    op.create_index("ix_login_throttle_name_key", "login_throttle", ["name_key"])


def downgrade() -> None:
    op.drop_table("login_throttle")
