"""Claims: automatic tags with evidence, curators' decisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 08:31:07.198862
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_tags",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=64), nullable=False),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_claim_tags_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "claim_id", name=op.f("pk_claim_tags")),
    )
    with op.batch_alter_table("claim_tags", schema=None) as batch_op:
        batch_op.create_index(
            "ix_claim_tags_claim_id_applies", ["claim_id", "applies"], unique=False
        )

    op.create_table(
        "curations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("curator", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_curations_pmid_articles"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curations")),
    )
    with op.batch_alter_table("curations", schema=None) as batch_op:
        batch_op.create_index("ix_curations_pmid_claim_id", ["pmid", "claim_id"], unique=False)

    op.create_table(
        "claim_evidence",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("matched", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("polarity", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid", "claim_id"],
            ["claim_tags.pmid", "claim_tags.claim_id"],
            name=op.f("fk_claim_evidence_pmid_claim_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "claim_id", "position", name=op.f("pk_claim_evidence")),
    )


def downgrade() -> None:
    op.drop_table("claim_evidence")
    with op.batch_alter_table("curations", schema=None) as batch_op:
        batch_op.drop_index("ix_curations_pmid_claim_id")

    op.drop_table("curations")
    with op.batch_alter_table("claim_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_tags_claim_id_applies")

    op.drop_table("claim_tags")
