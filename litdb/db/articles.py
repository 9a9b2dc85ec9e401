"""Repository functions for PubMed records: upsert by PMID, mark deletions, load, count.

Writes use bulk Core inserts over the model tables; a record whose content hash is unchanged is
not touched at all, so re-importing a file leaves the database byte-for-byte as it was.
"""

from __future__ import annotations

import gc
from collections import defaultdict, namedtuple
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from litdb.db import raw_upgrade, sqlite
from litdb.db.models import (
    AbstractRow,
    AbstractSectionRow,
    ArticleDateRow,
    ArticleIdRow,
    ArticleRow,
    AuthorAffiliationRow,
    AuthorRow,
    Base,
    BookIsbnRow,
    BookLocationLabelRow,
    BookRow,
    ChemicalRow,
    CorrectionRow,
    ELocationIdRow,
    GrantRow,
    HistoryDateRow,
    KeywordRow,
    LanguageRow,
    MeshHeadingRow,
    MeshQualifierRow,
    PublicationTypeRow,
    RawRecordRow,
    ReferenceIdRow,
    ReferenceRow,
)
from litdb.db.rows import (
    WRITTEN_TABLE_NAMES,
    PreparedBatch,
    compress_raw,
    decompress,
    prepare_batch,
)
from litdb.records import (
    Abstract,
    AbstractSection,
    Article,
    ArticleId,
    Author,
    Book,
    Chemical,
    Correction,
    DatedEvent,
    ELocationId,
    Grant,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    Pagination,
    PartialDate,
    PublicationType,
    Reference,
)

ADDED, UPDATED, UNCHANGED, DELETED = "added", "updated", "unchanged", "deleted"
_CHUNK = 500
# Records read per round of queries: fewer, larger IN lists cost less to compile and run.
_LOAD_CHUNK = 2000
_ARTICLES = ArticleRow.__table__
_RAW = RawRecordRow.__table__
# The tables a prepared batch fills (``litdb.db.rows``), parents before children.
WRITTEN_TABLES = tuple(Base.metadata.tables[name] for name in WRITTEN_TABLE_NAMES)


@dataclass(frozen=True)
class StoredArticle:
    """A record as the database holds it: the parsed article plus litdb's own bookkeeping."""

    article: Article
    status: str
    first_seen_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    pmid: int
    event: str  # added / updated / unchanged / deleted
    retracted_now: bool = False  # the record became retracted with this write
    corrected_now: tuple[tuple[str, int | None], ...] = ()  # notices new with this write


# CommentsCorrections that correct the record itself: a notice PubMed links it to
CORRECTION_NOTICES = (
    "RetractionIn",
    "ErratumIn",
    "ExpressionOfConcernIn",
    "CorrectedandRepublishedIn",
    "RetractedandRepublishedIn",
    "UpdateIn",
)
_CORRECTIONS = CorrectionRow.__table__


def chunked(values: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# -- writing --------------------------------------------------------------------------------------


def upsert_articles(session: Session, articles: Sequence[Article], now: datetime) -> list[Outcome]:
    """Insert new records, rewrite changed ones, leave unchanged ones alone; say which was which.

    Within one call, the last occurrence of a PMID wins. Runs inside the caller's transaction.
    """
    return write_batch(session, prepare_batch(articles), now)


def write_batch(session: Session, batch: PreparedBatch, now: datetime) -> list[Outcome]:
    """Store a prepared batch: only rows of added and changed records are written."""
    if not batch.records:
        return []
    existing: dict[int, tuple[str, str, bool, str]] = {}  # hash, status, retracted, raw format
    for chunk in chunked([r.pmid for r in batch.records]):
        rows = session.execute(
            select(
                _ARTICLES.c.pmid,
                _ARTICLES.c.content_hash,
                _ARTICLES.c.status,
                _ARTICLES.c.retracted,
                _ARTICLES.c.raw_format,
            ).where(_ARTICLES.c.pmid.in_(chunk))
        )
        existing.update({row.pmid: tuple(row[1:]) for row in rows})

    outcomes: list[Outcome] = []
    added: set[int] = set()
    changed: set[int] = {
        r.pmid
        for r in batch.records
        if r.pmid in existing
        and (existing[r.pmid][0] != r.content_hash or existing[r.pmid][1] != "active")
    }
    if changed:
        same, earlier = raw_upgrade.same_content(session, batch, existing, changed)
        changed -= same
        if earlier:
            raw_upgrade.store_as_sent(session, batch, earlier)
    new_notices = _new_notices(session, batch, changed)
    for record in batch.records:
        before = existing.get(record.pmid)
        if before is None:
            added.add(record.pmid)
            outcomes.append(Outcome(record.pmid, ADDED, record.retracted))
        elif record.pmid not in changed:
            outcomes.append(Outcome(record.pmid, UNCHANGED))
        else:
            outcomes.append(
                Outcome(
                    record.pmid,
                    UPDATED,
                    record.retracted and not before[2],
                    new_notices.get(record.pmid, ()),
                )
            )
    if not added and not changed:
        return outcomes

    bookkeeping = {"status": "active", "deleted_at": None, "updated_at": now}
    if changed:
        for table in reversed(WRITTEN_TABLES):
            for chunk in chunked(sorted(changed)):
                session.execute(delete(table).where(table.c.pmid.in_(chunk)))
        values = [
            {**row, **bookkeeping, "b_pmid": row["pmid"]}
            for row in batch.articles
            if row["pmid"] in changed
        ]
        for row in values:
            del row["pmid"]
        session.execute(
            update(_ARTICLES)
            .where(_ARTICLES.c.pmid == bindparam("b_pmid"))
            .values({key: bindparam(key) for key in values[0] if key != "b_pmid"}),
            values,
        )
    connection = session.connection()
    if added:
        _insert_articles(
            connection,
            [row for row in batch.articles if row["pmid"] in added],
            {**bookkeeping, "first_seen_at": now},
        )
    wanted = added | changed
    for table in WRITTEN_TABLES:
        rows = batch.parts[table.name]
        if len(wanted) < len(batch.records):
            rows = [row for row in rows if row[0] in wanted]
        if table is _RAW and not batch.raw_compressed:
            rows = compress_raw(rows)
        if rows:
            bulk_insert(connection, table, rows)
    if connection.dialect.name == "sqlite":
        sqlite.fts_replace(connection, _search_text(batch, wanted), indexed=changed)
    return outcomes


def _new_notices(
    session: Session, batch: PreparedBatch, changed: set[int]
) -> dict[int, tuple[tuple[str, int | None], ...]]:
    """Correction notices (``CORRECTION_NOTICES``) each changed record has now and had not."""
    if not changed:
        return {}
    before: set[tuple[int, str, int | None]] = set()
    for chunk in chunked(sorted(changed)):
        before.update(
            session.execute(
                select(_CORRECTIONS.c.pmid, _CORRECTIONS.c.ref_type, _CORRECTIONS.c.ref_pmid).where(
                    _CORRECTIONS.c.pmid.in_(chunk),
                    _CORRECTIONS.c.ref_type.in_(CORRECTION_NOTICES),
                )
            )
        )
    new: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for pmid, _position, ref_type, ref_pmid, *_rest in batch.parts["corrections"]:
        notice = (pmid, ref_type, ref_pmid)
        if pmid in changed and ref_type in CORRECTION_NOTICES and notice not in before:
            new[pmid].append((ref_type, ref_pmid))
            before.add(notice)
    return {pmid: tuple(notices) for pmid, notices in new.items()}


def _search_text(batch: PreparedBatch, wanted: set[int]) -> list[tuple[int, str, str, str, str]]:
    """What the full-text index holds per record: title, abstracts, MeSH terms, keywords."""
    texts: dict[int, list[list[str]]] = {
        row["pmid"]: [[row["title"]], [], [], []] for row in batch.articles if row["pmid"] in wanted
    }
    for column, table, index in (
        (1, "abstract_sections", 5),
        (2, "mesh_headings", 2),
        (3, "keywords", 2),
    ):
        for row in batch.parts[table]:
            if row[0] in texts and row[index]:
                texts[row[0]][column].append(row[index])
    return [
        (pmid, title[0], " ".join(abstract), "; ".join(mesh), "; ".join(keywords))
        for pmid, (title, abstract, mesh, keywords) in texts.items()
    ]


def _insert_articles(connection, rows: list[dict], bookkeeping: dict) -> None:
    """New ``articles`` rows through the driver: the bookkeeping values (the same for every row)
    go through their column types once, not once per row."""
    dialect = connection.dialect
    fixed = {}
    for key, value in bookkeeping.items():
        process = _ARTICLES.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        fixed[key] = process(value) if process is not None and value is not None else value
    keys = [column.name for column in _ARTICLES.columns]
    missing = set(keys) - set(rows[0]) - set(fixed)
    if missing:
        raise ValueError(f"articles rows lack {sorted(missing)}")
    in_order = itemgetter(*keys)
    bulk_insert(connection, _ARTICLES, [in_order({**row, **fixed}) for row in rows])


def bulk_insert(connection, table, rows: list[tuple]) -> None:
    """One executemany straight to the driver, rows given in the table's column order.

    These tables hold only strings, integers, booleans and bytes, which every driver adapts by
    itself; skipping SQLAlchemy's per-row parameter processing makes imports several times faster.
    """
    sql, keys = _insert_sql(connection.dialect, table)
    if keys is None:
        connection.exec_driver_sql(sql, rows)
    else:
        connection.exec_driver_sql(sql, [dict(zip(keys, row, strict=True)) for row in rows])


_INSERTS: dict[tuple[str, str, str, str], tuple[str, list[str] | None]] = {}


def _insert_sql(dialect, table) -> tuple[str, list[str] | None]:
    """A table's INSERT for ``dialect``, compiled once; the keys when it takes named parameters."""
    key = (dialect.name, dialect.driver, dialect.paramstyle, table.name)
    if key not in _INSERTS:
        keys = [column.name for column in table.columns]
        compiled = table.insert().compile(dialect=dialect, column_keys=keys)
        if compiled.positional:
            assert list(compiled.positiontup) == keys
        _INSERTS[key] = (str(compiled), None if compiled.positional else keys)
    return _INSERTS[key]


def mark_deleted(session: Session, pmids: Iterable[str | int], now: datetime) -> list[Outcome]:
    """Flag records PubMed withdrew (DeleteCitation); the rows and everything curated stay."""
    wanted = sorted({int(p) for p in pmids})
    outcomes = []
    for chunk in chunked(wanted):
        present = session.scalars(
            select(_ARTICLES.c.pmid).where(
                _ARTICLES.c.pmid.in_(chunk), _ARTICLES.c.status != "deleted"
            )
        ).all()
        if present:
            session.execute(
                update(_ARTICLES)
                .where(_ARTICLES.c.pmid.in_(present))
                .values(status="deleted", deleted_at=now, updated_at=now)
            )
        outcomes.extend(Outcome(pmid, DELETED) for pmid in present)
    return outcomes


# -- reading --------------------------------------------------------------------------------------


# What a bibliography needs; ``load_articles(..., citation_only=True)`` skips the rest.
_NOT_FOR_CITATIONS = frozenset(
    {
        "author_affiliations",
        "article_dates",
        "chemicals",
        "grants",
        "history_dates",
        "article_references",
        "reference_ids",
        "mesh_qualifiers",
        "book_location_labels",
    }
)


def load_articles(
    session: Session,
    pmids: Sequence[int],
    *,
    citation_only: bool = False,
    subjects: bool = True,
) -> dict[int, StoredArticle]:
    """The stored records for ``pmids`` (those the database holds), rebuilt from their tables.

    ``citation_only`` leaves out what no bibliography format uses (references, affiliations,
    grants, history ...), and ``subjects=False`` MeSH headings and keywords too: an export of
    thousands of records is several times faster so.
    """
    skip = _NOT_FOR_CITATIONS if citation_only else frozenset()
    if not subjects:
        skip = skip | {"mesh_headings", "mesh_qualifiers", "keywords"}
    result: dict[int, StoredArticle] = {}
    with _cyclic_gc_paused():
        for chunk in chunked(list(dict.fromkeys(pmids)), _LOAD_CHUNK):
            result.update(_load_chunk(session, chunk, skip))
    return result


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of small objects and no reference cycles; the
    cycle collector, triggered over and over by the allocations, took 40% of an export's time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_article(session: Session, pmid: int) -> StoredArticle | None:
    return load_articles(session, [pmid]).get(pmid)


def load_raw(session: Session, pmid: int) -> tuple[str, bytes] | None:
    """The record as PubMed sent it: its format (``xml`` or ``medline``) and its bytes."""
    row = session.execute(
        select(_RAW.c.format, _RAW.c.compression, _RAW.c.compressed).where(_RAW.c.pmid == pmid)
    ).first()
    return (row.format, decompress(row.compression, row.compressed)) if row else None


_ROW_TYPES: dict[str, type] = {}


def _row_type(table) -> type:
    """A namedtuple per table: attribute access on SQLAlchemy rows costs ten times more, and
    loading thousands of records for an export reads hundreds of thousands of rows."""
    if table.name not in _ROW_TYPES:
        _ROW_TYPES[table.name] = namedtuple(
            f"{table.name}_row", [column.name for column in table.columns]
        )
    return _ROW_TYPES[table.name]


def _rows_by_pmid(
    session: Session, table, pmids: Sequence[int], order: Sequence = (), where: str = ""
) -> list[tuple]:
    """Plain DBAPI tuples of ``table``'s rows for ``pmids``, in the model's column order.

    The SQL is written here rather than compiled by SQLAlchemy: compiling an IN list of
    thousands of parameters costs more than running it. Only litdb's own table and column
    names and integer PMIDs go into the text.
    """
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(column.name) for column in table.columns)
    ids = ",".join(str(int(pmid)) for pmid in pmids)
    ordering = ", ".join(quote(column.name) for column in (table.c.pmid, *order))
    sql = (
        f"SELECT {columns} FROM {quote(table.name)} WHERE {quote('pmid')} IN ({ids})"
        f"{' AND ' + where if where else ''} ORDER BY {ordering}"
    )
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _grouped(
    session: Session,
    model,
    pmids: Sequence[int],
    *order,
    skip: frozenset[str] = frozenset(),
    where: str = "",
) -> dict[int, list]:
    table = model.__table__
    grouped: dict[int, list] = defaultdict(list)
    if table.name in skip:
        return grouped
    make = _row_type(table)._make
    for row in map(make, _rows_by_pmid(session, table, pmids, order, where)):
        grouped[row.pmid].append(row)
    return grouped


def _load_chunk(
    session: Session, pmids: Sequence[int], skip: frozenset[str] = frozenset()
) -> dict[int, StoredArticle]:
    heads = list(
        map(
            _row_type(_ARTICLES)._make,
            _rows_by_pmid(session, _ARTICLES, pmids),
        )
    )
    if not heads:
        return {}
    dialect = session.connection().dialect
    # the column type's own reading of a raw timestamp (a string, on SQLite), made aware
    as_time = _ARTICLES.c.updated_at.type.dialect_impl(dialect).result_processor(dialect, None)
    p = [row.pmid for row in heads]
    abstracts = _grouped(session, AbstractRow, p, AbstractRow.position)
    sections = _grouped(
        session,
        AbstractSectionRow,
        p,
        AbstractSectionRow.abstract_position,
        AbstractSectionRow.position,
    )
    authors = _grouped(session, AuthorRow, p, AuthorRow.role, AuthorRow.position)
    affiliations = _grouped(
        session,
        AuthorAffiliationRow,
        p,
        AuthorAffiliationRow.role,
        AuthorAffiliationRow.author_position,
        AuthorAffiliationRow.position,
        skip=skip,
    )
    # for citations, only the corrections that make a record retracted
    retractions = "ref_type = 'RetractionIn'" if "chemicals" in skip else ""
    simple = {
        model.__tablename__: _grouped(
            session,
            model,
            p,
            model.position,
            skip=skip,
            where=retractions if model is CorrectionRow else "",
        )
        for model in (
            ELocationIdRow,
            ArticleDateRow,
            LanguageRow,
            PublicationTypeRow,
            MeshHeadingRow,
            KeywordRow,
            ChemicalRow,
            GrantRow,
            ArticleIdRow,
            HistoryDateRow,
            CorrectionRow,
            ReferenceRow,
            BookIsbnRow,
            BookLocationLabelRow,
        )
    }
    qualifiers = _grouped(
        session,
        MeshQualifierRow,
        p,
        MeshQualifierRow.heading_position,
        MeshQualifierRow.position,
        skip=skip,
    )
    reference_ids = _grouped(
        session,
        ReferenceIdRow,
        p,
        ReferenceIdRow.reference_position,
        ReferenceIdRow.position,
        skip=skip,
    )
    book_table = BookRow.__table__
    books = {
        row.pmid: row
        for row in map(
            _row_type(book_table)._make,
            _rows_by_pmid(session, book_table, p),
        )
    }

    loaded = {}
    for head in heads:
        pmid = head.pmid
        section_map: dict[int, list[AbstractSection]] = defaultdict(list)
        for s in sections.get(pmid, []):
            section_map[s.abstract_position].append(AbstractSection(s.text, s.label, s.category))
        all_abstracts = {
            row.position: Abstract(
                tuple(section_map[row.position]), row.copyright, row.type, row.language
            )
            for row in abstracts.get(pmid, [])
        }
        affiliation_map: dict[tuple[str, int], list[str]] = defaultdict(list)
        for row in affiliations.get(pmid, []):
            affiliation_map[(row.role, row.author_position)].append(row.affiliation)
        people: dict[str, list[Author]] = defaultdict(list)
        for row in authors.get(pmid, []):
            people[row.role].append(
                Author(
                    last_name=row.last_name,
                    fore_name=row.fore_name,
                    initials=row.initials,
                    suffix=row.suffix,
                    collective_name=row.collective_name,
                    orcid=row.orcid,
                    affiliations=tuple(affiliation_map[(row.role, row.position)]),
                    valid=bool(row.valid),
                    equal_contrib=None if row.equal_contrib is None else bool(row.equal_contrib),
                )
            )
        qualifier_map: dict[int, list[MeshQualifier]] = defaultdict(list)
        for row in qualifiers.get(pmid, []):
            qualifier_map[row.heading_position].append(
                MeshQualifier(row.qualifier, row.qualifier_ui, bool(row.major))
            )
        ref_id_map: dict[int, dict[int, ArticleId]] = defaultdict(dict)
        for row in reference_ids.get(pmid, []):
            ref_id_map[row.reference_position][row.position] = ArticleId(row.id_type, row.value)
        part = _Parts(simple, pmid)
        book_row = books.get(pmid)
        article = Article(
            pmid=str(pmid),
            version=head.version,
            kind=head.kind,
            title=head.title,
            vernacular_title=head.vernacular_title,
            abstract=all_abstracts.get(0),
            other_abstracts=tuple(v for k, v in sorted(all_abstracts.items()) if k > 0),
            authors=tuple(people["author"]),
            investigators=tuple(people["investigator"]),
            journal=Journal(
                title=head.journal_title,
                iso_abbreviation=head.journal_iso,
                issn=head.issn,
                issn_type=head.issn_type,
                issn_linking=head.issn_linking,
                nlm_unique_id=head.nlm_unique_id,
                medline_ta=head.medline_ta,
                country=head.journal_country,
                volume=head.volume,
                issue=head.issue,
                cited_medium=head.cited_medium,
            )
            if head.kind != "book"
            else None,
            pagination=Pagination(head.start_page, head.end_page, head.medline_pgn),
            elocation_ids=tuple(
                ELocationId(r.id_type, r.value, bool(r.valid)) for r in part["elocation_ids"]
            ),
            pub_date=PartialDate(
                head.pub_year, head.pub_month, head.pub_day, head.pub_season, head.pub_medline_date
            ),
            year=head.year,
            sort_date=head.sort_date,
            pub_model=head.pub_model,
            article_dates=tuple(DatedEvent(r.date_type, r.date) for r in part["article_dates"]),
            languages=tuple(r.language for r in part["languages"]),
            publication_types=tuple(
                PublicationType(r.name, r.ui) for r in part["publication_types"]
            ),
            mesh=tuple(
                MeshHeading(
                    r.descriptor,
                    r.descriptor_ui,
                    bool(r.major),
                    tuple(qualifier_map[r.position]),
                    r.descriptor_type,
                )
                for r in part["mesh_headings"]
            ),
            keywords=tuple(Keyword(r.keyword, r.owner, bool(r.major)) for r in part["keywords"]),
            chemicals=tuple(Chemical(r.name, r.ui, r.registry_number) for r in part["chemicals"]),
            grants=tuple(Grant(r.grant_id, r.acronym, r.agency, r.country) for r in part["grants"]),
            article_ids=tuple(ArticleId(r.id_type, r.value) for r in part["article_ids"]),
            history=tuple(DatedEvent(r.status, r.date) for r in part["history_dates"]),
            publication_status=head.publication_status,
            corrections=tuple(
                Correction(r.ref_type, r.source, str(r.ref_pmid) if r.ref_pmid else None, r.note)
                for r in part["corrections"]
            ),
            references=tuple(
                Reference(r.citation, _reference_ids(ref_id_map[r.position], r.cited_pmid))
                for r in part["article_references"]
            ),
            book=Book(
                title=book_row.title,
                publisher=book_row.publisher,
                publisher_location=book_row.publisher_location,
                volume=book_row.volume,
                volume_title=book_row.volume_title,
                edition=book_row.edition,
                collection_title=book_row.collection_title,
                medium=book_row.medium,
                report_number=book_row.report_number,
                location_labels=tuple(r.label for r in part["book_location_labels"]),
                isbns=tuple(r.isbn for r in part["book_isbns"]),
                editors=tuple(people["editor"]),
                contribution_date=book_row.contribution_date,
                beginning_date=book_row.beginning_date,
                ending_date=book_row.ending_date,
            )
            if book_row is not None
            else None,
            medline_status=head.medline_status,
            owner=head.owner,
            date_completed=head.date_completed,
            date_revised=head.date_revised,
            coi_statement=head.coi_statement,
            raw_format=head.raw_format,
            content_hash=head.content_hash,
        )
        loaded[pmid] = StoredArticle(
            article=article,
            status=head.status,
            first_seen_at=as_time(head.first_seen_at) if as_time else head.first_seen_at,
            updated_at=as_time(head.updated_at) if as_time else head.updated_at,
            deleted_at=as_time(head.deleted_at) if as_time and head.deleted_at else head.deleted_at,
        )
    return loaded


class _Parts:
    """One record's rows of each simple part table (looked up only when asked for)."""

    __slots__ = ("_pmid", "_tables")

    def __init__(self, tables: dict[str, dict[int, list]], pmid: int) -> None:
        self._tables = tables
        self._pmid = pmid

    def __getitem__(self, name: str) -> list:
        return self._tables[name].get(self._pmid, ())


def _reference_ids(stored: dict[int, ArticleId], cited_pmid: int | None) -> tuple[ArticleId, ...]:
    """A reference's IDs in their original order, its PMID back in the one free position."""
    if cited_pmid is None:
        return tuple(stored[k] for k in sorted(stored))
    free = next(i for i in range(len(stored) + 1) if i not in stored)
    return tuple(
        ArticleId("pubmed", str(cited_pmid)) if i == free else stored[i]
        for i in range(len(stored) + 1)
    )


# -- counting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusStats:
    articles: int
    active: int
    deleted: int
    retracted: int
    books: int
    with_abstract: int
    with_mesh: int
    by_year: dict[int | None, int]


def corpus_stats(session: Session) -> CorpusStats:
    a = _ARTICLES.c
    total = session.scalar(select(func.count()).select_from(_ARTICLES)) or 0
    deleted = session.scalar(select(func.count()).where(a.status == "deleted")) or 0
    retracted = (
        session.scalar(select(func.count()).where(a.retracted.is_(True), a.status == "active")) or 0
    )
    books = session.scalar(select(func.count()).where(a.kind == "book")) or 0
    with_abstract = (
        session.scalar(
            select(func.count(func.distinct(AbstractRow.__table__.c.pmid))).where(
                AbstractRow.__table__.c.position == 0
            )
        )
        or 0
    )
    with_mesh = (
        session.scalar(select(func.count(func.distinct(MeshHeadingRow.__table__.c.pmid)))) or 0
    )
    by_year = {
        row.year: row.n
        for row in session.execute(
            select(a.year, func.count().label("n"))
            .where(a.status == "active")
            .group_by(a.year)
            .order_by(a.year)
        )
    }
    return CorpusStats(
        articles=total,
        active=total - deleted,
        deleted=deleted,
        retracted=retracted,
        books=books,
        with_abstract=with_abstract,
        with_mesh=with_mesh,
        by_year=by_year,
    )
