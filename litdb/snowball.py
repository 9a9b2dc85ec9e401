"""Snowballing: follow citations one step out of the corpus, and pull the finds in.

Candidates are PMIDs that seed records (a claim's, or the whole corpus) cite or are cited by
and that the database does not hold, ranked by how many seed records link to them. Fetched
candidates are tagged like any record and keep a note of how they were found, so the query's
records and the snowball's can be told apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from litdb.claims.model import ClaimSet
from litdb.db import citations
from litdb.db.citations import Candidate
from litdb.db.engine import Database
from litdb.db.types import utcnow
from litdb.progress import ProgressCallback, ignore_progress
from litdb.pubmed.eutils import EutilsClient
from litdb.refresh import RunReport, fetch_pmids


def describe(claim: str | None) -> str:
    return f"snowball from claim {claim}" if claim else "snowball from the whole corpus"


def fetch_candidates(
    database: Database,
    client: EutilsClient,
    candidates: Sequence[Candidate],
    *,
    claim: str | None,
    claims: ClaimSet | None,
    progress: ProgressCallback = ignore_progress,
) -> RunReport:
    """Fetch, store and tag the candidates' records as one run; note each one's origin in the
    same transaction as the record."""
    links = {c.pmid: c.links for c in candidates}

    def note_origin(session, run_id: int, pmids: list[int]) -> None:
        citations.record_origins(
            session,
            pmids,
            origin="snowball",
            claim=claim,
            links=links,
            run_id=run_id,
            now=utcnow(),
        )

    return fetch_pmids(
        database,
        client,
        [c.pmid for c in candidates],
        description=describe(claim),
        mode="snowball",
        claims=claims,
        after_store=note_origin,
        progress=progress,
    )
