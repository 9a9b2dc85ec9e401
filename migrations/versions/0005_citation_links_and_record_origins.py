"""Citations: elink links per corpus record, when links were checked, how records came in

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:17:52
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "citation_links",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("link", sa.String(length=16), nullable=False),
        sa.Column("linked_pmid", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_citation_links_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "link", "linked_pmid", name=op.f("pk_citation_links")),
    )
    op.create_index("ix_citation_links_linked_pmid", "citation_links", ["linked_pmid"])
    op.create_table(
        "link_checks",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refs", sa.Integer(), nullable=False),
        sa.Column("citedin", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_link_checks_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", name=op.f("pk_link_checks")),
    )
    op.create_table(
        "record_origins",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("claim_id", sa.String(length=64), nullable=True),
        sa.Column("links", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_record_origins_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_record_origins_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("pmid", name=op.f("pk_record_origins")),
    )
    # earlier runs corrected and linked nothing that was counted: 0. A plain ADD COLUMN (which
    # SQLite does in place) rather than a batch rebuild of the runs table.
    op.add_column("runs", sa.Column("corrected", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("runs", sa.Column("linked", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch_op:
        batch_op.drop_column("linked")
        batch_op.drop_column("corrected")
    op.drop_table("record_origins")
    op.drop_table("link_checks")
    op.drop_index("ix_citation_links_linked_pmid", table_name="citation_links")
    op.drop_table("citation_links")
