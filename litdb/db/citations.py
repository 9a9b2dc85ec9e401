"""Who cites whom: citation edges from every source PubMed offers, and what they add up to.

Four sources, each kept where it came from:

- ``reference_list``: the record's own ReferenceList entries that PubMed resolved to a PMID;
- ``comments_corrections``: its CommentsCorrections of RefType ``Cites``;
- ``elink_refs`` / ``elink_citedin``: what E-utilities elink (``pubmed_pubmed_refs``,
  ``pubmed_pubmed_citedin``) said the record cites and is cited by, stored in
  ``citation_links`` and replaced whenever elink is asked again about that record.

The first two are part of the record and change with it; the last two are refreshed by
``litdb refresh`` (links older than ``LINKS_MAX_AGE`` are asked again).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    Select,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from litdb.db.articles import chunked
from litdb.db.claims import effective_tags_query
from litdb.db.models import (
    ArticleRow,
    CitationLinkRow,
    CorrectionRow,
    LinkCheckRow,
    OriginRow,
    ReferenceRow,
)

if TYPE_CHECKING:
    from litdb.pubmed.eutils import LinkSet

SOURCES = ("reference_list", "comments_corrections", "elink_refs", "elink_citedin")
LINKNAMES = {"pubmed_pubmed_refs": "refs", "pubmed_pubmed_citedin": "citedin"}
LINKS_MAX_AGE = timedelta(days=30)

_A = ArticleRow.__table__
_REFS = ReferenceRow.__table__
_CORR = CorrectionRow.__table__
_LINKS = CitationLinkRow.__table__
_CHECKS = LinkCheckRow.__table__


# -- the edges ------------------------------------------------------------------------------------


def edges(*, citing: Iterable | None = None, cited: Iterable | None = None) -> Select:
    """(citing, cited, source, seen_at) from every source; ``citing``/``cited`` (PMIDs or a
    selectable of them) narrow each branch before the union, so each uses its own index."""

    def narrowed(query, citing_column, cited_column):
        if citing is not None:
            query = query.where(citing_column.in_(citing))
        if cited is not None:
            query = query.where(cited_column.in_(cited))
        return query

    record = _A.alias("record")
    reference_list = narrowed(
        select(
            _REFS.c.pmid.label("citing"),
            _REFS.c.cited_pmid.label("cited"),
            literal("reference_list").label("source"),
            record.c.updated_at.label("seen_at"),
        )
        .join(record, record.c.pmid == _REFS.c.pmid)
        .where(_REFS.c.cited_pmid.is_not(None)),
        _REFS.c.pmid,
        _REFS.c.cited_pmid,
    )
    comments = narrowed(
        select(
            _CORR.c.pmid,
            _CORR.c.ref_pmid,
            literal("comments_corrections"),
            record.c.updated_at,
        )
        .join(record, record.c.pmid == _CORR.c.pmid)
        .where(_CORR.c.ref_type == "Cites", _CORR.c.ref_pmid.is_not(None)),
        _CORR.c.pmid,
        _CORR.c.ref_pmid,
    )
    elink_refs = narrowed(
        select(_LINKS.c.pmid, _LINKS.c.linked_pmid, literal("elink_refs"), _LINKS.c.seen_at).where(
            _LINKS.c.link == "refs"
        ),
        _LINKS.c.pmid,
        _LINKS.c.linked_pmid,
    )
    elink_citedin = narrowed(
        select(
            _LINKS.c.linked_pmid, _LINKS.c.pmid, literal("elink_citedin"), _LINKS.c.seen_at
        ).where(_LINKS.c.link == "citedin"),
        _LINKS.c.linked_pmid,
        _LINKS.c.pmid,
    )
    return union_all(reference_list, comments, elink_refs, elink_citedin)


@dataclass(frozen=True)
class Link:
    """One PMID at the other end of a citation, with every source that reports it."""

    pmid: int | None  # None: a ReferenceList entry PubMed did not resolve to a PMID
    sources: tuple[str, ...]
    seen_at: datetime | None
    citation: str | None = None  # the reference as the ReferenceList wrote it


def cites(session: Session, pmid: int) -> list[Link]:
    """What ``pmid`` cites, in ReferenceList order where the list gives one."""
    found = _gathered(session, edges(citing=[pmid]), "cited")
    texts: dict[int, str] = {}
    order: dict[int, int] = {}
    unresolved: list[Link] = []
    for row in session.execute(
        select(_REFS.c.position, _REFS.c.citation, _REFS.c.cited_pmid)
        .where(_REFS.c.pmid == pmid)
        .order_by(_REFS.c.position)
    ):
        if row.cited_pmid is None:
            if row.citation:
                unresolved.append(Link(None, ("reference_list",), None, row.citation))
        else:
            texts.setdefault(row.cited_pmid, row.citation)
            order.setdefault(row.cited_pmid, row.position)
    links = [
        Link(other, tuple(sorted(sources, key=SOURCES.index)), seen, texts.get(other))
        for other, (sources, seen) in found.items()
    ]
    links.sort(key=lambda link: (order.get(link.pmid, len(order)), -(link.pmid or 0)))
    return links + unresolved


def cited_by(session: Session, pmid: int) -> list[Link]:
    """What cites ``pmid``, newest PMID first."""
    found = _gathered(session, edges(cited=[pmid]), "citing")
    links = [
        Link(other, tuple(sorted(sources, key=SOURCES.index)), seen)
        for other, (sources, seen) in found.items()
    ]
    return sorted(links, key=lambda link: -(link.pmid or 0))


def _gathered(session: Session, query: Select, end: str) -> dict[int, tuple[set[str], datetime]]:
    union = query.subquery()
    found: dict[int, tuple[set[str], datetime | None]] = {}
    for row in session.execute(select(union.c[end], union.c.source, union.c.seen_at)):
        other = row[0]
        sources, seen = found.get(other, (set(), None))
        sources.add(row.source)
        seen_at = row.seen_at
        found[other] = (sources, max(seen, seen_at) if seen and seen_at else seen or seen_at)
    return found


def is_known(session: Session, pmid: int) -> bool:
    """Whether the database holds the record or any link to or from it."""
    if session.get(ArticleRow, pmid) is not None:
        return True
    for query in (edges(citing=[pmid]), edges(cited=[pmid])):
        union = query.subquery()
        if session.execute(select(union.c.citing).limit(1)).first() is not None:
            return True
    return False


def reference_texts(session: Session, pmids: Sequence[int]) -> dict[int, str]:
    """A reference text for PMIDs the database does not hold, from a ReferenceList citing it."""
    found: dict[int, str] = {}
    for chunk in chunked(sorted(set(pmids))):
        for row in session.execute(
            select(_REFS.c.cited_pmid, func.min(_REFS.c.citation))
            .where(_REFS.c.cited_pmid.in_(chunk), _REFS.c.citation.is_not(None))
            .group_by(_REFS.c.cited_pmid)
        ):
            found[row[0]] = row[1]
    return found


# -- counts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitationCounts:
    cited_by_corpus: int = 0  # active corpus records that cite it
    cited_by: int = 0  # every known PMID that cites it
    cites_corpus: int = 0
    cites: int = 0


def cited_counts(among=None) -> Select:
    """(pmid, cited, cited_total): how many corpus records, and how many known PMIDs, cite each
    record (of ``among``, PMIDs or a selectable of them: counting only those keeps it fast)."""
    union = edges(cited=among).subquery()
    citing = _A.alias("citing")
    # NOTE: EXISTS, not a join to the citing records: with a join SQLite walks every
    # reference of every active record instead of the indexes on the cited PMID.
    in_corpus = exists().where(citing.c.pmid == union.c.citing, citing.c.status == "active")
    return select(
        union.c.cited.label("pmid"),
        func.count(func.distinct(case((in_corpus, union.c.citing)))).label("cited"),
        func.count(func.distinct(union.c.citing)).label("cited_total"),
    ).group_by(union.c.cited)


def citation_counts(session: Session, pmids: Sequence[int]) -> dict[int, CitationCounts]:
    """Both directions, in the corpus and in total, for each of ``pmids``."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    citing = _A.alias("citing")
    for chunk in chunked(sorted(set(pmids))):
        for row in session.execute(cited_counts(chunk)):
            result[row.pmid].update(cited_by_corpus=row.cited, cited_by=row.cited_total)
        union = edges(citing=chunk).subquery()
        in_corpus = exists().where(citing.c.pmid == union.c.cited, citing.c.status == "active")
        for row in session.execute(
            select(
                union.c.citing,
                func.count(func.distinct(case((in_corpus, union.c.cited)))),
                func.count(func.distinct(union.c.cited)),
            ).group_by(union.c.citing)
        ):
            result[row[0]].update(cites_corpus=row[1], cites=row[2])
    return {pmid: CitationCounts(**result.get(pmid, {})) for pmid in pmids}


# -- elink answers --------------------------------------------------------------------------------


def stale_links(session: Session, now: datetime, max_age: timedelta = LINKS_MAX_AGE) -> list[int]:
    """Active records whose links were never asked for, or not for ``max_age``."""
    checked = _CHECKS.alias("checked")
    return list(
        session.scalars(
            select(_A.c.pmid)
            .outerjoin(checked, checked.c.pmid == _A.c.pmid)
            .where(
                _A.c.status == "active",
                or_(checked.c.pmid.is_(None), checked.c.checked_at < now - max_age),
            )
            .order_by(_A.c.pmid)
        )
    )


def store_links(session: Session, answers: Sequence[LinkSet], now: datetime) -> list[int]:
    """Replace what elink said before about each answered record; return those records.

    Asked with one ``id=`` per PMID, NCBI sends one LinkSet per PMID, and no LinkSetDb for a
    link name that has no links: so a record's answer is complete, and an absent name means
    none. A LinkSet for several PMIDs (which cannot be told apart) or for a PMID the database
    does not hold is ignored.
    """
    answered: dict[int, dict[str, tuple[int, ...]]] = {}
    for answer in answers:
        if len(answer.sources) != 1 or not answer.sources[0].isdigit():
            continue
        links = {
            LINKNAMES[name]: tuple(int(p) for p in pmids if p.isdigit())
            for name, pmids in answer.links.items()
            if name in LINKNAMES
        }
        answered[int(answer.sources[0])] = links
    held = set()
    for chunk in chunked(sorted(answered)):
        held.update(session.scalars(select(_A.c.pmid).where(_A.c.pmid.in_(chunk))))
    stored = sorted(held)
    if not stored:
        return []
    for chunk in chunked(stored):
        session.execute(delete(_LINKS).where(_LINKS.c.pmid.in_(chunk)))
        session.execute(delete(_CHECKS).where(_CHECKS.c.pmid.in_(chunk)))
    rows = [
        {"pmid": pmid, "link": link, "linked_pmid": other, "seen_at": now}
        for pmid in stored
        for link, others in answered[pmid].items()
        for other in dict.fromkeys(others)
    ]
    if rows:
        session.execute(insert(_LINKS), rows)
    session.execute(
        insert(_CHECKS),
        [
            {
                "pmid": pmid,
                "checked_at": now,
                "refs": len(set(answered[pmid].get("refs", ()))),
                "citedin": len(set(answered[pmid].get("citedin", ()))),
            }
            for pmid in stored
        ],
    )
    return stored


# -- snowballing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A PMID one citation step from the seed records and not in the database."""

    pmid: int
    links: int  # seed records linked to it, either way
    cited_by_seeds: int  # seed records that cite it
    cites_seeds: int  # seed records it cites


def seed_records(claim: str | None = None) -> Select:
    """Active corpus records tagged with ``claim`` (the curator's word winning), or all."""
    query = select(_A.c.pmid).where(_A.c.status == "active")
    if claim is not None:
        effective = effective_tags_query().subquery()
        query = query.where(
            _A.c.pmid.in_(select(effective.c.pmid).where(effective.c.claim_id == claim))
        )
    return query


def snowball(
    session: Session, claim: str | None = None, direction: str = "both"
) -> list[Candidate]:
    """Candidates ranked by how many seed records link to them (then newest PMID first)."""
    seeds = seed_records(claim)
    branches = []
    if direction in ("both", "references"):
        out = edges(citing=seeds).subquery()
        branches.append(
            select(out.c.cited.label("pmid"), out.c.citing.label("seed"), literal("cited"))
        )
    if direction in ("both", "citations"):
        back = edges(cited=seeds).subquery()
        branches.append(
            select(back.c.citing.label("pmid"), back.c.cited.label("seed"), literal("citing"))
        )
    union = union_all(*branches).subquery()
    held = exists().where(_A.c.pmid == union.c.pmid)
    per_pmid: dict[int, dict[str, set[int]]] = defaultdict(
        lambda: {"cited": set(), "citing": set()}
    )
    for row in session.execute(select(union.c.pmid, union.c.seed, union.c[2]).where(~held)):
        per_pmid[row[0]][row[2]].add(row[1])
    candidates = [
        Candidate(
            pmid,
            len(ends["cited"] | ends["citing"]),
            len(ends["cited"]),
            len(ends["citing"]),
        )
        for pmid, ends in per_pmid.items()
    ]
    return sorted(candidates, key=lambda c: (-c.links, -c.pmid))


def record_origins(
    session: Session,
    pmids: Iterable[int],
    *,
    origin: str,
    claim: str | None,
    links: dict[int, int],
    run_id: int | None,
    now: datetime,
) -> None:
    """Note how records came in; a record already noted keeps its first origin."""
    wanted = sorted(set(pmids))
    noted: set[int] = set()
    for chunk in chunked(wanted):
        noted.update(session.scalars(select(OriginRow.pmid).where(OriginRow.pmid.in_(chunk))))
    rows = [
        {
            "pmid": pmid,
            "origin": origin,
            "claim_id": claim,
            "links": links.get(pmid, 0),
            "run_id": run_id,
            "found_at": now,
        }
        for pmid in wanted
        if pmid not in noted
    ]
    if rows:
        session.execute(insert(OriginRow), rows)


def origins(session: Session, pmids: Sequence[int]) -> dict[int, OriginRow]:
    found: dict[int, OriginRow] = {}
    for chunk in chunked(sorted(set(pmids))):
        found.update(
            (row.pmid, row)
            for row in session.scalars(select(OriginRow).where(OriginRow.pmid.in_(chunk)))
        )
    return found
