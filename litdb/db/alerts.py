"""Alerts: evidence a claim rests on that a run found retracted or newly corrected."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from litdb.db.articles import CORRECTION_NOTICES
from litdb.db.claims import effective_tags_query
from litdb.db.models import ArticleRow, CorrectionRow, RunEventRow

ALERT_EVENTS = ("retracted", "corrected")


@dataclass(frozen=True)
class Alert:
    pmid: int
    change: str  # "retracted" or "corrected"
    title: str
    notices: tuple[tuple[str, int | None], ...]  # (RefType, the notice's PMID)
    claims: tuple[tuple[str, str | None, str], ...]  # (claim, stance, auto or curated)


def run_alerts(session: Session, run_id: int) -> list[Alert]:
    """Records a run found newly retracted or corrected that carry a claim tag."""
    changes = session.execute(
        select(RunEventRow.pmid, RunEventRow.event)
        .where(RunEventRow.run_id == run_id, RunEventRow.event.in_(ALERT_EVENTS))
        .order_by(RunEventRow.pmid)
    ).all()
    if not changes:
        return []
    pmids = sorted({pmid for pmid, _ in changes})
    effective = effective_tags_query().subquery()
    claims: dict[int, list[tuple[str, str | None, str]]] = defaultdict(list)
    for row in session.execute(
        select(effective.c.pmid, effective.c.claim_id, effective.c.stance, effective.c.source)
        .where(effective.c.pmid.in_(pmids))
        .order_by(effective.c.pmid, effective.c.claim_id)
    ):
        claims[row.pmid].append((row.claim_id, row.stance, row.source))
    if not claims:
        return []
    notices: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for row in session.execute(
        select(CorrectionRow.pmid, CorrectionRow.ref_type, CorrectionRow.ref_pmid)
        .where(CorrectionRow.pmid.in_(list(claims)), CorrectionRow.ref_type.in_(CORRECTION_NOTICES))
        .order_by(CorrectionRow.pmid, CorrectionRow.position)
    ):
        notices[row.pmid].append((row.ref_type, row.ref_pmid))
    titles = {
        row.pmid: row.title
        for row in session.execute(
            select(ArticleRow.pmid, ArticleRow.title).where(ArticleRow.pmid.in_(list(claims)))
        )
    }
    alerts = []
    for pmid, change in changes:
        if pmid not in claims:
            continue
        relevant = [n for n in notices[pmid] if (n[0] == "RetractionIn") == (change == "retracted")]
        alerts.append(
            Alert(pmid, change, titles.get(pmid, ""), tuple(relevant), tuple(claims[pmid]))
        )
    return alerts
