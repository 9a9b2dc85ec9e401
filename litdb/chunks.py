"""A record file as chunks of prepared rows, in file order: what an import writes, and what each
of its parser processes computes for its share of a large file (``litdb.parse_worker``).

Nothing here touches a database, so a parser process starts without loading SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from litdb.claims.model import ClaimSet
from litdb.db.rows import prepare_batch
from litdb.pubmed.files import RecordFile
from litdb.records import Article, Deletion
from litdb.workers import PreparedChunk

BATCH_SIZE = 250


def prepared_items(
    path: Path,
    *,
    part: int = 0,
    parts: int = 1,
    batch_size: int = BATCH_SIZE,
    claims: ClaimSet | None = None,
    compress: bool = False,
) -> Iterator[PreparedChunk | Deletion]:
    """Parse ``path`` and prepare rows, ``batch_size`` records at a time, in file order.

    With ``parts`` > 1 only every ``parts``-th batch is read, starting at batch ``part``, so that
    several processes can share one file; deletions then come from part 0 only. A chunk never
    spans a deletion, and says where in the file its records start, so shares merge exactly.
    ``compress``: compress raw records here (in a parser process, which has time to spare
    while the writing process is the slower side of an import).
    """

    def ordinal(kept: int) -> int:
        """The file ordinal of the ``kept``-th record this share reads."""
        return ((kept // batch_size) * parts + part) * batch_size + kept % batch_size

    keep = None
    if parts > 1:
        keep = lambda number: (number // batch_size) % parts == part  # noqa: E731
    with RecordFile(path, keep) as records:
        batch: list[Article] = []
        kept = 0

        def chunk(position: int) -> PreparedChunk:
            prepared = prepare_batch(batch, claims, compress=compress)
            return PreparedChunk(prepared, position, records.size, ordinal(kept - len(batch)))

        for record in records:
            if isinstance(record, Deletion):
                if batch:
                    yield chunk(records.position)
                    batch = []
                if part == 0:
                    yield record
                continue
            batch.append(record)
            kept += 1
            if kept % batch_size == 0:
                yield chunk(records.position)
                batch = []
        if batch or parts == 1:
            yield chunk(records.size)
