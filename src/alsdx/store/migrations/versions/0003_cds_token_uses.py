"""CDS Hooks JWT replay cache shared by every worker: used token ids per issuer until they expire (issue 16).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cds_token_uses",
        sa.Column("iss", sa.String(255), primary_key=True),
        sa.Column("jti", sa.String(255), primary_key=True),
        sa.Column("exp", sa.Float(), nullable=False),
    )
    op.create_index("ix_cds_token_uses_exp", "cds_token_uses", ["exp"])


def downgrade() -> None:
    op.drop_index("ix_cds_token_uses_exp", table_name="cds_token_uses")
    op.drop_table("cds_token_uses")
