"""Repository functions for claims: automatic tags, curators' decisions, and what wins.

The rule everywhere: a curator's latest decision on a (record, claim) wins over the tagger;
without one, the tagger's tag counts if it applies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, delete, func, literal, select, union_all
from sqlalchemy.orm import Session

from litdb.claims.model import ClaimSet, Evidence
from litdb.claims.tagger import tag_article
from litdb.db.articles import bulk_insert, chunked, load_articles
from litdb.db.models import ArticleRow, ClaimEvidenceRow, ClaimTagRow, CurationRow
from litdb.db.rows import tag_rows
from litdb.progress import Progress, ProgressCallback, ignore_progress

_TAGS = ClaimTagRow.__table__
_EVIDENCE = ClaimEvidenceRow.__table__
_CURATIONS = CurationRow.__table__


@dataclass(frozen=True)
class Curation:
    decision: str
    stance: str | None
    note: str | None
    curator: str
    created_at: datetime


@dataclass(frozen=True)
class EffectiveTag:
    """A claim as it stands for one record: the curator's decision if any, else the tagger's."""

    claim: str
    applies: bool
    source: str  # "curated" or "auto"
    stance: str | None
    score: float | None
    evidence: tuple[Evidence, ...] = ()
    curation: Curation | None = None
    auto_applies: bool | None = None
    auto_stance: str | None = None
    version: str | None = None


def latest_curations() -> Select:
    """The latest curation per (pmid, claim): id, pmid, claim_id, decision, stance."""
    newest = (
        select(func.max(CurationRow.id).label("id"))
        .group_by(CurationRow.pmid, CurationRow.claim_id)
        .subquery()
    )
    return select(
        CurationRow.id,
        CurationRow.pmid,
        CurationRow.claim_id,
        CurationRow.decision,
        CurationRow.stance,
    ).join(newest, newest.c.id == CurationRow.id)


def effective_tags_query() -> Select:
    """(pmid, claim_id, stance, source) for every record a claim applies to, curation first."""
    latest = latest_curations().subquery()
    auto = (
        select(_TAGS.c.pmid, _TAGS.c.claim_id, _TAGS.c.stance, literal("auto").label("source"))
        .select_from(_TAGS)
        .outerjoin(
            latest, and_(latest.c.pmid == _TAGS.c.pmid, latest.c.claim_id == _TAGS.c.claim_id)
        )
        .where(_TAGS.c.applies.is_(True), latest.c.id.is_(None))
    )
    curated = select(
        latest.c.pmid, latest.c.claim_id, latest.c.stance, literal("curated").label("source")
    ).where(latest.c.decision == "tag")
    return union_all(auto, curated)


def effective_tags(session: Session, pmids: Sequence[int]) -> dict[int, list[EffectiveTag]]:
    """Every claim each record bears on (or a curator said it does not), with evidence."""
    result: dict[int, list[EffectiveTag]] = defaultdict(list)
    for chunk in chunked(list(dict.fromkeys(pmids))):
        tags = {
            (row.pmid, row.claim_id): row
            for row in session.execute(select(_TAGS).where(_TAGS.c.pmid.in_(chunk)))
        }
        evidence: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
        for row in session.execute(
            select(_EVIDENCE)
            .where(_EVIDENCE.c.pmid.in_(chunk))
            .order_by(_EVIDENCE.c.pmid, _EVIDENCE.c.claim_id, _EVIDENCE.c.position)
        ):
            evidence[(row.pmid, row.claim_id)].append(
                Evidence(row.field, row.kind, row.matched, row.sentence, row.polarity)
            )
        curations: dict[tuple[int, str], Curation] = {}
        for row in session.execute(
            select(_CURATIONS).where(_CURATIONS.c.pmid.in_(chunk)).order_by(_CURATIONS.c.id)
        ):
            curations[(row.pmid, row.claim_id)] = Curation(
                row.decision, row.stance, row.note, row.curator, row.created_at
            )
        for key in sorted(set(tags) | set(curations)):
            tag, curation = tags.get(key), curations.get(key)
            if curation is None and not tag.applies:
                continue
            result[key[0]].append(
                EffectiveTag(
                    claim=key[1],
                    applies=curation.decision == "tag" if curation else True,
                    source="curated" if curation else "auto",
                    stance=(curation.stance if curation.decision == "tag" else None)
                    if curation
                    else tag.stance,
                    score=tag.score if tag else None,
                    evidence=tuple(evidence.get(key, ())),
                    curation=curation,
                    auto_applies=tag.applies if tag else None,
                    auto_stance=tag.stance if tag else None,
                    version=tag.version if tag else None,
                )
            )
    return result


def auto_tag(session: Session, pmid: int, claim_id: str) -> tuple[bool, str] | None:
    row = session.execute(
        select(_TAGS.c.applies, _TAGS.c.stance).where(
            _TAGS.c.pmid == pmid, _TAGS.c.claim_id == claim_id
        )
    ).first()
    return (row.applies, row.stance) if row else None


def curate(
    session: Session,
    pmid: int,
    claim_id: str,
    *,
    decision: str,
    stance: str | None,
    note: str | None,
    curator: str,
    now: datetime,
) -> None:
    session.add(
        CurationRow(
            pmid=pmid,
            claim_id=claim_id,
            decision=decision,
            stance=stance,
            note=note,
            curator=curator,
            created_at=now,
        )
    )
    session.flush()


# -- counting ---------------------------------------------------------------------------------


@dataclass
class ClaimCounts:
    records: int = 0
    curated: int = 0
    auto: int = 0
    untagged_by_curators: int = 0
    by_stance: dict[str, int] = field(default_factory=dict)
    stale: int = 0  # automatic tags made with other definitions than the current ones


def claim_counts(session: Session, claims: ClaimSet) -> dict[str, ClaimCounts]:
    counts = {claim_id: ClaimCounts() for claim_id in claims.ids}
    active = select(ArticleRow.pmid).where(ArticleRow.status == "active").subquery()
    effective = effective_tags_query().subquery()
    rows = session.execute(
        select(effective.c.claim_id, effective.c.source, effective.c.stance, func.count())
        .join(active, active.c.pmid == effective.c.pmid)
        .group_by(effective.c.claim_id, effective.c.source, effective.c.stance)
    )
    for claim_id, source, stance, number in rows:
        entry = counts.setdefault(claim_id, ClaimCounts())
        entry.records += number
        setattr(entry, source, getattr(entry, source) + number)
        key = stance or "unclear"
        entry.by_stance[key] = entry.by_stance.get(key, 0) + number
    latest = latest_curations().subquery()
    for claim_id, number in session.execute(
        select(latest.c.claim_id, func.count())
        .where(latest.c.decision == "untag")
        .group_by(latest.c.claim_id)
    ):
        counts.setdefault(claim_id, ClaimCounts()).untagged_by_curators = number
    for claim_id, number in session.execute(
        select(_TAGS.c.claim_id, func.count())
        .where(_TAGS.c.version != claims.version)
        .group_by(_TAGS.c.claim_id)
    ):
        counts.setdefault(claim_id, ClaimCounts()).stale = number
    return counts


@dataclass(frozen=True)
class StrongEvidence:
    pmid: int
    title: str
    year: int | None
    source: str
    stance: str | None
    score: float | None
    sentence: str | None


def strongest_evidence(session: Session, claim_id: str, limit: int = 10) -> list[StrongEvidence]:
    """The records that bear most clearly on a claim: curated ones first, then by score."""
    effective = effective_tags_query().subquery()
    rows = session.execute(
        select(
            effective.c.pmid,
            effective.c.source,
            effective.c.stance,
            ArticleRow.title,
            ArticleRow.year,
            _TAGS.c.score,
        )
        .join(ArticleRow, ArticleRow.pmid == effective.c.pmid)
        .outerjoin(_TAGS, and_(_TAGS.c.pmid == effective.c.pmid, _TAGS.c.claim_id == claim_id))
        .where(effective.c.claim_id == claim_id, ArticleRow.status == "active")
        .order_by((effective.c.source == "curated").desc(), _TAGS.c.score.desc(), ArticleRow.pmid)
        .limit(limit)
    ).all()
    sentences: dict[int, str] = {}
    if rows:
        for row in session.execute(
            select(_EVIDENCE.c.pmid, _EVIDENCE.c.sentence)
            .where(
                _EVIDENCE.c.claim_id == claim_id,
                _EVIDENCE.c.pmid.in_([r.pmid for r in rows]),
                _EVIDENCE.c.polarity.is_not(None),
            )
            .order_by(_EVIDENCE.c.pmid, _EVIDENCE.c.position.desc())
        ):
            sentences[row.pmid] = row.sentence  # the last finding sentence: the conclusion
    return [
        StrongEvidence(r.pmid, r.title, r.year, r.source, r.stance, r.score, sentences.get(r.pmid))
        for r in rows
    ]


# -- retagging ----------------------------------------------------------------------------------


@dataclass
class RetagReport:
    records: int = 0
    applied_before: int = 0
    applied_now: int = 0
    newly_applied: int = 0
    no_longer_applied: int = 0
    stance_changed: int = 0
    version: str = ""


def retag(
    session: Session,
    claims: ClaimSet,
    *,
    progress: ProgressCallback = ignore_progress,
    chunk_size: int = 500,
) -> RetagReport:
    """Recompute every automatic tag with ``claims``, in the caller's transaction.

    Curators' decisions are not touched: they live in their own table and still win.
    """
    report = RetagReport(version=claims.version)
    pmids = list(session.scalars(select(ArticleRow.pmid).order_by(ArticleRow.pmid)))
    connection = session.connection()
    for chunk in chunked(pmids, chunk_size):
        before = {
            (row.pmid, row.claim_id): row.stance
            for row in session.execute(
                select(_TAGS.c.pmid, _TAGS.c.claim_id, _TAGS.c.stance).where(
                    _TAGS.c.pmid.in_(chunk), _TAGS.c.applies.is_(True)
                )
            )
        }
        stored = load_articles(session, chunk)
        rows: dict[str, list[tuple]] = {"claim_tags": [], "claim_evidence": []}
        after: dict[tuple[int, str], str] = {}
        for pmid, record in stored.items():
            tags = tag_article(record.article, claims)
            tag_rows(pmid, tags, rows)
            after.update({(pmid, t.claim): t.stance for t in tags if t.applies})
        session.execute(delete(_EVIDENCE).where(_EVIDENCE.c.pmid.in_(chunk)))
        session.execute(delete(_TAGS).where(_TAGS.c.pmid.in_(chunk)))
        for table in (_TAGS, _EVIDENCE):
            if rows[table.name]:
                bulk_insert(connection, table, rows[table.name])
        report.records += len(stored)
        report.applied_before += len(before)
        report.applied_now += len(after)
        report.newly_applied += len(after.keys() - before.keys())
        report.no_longer_applied += len(before.keys() - after.keys())
        report.stance_changed += sum(
            1 for k in after.keys() & before.keys() if after[k] != before[k]
        )
        progress(Progress("retagging", report.records, len(pmids), "records"))
    return report
