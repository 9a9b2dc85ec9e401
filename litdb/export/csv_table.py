"""CSV: one row per record, for spreadsheets; claims as ``claim:stance`` pairs."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from litdb.export.common import pages_text
from litdb.records import Article

COLUMNS = (
    "pmid",
    "doi",
    "pmcid",
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "publication_types",
    "mesh",
    "claims",
    "retracted",
)


def to_csv(
    articles: Sequence[Article],
    claims: Mapping[str, Sequence[tuple[str, str | None, str]]] | None = None,
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in articles:
        journal = a.journal
        tags = (claims or {}).get(a.pmid, ())
        writer.writerow(
            [
                a.pmid,
                a.doi or "",
                a.pmcid or "",
                a.title,
                "; ".join(p.display() for p in a.authors),
                (journal.iso_abbreviation or journal.title or "")
                if journal
                else (a.book.title if a.book else ""),
                a.year or "",
                journal.volume or "" if journal else "",
                journal.issue or "" if journal else "",
                pages_text(a) or "",
                "; ".join(t.name for t in a.publication_types),
                "; ".join(m.descriptor for m in a.mesh),
                "; ".join(
                    f"{claim}:{stance or 'not'}{'*' if source == 'curated' else ''}"
                    for claim, stance, source in tags
                ),
                "yes" if a.retracted else "no",
            ]
        )
    return out.getvalue()
