"""Selecting records: full-text search with filters, sorting and paging; short summaries.

``litdb query`` and ``litdb export`` share one ``Selection``. Free text goes through the SQLite
full-text index (ranked with bm25) and is always a bound parameter; every filter is a bound
parameter too, so no user text reaches SQL as SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy import (
    table as sql_table,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from litdb.db import sqlite
from litdb.db.articles import chunked
from litdb.db.citations import cited_counts
from litdb.db.claims import effective_tags_query
from litdb.db.models import (
    ArticleIdRow,
    ArticleRow,
    AuthorRow,
    CorrectionRow,
    ELocationIdRow,
    MeshHeadingRow,
    PublicationTypeRow,
)
from litdb.errors import UsageError

SORTS = ("relevance", "date", "cited")
RETRACTED = ("exclude", "include", "only")
_A = ArticleRow.__table__.c


@dataclass(frozen=True)
class Selection:
    """Which records: free text plus filters. Repeated --claim, --type, --journal and --pmid
    values mean any of them; repeated --mesh and --author values must all match."""

    text: str | None = None
    claims: tuple[str, ...] = ()
    stance: str | None = None
    since: int | None = None
    until: int | None = None
    types: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    journals: tuple[str, ...] = ()
    pmids: tuple[int, ...] = ()
    retracted: str = "exclude"
    include_deleted: bool = False
    sort: str | None = None  # None: relevance with text, the given order for PMIDs, else date
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class Hit:
    pmid: int
    rank: float | None = None  # bm25: lower is better
    cited: int | None = None  # by corpus records
    cited_total: int | None = None  # by every PMID known to cite it, in the corpus or not


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    retracted_left_out: list[int] = field(default_factory=list)


def search(session: Session, selection: Selection) -> SearchResult:
    if selection.sort not in (None, *SORTS):
        raise UsageError(f"--sort must be one of {', '.join(SORTS)}")
    if selection.retracted not in RETRACTED:
        raise ValueError(selection.retracted)
    sort = selection.sort or (
        "relevance" if selection.text else "given" if selection.pmids else "date"
    )
    if sort == "relevance" and not selection.text:
        raise UsageError("--sort relevance needs search text (or use --sort date)")

    conditions = _conditions(selection)
    retraction = {"exclude": _A.retracted.is_(False), "only": _A.retracted.is_(True)}
    kept = (
        [*conditions, retraction[selection.retracted]]
        if selection.retracted in retraction
        else conditions
    )
    fts = _fts(session, selection.text) if selection.text else None

    try:
        if fts is not None and sort == "relevance":
            # NOTE: joining articles to an FTS5 subquery lets SQLite scan every article and
            # probe the index for each (seconds on 100,000 records); driving from the index and
            # checking each match's row (EXISTS) takes a millisecond (EXPLAIN QUERY PLAN).
            def from_index(where):
                return select(fts.pmid.label("pmid"), fts.rank.label("rank")).where(
                    fts.match, exists().where(_A.pmid == fts.pmid, *where)
                )

            total = session.scalar(select(func.count()).select_from(from_index(kept).subquery()))
            left_out = _left_out(session, selection, from_index(conditions).subquery().c.pmid)
            query = from_index(kept).order_by(fts.rank, fts.pmid.desc())
            cited = None
        else:
            where = [*kept, _A.pmid.in_(select(fts.pmid).where(fts.match))] if fts else kept
            base = (
                [*conditions, _A.pmid.in_(select(fts.pmid).where(fts.match))] if fts else conditions
            )
            total = session.scalar(
                select(func.count()).select_from(ArticleRow.__table__).where(*where)
            )
            left_out = _left_out(session, selection, select(_A.pmid).where(*base).subquery().c.pmid)
            query = select(_A.pmid, literal_column("NULL")).where(*where)
            cited = None
            if sort == "cited":
                cited = cited_counts(among=select(_A.pmid).where(*where)).subquery()
                query = query.add_columns(cited.c.cited, cited.c.cited_total).outerjoin(
                    cited, cited.c.pmid == _A.pmid
                )
                query = query.order_by(
                    func.coalesce(cited.c.cited, 0).desc(),
                    func.coalesce(cited.c.cited_total, 0).desc(),
                    _A.sort_date.desc(),
                    _A.pmid.desc(),
                )
            elif sort == "date":
                query = query.order_by(_A.sort_date.desc().nulls_last(), _A.pmid.desc())
            else:  # PMIDs alone: the order the user gave them in
                order = {pmid: position for position, pmid in enumerate(selection.pmids)}
                query = query.order_by(case(order, value=_A.pmid))
        if selection.limit is not None:
            query = query.limit(selection.limit)
        if selection.offset:
            query = query.offset(selection.offset)
        rows = session.execute(query).all()
        if cited is None:  # count citations for the records shown only
            counts = {
                row.pmid: (row.cited, row.cited_total)
                for row in (
                    session.execute(cited_counts(among=[r[0] for r in rows])) if rows else []
                )
            }
            hits = [Hit(row[0], row[1], *counts.get(row[0], (0, 0))) for row in rows]
        else:
            hits = [Hit(pmid, score, cites or 0, total or 0) for pmid, score, cites, total in rows]
    except OperationalError as exc:
        message = str(getattr(exc, "orig", exc))
        if "fts5" in message or "syntax" in message:
            raise UsageError(f"cannot search for {selection.text!r}: {message}") from None
        raise
    return SearchResult(hits, total or 0, left_out)


def _left_out(session: Session, selection: Selection, pmids) -> list[int]:
    """Retracted records the selection would have had, had it not left them out."""
    if selection.retracted != "exclude":
        return []
    return list(
        session.scalars(
            select(_A.pmid)
            .where(_A.retracted.is_(True), _A.pmid.in_(select(pmids)))
            .order_by(_A.pmid)
        )
    )


@dataclass(frozen=True)
class _FullText:
    pmid: object
    rank: object
    match: object


def _fts(session: Session, query_text: str) -> _FullText:
    """The pieces of a full-text match: FTS5 on SQLite, a LIKE over titles elsewhere."""
    if session.get_bind().dialect.name == "sqlite":
        index = sql_table(sqlite.FTS_TABLE, column("rowid", Integer))
        return _FullText(
            pmid=index.c.rowid,
            rank=literal_column(f"bm25({sqlite.FTS_TABLE}, 10.0, 3.0, 2.0, 2.0)"),
            match=literal_column(sqlite.FTS_TABLE).op("MATCH")(
                bindparam("fts", sqlite.fts_query(query_text))
            ),
        )
    words = [w.strip('"*()') for w in query_text.split() if w not in ("AND", "OR", "NOT")]
    like = [_A.title.ilike("%" + _escape_like(w) + "%", escape="\\") for w in words if w]
    return _FullText(pmid=_A.pmid, rank=_A.pmid, match=and_(*like))


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(selection: Selection) -> list:
    conditions = []
    if not selection.include_deleted:
        conditions.append(_A.status == "active")
    if selection.since is not None:
        conditions.append(_A.year >= selection.since)
    if selection.until is not None:
        conditions.append(_A.year <= selection.until)
    if selection.pmids:
        conditions.append(_A.pmid.in_(selection.pmids))
    if selection.claims or selection.stance:
        effective = effective_tags_query().subquery()
        tagged = select(effective.c.pmid)
        if selection.claims:
            tagged = tagged.where(effective.c.claim_id.in_(selection.claims))
        if selection.stance:
            tagged = tagged.where(effective.c.stance == selection.stance)
        conditions.append(_A.pmid.in_(tagged))
    if selection.types:
        types = PublicationTypeRow.__table__
        wanted = [t.lower() for t in selection.types]
        conditions.append(
            _A.pmid.in_(select(types.c.pmid).where(func.lower(types.c.name).in_(wanted)))
        )
    mesh = MeshHeadingRow.__table__
    for heading in selection.mesh:
        conditions.append(
            _A.pmid.in_(select(mesh.c.pmid).where(func.lower(mesh.c.descriptor) == heading.lower()))
        )
    authors = AuthorRow.__table__
    for name in selection.authors:
        last, _, initials = name.strip().partition(" ")
        match = [func.lower(authors.c.last_name) == last.lower()]
        if initials:
            match.append(authors.c.initials.like(f"{_escape_like(initials.strip())}%", escape="\\"))
        conditions.append(_A.pmid.in_(select(authors.c.pmid).where(*match)))
    if selection.journals:
        conditions.append(
            or_(
                *[
                    or_(
                        _A.journal_title.ilike(f"%{_escape_like(j)}%", escape="\\"),
                        func.lower(_A.journal_iso) == j.lower(),
                        func.lower(_A.medline_ta) == j.lower(),
                    )
                    for j in selection.journals
                ]
            )
        )
    return conditions


# -- summaries ---------------------------------------------------------------------------------


@dataclass
class Summary:
    pmid: int
    year: int | None
    title: str
    journal: str | None
    first_author: str | None
    authors: list[str]
    doi: str | None
    pmcid: str | None
    publication_types: list[str]
    retracted: bool
    status: str
    claims: list[tuple[str, str | None, str]]  # (claim, stance, source)
    retracted_by: list[int] = field(default_factory=list)  # the retraction notices' PMIDs


def summaries(session: Session, pmids: Sequence[int]) -> dict[int, Summary]:
    """What a result list shows per record, in a handful of queries."""
    found: dict[int, Summary] = {}
    for chunk in chunked(list(pmids)):
        for row in session.execute(
            select(
                _A.pmid,
                _A.year,
                _A.title,
                _A.journal_iso,
                _A.journal_title,
                _A.retracted,
                _A.status,
            ).where(_A.pmid.in_(chunk))
        ):
            found[row.pmid] = Summary(
                row.pmid,
                row.year,
                row.title,
                row.journal_iso or row.journal_title,
                None,
                [],
                None,
                None,
                [],
                row.retracted,
                row.status,
                [],
            )
        authors = AuthorRow.__table__
        for row in session.execute(
            select(
                authors.c.pmid, authors.c.last_name, authors.c.initials, authors.c.collective_name
            )
            .where(authors.c.pmid.in_(chunk), authors.c.role == "author")
            .order_by(authors.c.pmid, authors.c.position)
        ):
            name = row.collective_name or " ".join(p for p in (row.last_name, row.initials) if p)
            found[row.pmid].authors.append(name)
        for table, kind in ((ArticleIdRow.__table__, "id"), (ELocationIdRow.__table__, "eloc")):
            for row in session.execute(
                select(table.c.pmid, table.c.id_type, table.c.value)
                .where(table.c.pmid.in_(chunk), table.c.id_type.in_(("doi", "pmc")))
                .order_by(table.c.pmid, table.c.position)
            ):
                summary = found[row.pmid]
                if row.id_type == "doi" and summary.doi is None:
                    summary.doi = row.value
                elif row.id_type == "pmc" and kind == "id" and summary.pmcid is None:
                    summary.pmcid = row.value
        types = PublicationTypeRow.__table__
        for row in session.execute(
            select(types.c.pmid, types.c.name)
            .where(types.c.pmid.in_(chunk))
            .order_by(types.c.pmid, types.c.position)
        ):
            found[row.pmid].publication_types.append(row.name)
        effective = effective_tags_query().subquery()
        claims: dict[int, list] = defaultdict(list)
        for row in session.execute(
            select(effective.c.pmid, effective.c.claim_id, effective.c.stance, effective.c.source)
            .where(effective.c.pmid.in_(chunk))
            .order_by(effective.c.pmid, effective.c.claim_id)
        ):
            claims[row.pmid].append((row.claim_id, row.stance, row.source))
        for pmid, tags in claims.items():
            found[pmid].claims = tags
        retracted = [p for p in chunk if p in found and found[p].retracted]
        if retracted:
            corrections = CorrectionRow.__table__
            for row in session.execute(
                select(corrections.c.pmid, corrections.c.ref_pmid)
                .where(
                    corrections.c.pmid.in_(retracted),
                    corrections.c.ref_type == "RetractionIn",
                    corrections.c.ref_pmid.is_not(None),
                )
                .order_by(corrections.c.pmid, corrections.c.position)
            ):
                found[row.pmid].retracted_by.append(row.ref_pmid)
    for summary in found.values():
        summary.first_author = summary.authors[0] if summary.authors else None
    return found
