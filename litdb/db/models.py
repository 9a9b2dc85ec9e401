"""The schema: SQLAlchemy 2 typed models. Alembic migrations in ``migrations/`` build exactly this.

A PubMed record is one ``articles`` row plus ordered rows in one table per repeated element
(authors, MeSH headings, references, ...), keyed by ``(pmid, position)`` so a record can be
written with plain bulk inserts. Curated data (later: tags, notes) lives in tables of its own that
a re-import never deletes from.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from litdb.db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _pmid_fk() -> Mapped[int]:
    return mapped_column(Integer, ForeignKey("articles.pmid", ondelete="CASCADE"), primary_key=True)


def _position() -> Mapped[int]:
    return mapped_column(Integer, primary_key=True, autoincrement=False)


class ArticleRow(Base):
    __tablename__ = "articles"

    pmid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[str] = mapped_column(String(16), default="1")
    kind: Mapped[str] = mapped_column(String(16), default="article")
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(Text, default="")
    vernacular_title: Mapped[str | None] = mapped_column(Text)
    journal_title: Mapped[str | None] = mapped_column(Text)
    journal_iso: Mapped[str | None] = mapped_column(Text)
    issn: Mapped[str | None] = mapped_column(String(32))
    issn_type: Mapped[str | None] = mapped_column(String(32))
    issn_linking: Mapped[str | None] = mapped_column(String(32))
    nlm_unique_id: Mapped[str | None] = mapped_column(String(32))
    medline_ta: Mapped[str | None] = mapped_column(Text)
    journal_country: Mapped[str | None] = mapped_column(Text)
    volume: Mapped[str | None] = mapped_column(String(64))
    issue: Mapped[str | None] = mapped_column(String(64))
    cited_medium: Mapped[str | None] = mapped_column(String(32))
    start_page: Mapped[str | None] = mapped_column(String(64))
    end_page: Mapped[str | None] = mapped_column(String(64))
    medline_pgn: Mapped[str | None] = mapped_column(String(128))
    pub_year: Mapped[str | None] = mapped_column(String(16))
    pub_month: Mapped[str | None] = mapped_column(String(16))
    pub_day: Mapped[str | None] = mapped_column(String(16))
    pub_season: Mapped[str | None] = mapped_column(String(32))
    pub_medline_date: Mapped[str | None] = mapped_column(String(128))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    sort_date: Mapped[str | None] = mapped_column(String(10), index=True)
    pub_model: Mapped[str | None] = mapped_column(String(32))
    publication_status: Mapped[str | None] = mapped_column(String(32))
    medline_status: Mapped[str | None] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(String(16))
    date_completed: Mapped[str | None] = mapped_column(String(10))
    date_revised: Mapped[str | None] = mapped_column(String(10))
    coi_statement: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    raw_format: Mapped[str] = mapped_column(String(16), default="xml")
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RawRecordRow(Base):
    """The record exactly as PubMed sent it (compressed), so fields can be re-derived later."""

    __tablename__ = "raw_records"

    pmid: Mapped[int] = _pmid_fk()
    format: Mapped[str] = mapped_column(String(16))
    compression: Mapped[str] = mapped_column(String(16))
    compressed: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))


class AbstractRow(Base):
    """Position 0 is the main abstract; later positions are OtherAbstracts (with their type)."""

    __tablename__ = "abstracts"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    type: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(16))
    copyright: Mapped[str | None] = mapped_column(Text)


class AbstractSectionRow(Base):
    __tablename__ = "abstract_sections"
    __table_args__ = (
        ForeignKeyConstraint(
            ["pmid", "abstract_position"],
            ["abstracts.pmid", "abstracts.position"],
            ondelete="CASCADE",
        ),
    )

    pmid: Mapped[int] = mapped_column(Integer, primary_key=True)
    abstract_position: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = _position()
    label: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)


class AuthorRow(Base):
    """Authors, investigators and book editors, each list in its PubMed order."""

    __tablename__ = "authors"
    __table_args__ = (Index("ix_authors_last_name_lower", func.lower(text("last_name"))),)

    pmid: Mapped[int] = _pmid_fk()
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = _position()
    last_name: Mapped[str | None] = mapped_column(Text)
    fore_name: Mapped[str | None] = mapped_column(Text)
    initials: Mapped[str | None] = mapped_column(String(32))
    suffix: Mapped[str | None] = mapped_column(String(32))
    collective_name: Mapped[str | None] = mapped_column(Text)
    orcid: Mapped[str | None] = mapped_column(String(64))
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    equal_contrib: Mapped[bool | None] = mapped_column(Boolean)


class AuthorAffiliationRow(Base):
    __tablename__ = "author_affiliations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["pmid", "role", "author_position"],
            ["authors.pmid", "authors.role", "authors.position"],
            ondelete="CASCADE",
        ),
    )

    pmid: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    author_position: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = _position()
    affiliation: Mapped[str] = mapped_column(Text)


class ELocationIdRow(Base):
    __tablename__ = "elocation_ids"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    id_type: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)


class ArticleDateRow(Base):
    __tablename__ = "article_dates"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    date_type: Mapped[str] = mapped_column(String(32))
    date: Mapped[str] = mapped_column(String(32))


class LanguageRow(Base):
    __tablename__ = "languages"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    language: Mapped[str] = mapped_column(String(16))


class PublicationTypeRow(Base):
    __tablename__ = "publication_types"
    __table_args__ = (Index("ix_publication_types_name_lower", func.lower(text("name"))),)

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    name: Mapped[str] = mapped_column(Text)
    ui: Mapped[str | None] = mapped_column(String(16))


class MeshHeadingRow(Base):
    __tablename__ = "mesh_headings"
    __table_args__ = (Index("ix_mesh_headings_descriptor_lower", func.lower(text("descriptor"))),)

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    descriptor: Mapped[str] = mapped_column(Text)
    descriptor_ui: Mapped[str | None] = mapped_column(String(16))
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    descriptor_type: Mapped[str | None] = mapped_column(String(32))


class MeshQualifierRow(Base):
    __tablename__ = "mesh_qualifiers"
    __table_args__ = (
        ForeignKeyConstraint(
            ["pmid", "heading_position"],
            ["mesh_headings.pmid", "mesh_headings.position"],
            ondelete="CASCADE",
        ),
    )

    pmid: Mapped[int] = mapped_column(Integer, primary_key=True)
    heading_position: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = _position()
    qualifier: Mapped[str] = mapped_column(Text)
    qualifier_ui: Mapped[str | None] = mapped_column(String(16))
    major: Mapped[bool] = mapped_column(Boolean, default=False)


class KeywordRow(Base):
    __tablename__ = "keywords"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    keyword: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(16))
    major: Mapped[bool] = mapped_column(Boolean, default=False)


class ChemicalRow(Base):
    __tablename__ = "chemicals"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    name: Mapped[str] = mapped_column(Text)
    ui: Mapped[str | None] = mapped_column(String(16))
    registry_number: Mapped[str | None] = mapped_column(String(64))


class GrantRow(Base):
    __tablename__ = "grants"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    grant_id: Mapped[str | None] = mapped_column(Text)
    acronym: Mapped[str | None] = mapped_column(String(32))
    agency: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)


class ArticleIdRow(Base):
    __tablename__ = "article_ids"
    __table_args__ = (Index("ix_article_ids_id_type_value", "id_type", "value"),)

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    id_type: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)


class HistoryDateRow(Base):
    __tablename__ = "history_dates"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    status: Mapped[str] = mapped_column(String(32))
    date: Mapped[str] = mapped_column(String(32))


class CorrectionRow(Base):
    """CommentsCorrections of every RefType (ErratumIn, RetractionIn, CommentOn, Cites, ...)."""

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_ref_pmid", "ref_pmid"),)

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    ref_type: Mapped[str] = mapped_column(String(64))
    ref_pmid: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class ReferenceRow(Base):
    """An entry of the record's ReferenceList; ``cited_pmid`` when PubMed resolved it."""

    __tablename__ = "article_references"
    __table_args__ = (Index("ix_article_references_cited_pmid", "cited_pmid"),)

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    citation: Mapped[str | None] = mapped_column(Text)
    cited_pmid: Mapped[int | None] = mapped_column(Integer)


class ReferenceIdRow(Base):
    __tablename__ = "reference_ids"
    __table_args__ = (
        ForeignKeyConstraint(
            ["pmid", "reference_position"],
            ["article_references.pmid", "article_references.position"],
            ondelete="CASCADE",
        ),
    )

    pmid: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference_position: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = _position()
    id_type: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)


class BookRow(Base):
    __tablename__ = "books"

    pmid: Mapped[int] = _pmid_fk()
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    publisher_location: Mapped[str | None] = mapped_column(Text)
    volume: Mapped[str | None] = mapped_column(String(64))
    volume_title: Mapped[str | None] = mapped_column(Text)
    edition: Mapped[str | None] = mapped_column(Text)
    collection_title: Mapped[str | None] = mapped_column(Text)
    medium: Mapped[str | None] = mapped_column(String(64))
    report_number: Mapped[str | None] = mapped_column(Text)
    contribution_date: Mapped[str | None] = mapped_column(String(10))
    beginning_date: Mapped[str | None] = mapped_column(String(10))
    ending_date: Mapped[str | None] = mapped_column(String(10))


class BookIsbnRow(Base):
    __tablename__ = "book_isbns"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    isbn: Mapped[str] = mapped_column(String(32))


class BookLocationLabelRow(Base):
    __tablename__ = "book_location_labels"

    pmid: Mapped[int] = _pmid_fk()
    position: Mapped[int] = _position()
    label: Mapped[str] = mapped_column(Text)


# -- refresh runs -------------------------------------------------------------------------------


class QueryRow(Base):
    """A corpus query as it was run (comments stripped, whitespace folded)."""

    __tablename__ = "queries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RunRow(Base):
    """One ``litdb refresh``: what it searched, what it found and changed, how it ended."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="refresh")
    query_id: Mapped[int | None] = mapped_column(ForeignKey("queries.id"), index=True)
    query: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    search_date: Mapped[str] = mapped_column(String(10))
    window_start: Mapped[str | None] = mapped_column(String(10))
    window_end: Mapped[str | None] = mapped_column(String(10))
    found: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[int] = mapped_column(Integer, default=0)
    retracted: Mapped[int] = mapped_column(Integer, default=0)
    corrected: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    linked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed: Mapped[int] = mapped_column(Integer, default=0)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)


class RunEventRow(Base):
    """What one run did to one record: added, updated, unchanged, deleted, dropped, retracted,
    failed. No foreign key to ``articles``: a failed or deleted PMID may not be stored."""

    __tablename__ = "run_events"
    __table_args__ = (Index("ix_run_events_pmid", "pmid"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    pmid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event: Mapped[str] = mapped_column(String(16), primary_key=True)


class QueryMatchRow(Base):
    """Which records a corpus query has returned, so ``refresh --full`` sees those it no longer
    returns (``dropped_run_id``) without deleting anything."""

    __tablename__ = "query_matches"

    query_id: Mapped[int] = mapped_column(
        ForeignKey("queries.id", ondelete="CASCADE"), primary_key=True
    )
    pmid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    dropped_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))


class LockRow(Base):
    """A named lock (``refresh``) held by one process, so two refreshes never interleave."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())


# -- claims ---------------------------------------------------------------------------------


class ClaimTagRow(Base):
    """The tagger's verdict on one record and one claim (only where it found any evidence)."""

    __tablename__ = "claim_tags"
    __table_args__ = (Index("ix_claim_tags_claim_id_applies", "claim_id", "applies"),)

    pmid: Mapped[int] = _pmid_fk()
    claim_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    applies: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float)
    stance: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(16))


class ClaimEvidenceRow(Base):
    """Why a tag was given: the field, what matched, the sentence, the stance it points to."""

    __tablename__ = "claim_evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["pmid", "claim_id"], ["claim_tags.pmid", "claim_tags.claim_id"], ondelete="CASCADE"
        ),
    )

    pmid: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = _position()
    field: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    matched: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    polarity: Mapped[str | None] = mapped_column(String(16))


class CurationRow(Base):
    """A curator's decision on a record and a claim. Append-only: the latest decision for a
    (pmid, claim) wins over the tagger everywhere; earlier ones stay as the history. Nothing
    litdb does automatically (import, refresh, retag, migrations) writes or deletes here."""

    __tablename__ = "curations"
    __table_args__ = (Index("ix_curations_pmid_claim_id", "pmid", "claim_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pmid: Mapped[int] = mapped_column(ForeignKey("articles.pmid", ondelete="RESTRICT"))
    claim_id: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(8))  # "tag" or "untag"
    stance: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    curator: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# -- citations ------------------------------------------------------------------------------


class CitationLinkRow(Base):
    """What E-utilities elink said about a corpus record: the PMIDs it cites (``refs``) or that
    cite it (``citedin``). A new answer for a record replaces that link's rows for it; the
    record's own ReferenceList and CommentsCorrections are other sources, kept with the record."""

    __tablename__ = "citation_links"
    __table_args__ = (Index("ix_citation_links_linked_pmid", "linked_pmid"),)

    pmid: Mapped[int] = _pmid_fk()
    link: Mapped[str] = mapped_column(String(16), primary_key=True)  # "refs" or "citedin"
    linked_pmid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LinkCheckRow(Base):
    """When elink was last asked about a record, so a refresh knows which links are stale."""

    __tablename__ = "link_checks"

    pmid: Mapped[int] = _pmid_fk()
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    refs: Mapped[int] = mapped_column(Integer)
    citedin: Mapped[int] = mapped_column(Integer)


class OriginRow(Base):
    """How a record came in when not by the corpus query or an import: ``snowball``, one
    citation step from the corpus (the claim whose records were followed, how many corpus
    records linked to it, the run that fetched it)."""

    __tablename__ = "record_origins"

    pmid: Mapped[int] = _pmid_fk()
    origin: Mapped[str] = mapped_column(String(16))
    claim_id: Mapped[str | None] = mapped_column(String(64))
    links: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime())
