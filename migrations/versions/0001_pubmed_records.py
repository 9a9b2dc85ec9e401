"""PubMed records: articles and their parts

Revision ID: 0001
Revises:
Create Date: 2026-11-27 07:42:47.593714
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("pmid", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("vernacular_title", sa.Text(), nullable=True),
        sa.Column("journal_title", sa.Text(), nullable=True),
        sa.Column("journal_iso", sa.Text(), nullable=True),
        sa.Column("issn", sa.String(length=32), nullable=True),
        sa.Column("issn_type", sa.String(length=32), nullable=True),
        sa.Column("issn_linking", sa.String(length=32), nullable=True),
        sa.Column("nlm_unique_id", sa.String(length=32), nullable=True),
        sa.Column("medline_ta", sa.Text(), nullable=True),
        sa.Column("journal_country", sa.Text(), nullable=True),
        sa.Column("volume", sa.String(length=64), nullable=True),
        sa.Column("issue", sa.String(length=64), nullable=True),
        sa.Column("cited_medium", sa.String(length=32), nullable=True),
        sa.Column("start_page", sa.String(length=64), nullable=True),
        sa.Column("end_page", sa.String(length=64), nullable=True),
        sa.Column("medline_pgn", sa.String(length=128), nullable=True),
        sa.Column("pub_year", sa.String(length=16), nullable=True),
        sa.Column("pub_month", sa.String(length=16), nullable=True),
        sa.Column("pub_day", sa.String(length=16), nullable=True),
        sa.Column("pub_season", sa.String(length=32), nullable=True),
        sa.Column("pub_medline_date", sa.String(length=128), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("sort_date", sa.String(length=10), nullable=True),
        sa.Column("pub_model", sa.String(length=32), nullable=True),
        sa.Column("publication_status", sa.String(length=32), nullable=True),
        sa.Column("medline_status", sa.String(length=32), nullable=True),
        sa.Column("owner", sa.String(length=16), nullable=True),
        sa.Column("date_completed", sa.String(length=10), nullable=True),
        sa.Column("date_revised", sa.String(length=10), nullable=True),
        sa.Column("coi_statement", sa.Text(), nullable=True),
        sa.Column("retracted", sa.Boolean(), nullable=False),
        sa.Column("raw_format", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pmid", name=op.f("pk_articles")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_retracted"), ["retracted"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_sort_date"), ["sort_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_year"), ["year"], unique=False)

    op.create_table(
        "abstracts",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("copyright", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"], ["articles.pmid"], name=op.f("fk_abstracts_pmid_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_abstracts")),
    )
    op.create_table(
        "article_dates",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("date_type", sa.String(length=32), nullable=False),
        sa.Column("date", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_article_dates_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_article_dates")),
    )
    op.create_table(
        "article_ids",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id_type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_article_ids_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_article_ids")),
    )
    with op.batch_alter_table("article_ids", schema=None) as batch_op:
        batch_op.create_index("ix_article_ids_id_type_value", ["id_type", "value"], unique=False)

    op.create_table(
        "article_references",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("citation", sa.Text(), nullable=True),
        sa.Column("cited_pmid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_article_references_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_article_references")),
    )
    with op.batch_alter_table("article_references", schema=None) as batch_op:
        batch_op.create_index("ix_article_references_cited_pmid", ["cited_pmid"], unique=False)

    op.create_table(
        "authors",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_name", sa.Text(), nullable=True),
        sa.Column("fore_name", sa.Text(), nullable=True),
        sa.Column("initials", sa.String(length=32), nullable=True),
        sa.Column("suffix", sa.String(length=32), nullable=True),
        sa.Column("collective_name", sa.Text(), nullable=True),
        sa.Column("orcid", sa.String(length=64), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("equal_contrib", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"], ["articles.pmid"], name=op.f("fk_authors_pmid_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pmid", "role", "position", name=op.f("pk_authors")),
    )
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.create_index("ix_authors_last_name", ["last_name"], unique=False)

    op.create_table(
        "book_isbns",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("isbn", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_book_isbns_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_book_isbns")),
    )
    op.create_table(
        "book_location_labels",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_book_location_labels_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_book_location_labels")),
    )
    op.create_table(
        "books",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("publisher_location", sa.Text(), nullable=True),
        sa.Column("volume", sa.String(length=64), nullable=True),
        sa.Column("volume_title", sa.Text(), nullable=True),
        sa.Column("edition", sa.Text(), nullable=True),
        sa.Column("collection_title", sa.Text(), nullable=True),
        sa.Column("medium", sa.String(length=64), nullable=True),
        sa.Column("report_number", sa.Text(), nullable=True),
        sa.Column("contribution_date", sa.String(length=10), nullable=True),
        sa.Column("beginning_date", sa.String(length=10), nullable=True),
        sa.Column("ending_date", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"], ["articles.pmid"], name=op.f("fk_books_pmid_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pmid", name=op.f("pk_books")),
    )
    op.create_table(
        "chemicals",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("ui", sa.String(length=16), nullable=True),
        sa.Column("registry_number", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"], ["articles.pmid"], name=op.f("fk_chemicals_pmid_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_chemicals")),
    )
    op.create_table(
        "corrections",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ref_type", sa.String(length=64), nullable=False),
        sa.Column("ref_pmid", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_corrections_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_corrections")),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index("ix_corrections_ref_pmid", ["ref_pmid"], unique=False)

    op.create_table(
        "elocation_ids",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id_type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_elocation_ids_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_elocation_ids")),
    )
    op.create_table(
        "grants",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("grant_id", sa.Text(), nullable=True),
        sa.Column("acronym", sa.String(length=32), nullable=True),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"], ["articles.pmid"], name=op.f("fk_grants_pmid_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_grants")),
    )
    op.create_table(
        "history_dates",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("date", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_history_dates_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_history_dates")),
    )
    op.create_table(
        "keywords",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("keyword", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=16), nullable=True),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"], ["articles.pmid"], name=op.f("fk_keywords_pmid_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_keywords")),
    )
    op.create_table(
        "languages",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"], ["articles.pmid"], name=op.f("fk_languages_pmid_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_languages")),
    )
    op.create_table(
        "mesh_headings",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("descriptor", sa.Text(), nullable=False),
        sa.Column("descriptor_ui", sa.String(length=16), nullable=True),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.Column("descriptor_type", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_mesh_headings_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_mesh_headings")),
    )
    with op.batch_alter_table("mesh_headings", schema=None) as batch_op:
        batch_op.create_index("ix_mesh_headings_descriptor", ["descriptor"], unique=False)

    op.create_table(
        "publication_types",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("ui", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_publication_types_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", "position", name=op.f("pk_publication_types")),
    )
    with op.batch_alter_table("publication_types", schema=None) as batch_op:
        batch_op.create_index("ix_publication_types_name", ["name"], unique=False)

    op.create_table(
        "raw_records",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("compression", sa.String(length=16), nullable=False),
        sa.Column("compressed", sa.LargeBinary(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["articles.pmid"],
            name=op.f("fk_raw_records_pmid_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pmid", name=op.f("pk_raw_records")),
    )
    op.create_table(
        "abstract_sections",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("abstract_position", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid", "abstract_position"],
            ["abstracts.pmid", "abstracts.position"],
            name=op.f("fk_abstract_sections_pmid_abstracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "pmid", "abstract_position", "position", name=op.f("pk_abstract_sections")
        ),
    )
    op.create_table(
        "author_affiliations",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("author_position", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("affiliation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid", "role", "author_position"],
            ["authors.pmid", "authors.role", "authors.position"],
            name=op.f("fk_author_affiliations_pmid_authors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "pmid", "role", "author_position", "position", name=op.f("pk_author_affiliations")
        ),
    )
    op.create_table(
        "mesh_qualifiers",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("heading_position", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("qualifier", sa.Text(), nullable=False),
        sa.Column("qualifier_ui", sa.String(length=16), nullable=True),
        sa.Column("major", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid", "heading_position"],
            ["mesh_headings.pmid", "mesh_headings.position"],
            name=op.f("fk_mesh_qualifiers_pmid_mesh_headings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "pmid", "heading_position", "position", name=op.f("pk_mesh_qualifiers")
        ),
    )
    op.create_table(
        "reference_ids",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("reference_position", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id_type", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pmid", "reference_position"],
            ["article_references.pmid", "article_references.position"],
            name=op.f("fk_reference_ids_pmid_article_references"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "pmid", "reference_position", "position", name=op.f("pk_reference_ids")
        ),
    )


def downgrade() -> None:
    op.drop_table("reference_ids")
    op.drop_table("mesh_qualifiers")
    op.drop_table("author_affiliations")
    op.drop_table("abstract_sections")
    op.drop_table("raw_records")
    with op.batch_alter_table("publication_types", schema=None) as batch_op:
        batch_op.drop_index("ix_publication_types_name")

    op.drop_table("publication_types")
    with op.batch_alter_table("mesh_headings", schema=None) as batch_op:
        batch_op.drop_index("ix_mesh_headings_descriptor")

    op.drop_table("mesh_headings")
    op.drop_table("languages")
    op.drop_table("keywords")
    op.drop_table("history_dates")
    op.drop_table("grants")
    op.drop_table("elocation_ids")
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index("ix_corrections_ref_pmid")

    op.drop_table("corrections")
    op.drop_table("chemicals")
    op.drop_table("books")
    op.drop_table("book_location_labels")
    op.drop_table("book_isbns")
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.drop_index("ix_authors_last_name")

    op.drop_table("authors")
    with op.batch_alter_table("article_references", schema=None) as batch_op:
        batch_op.drop_index("ix_article_references_cited_pmid")

    op.drop_table("article_references")
    with op.batch_alter_table("article_ids", schema=None) as batch_op:
        batch_op.drop_index("ix_article_ids_id_type_value")

    op.drop_table("article_ids")
    op.drop_table("article_dates")
    op.drop_table("abstracts")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_year"))
        batch_op.drop_index(batch_op.f("ix_articles_status"))
        batch_op.drop_index(batch_op.f("ix_articles_sort_date"))
        batch_op.drop_index(batch_op.f("ix_articles_retracted"))

    op.drop_table("articles")
