"""Import orchestration: file -> parser -> rows -> repository, one transaction per file.

Parsing and preparing rows is most of the work; for a large file it runs in a second process
while this one writes, so an import uses both cores of a small machine. Either way the database
sees the same batches in the same order, inside one transaction per file.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from litdb.chunks import prepared_items
from litdb.claims.model import ClaimSet
from litdb.db import articles as repo
from litdb.db.engine import Database
from litdb.db.types import utcnow
from litdb.errors import DatabaseError, InputError
from litdb.progress import Progress, ProgressCallback, ignore_progress
from litdb.pubmed.files import sniff_format
from litdb.records import Deletion
from litdb.workers import ParserProcess, PreparedChunk

# Below this size, parser processes cost more to start than they save.
PARALLEL_MIN_BYTES = 8_000_000
# Each parser process reads the whole file but builds records for its share only; past a few
# processes the shared reading dominates.
MAX_WORKERS = 2


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def count(self, outcomes: Sequence[repo.Outcome]) -> None:
        for outcome in outcomes:
            setattr(self, outcome.event, getattr(self, outcome.event) + 1)

    def add(self, other: Counts) -> None:
        for name in ("added", "updated", "unchanged", "deleted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def records(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass
class FileResult:
    path: Path
    counts: Counts = field(default_factory=Counts)
    error: str | None = None


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    @property
    def totals(self) -> Counts:
        totals = Counts()
        for result in self.files:
            if result.error is None:
                totals.add(result.counts)
        return totals

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.files if r.error]


def import_files(
    database: Database,
    paths: Sequence[Path],
    *,
    progress: ProgressCallback = ignore_progress,
    now: datetime | None = None,
    parallel: bool | None = None,
    claims: ClaimSet | None = None,
) -> ImportReport:
    """Import each file in its own transaction; a bad file is rolled back and reported."""
    report = ImportReport()
    for path in paths:
        result = FileResult(path)
        try:
            result.counts = import_file(
                database, path, progress=progress, now=now, parallel=parallel, claims=claims
            )
        except InputError as exc:
            result.error = str(exc)
        report.files.append(result)
    return report


def import_file(
    database: Database,
    path: Path,
    *,
    progress: ProgressCallback = ignore_progress,
    now: datetime | None = None,
    parallel: bool | None = None,
    claims: ClaimSet | None = None,
) -> Counts:
    """Import one file in one transaction: all of its records, or (on any error) none.

    With ``claims``, every record written is tagged too.
    """
    now = now or utcnow()
    workers = _worker_count(path) if parallel is None else (MAX_WORKERS if parallel else 0)
    items = (
        _items_from_workers(path, workers, claims)
        if workers
        else prepared_items(path, claims=claims)
    )
    counts = Counts()
    # NOTE: an import allocates millions of small objects and frees them all by reference
    # counting; the cyclic collector only slows it down (20% of parse time, measured).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with database.session() as session, session.begin():
            for item in items:
                if isinstance(item, Deletion):
                    counts.count(repo.mark_deleted(session, item.pmids, now))
                    continue
                counts.count(repo.write_batch(session, item.batch, now))
                progress(Progress(path.name, item.position, item.size, "bytes"))
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise DatabaseError(f"{path}: the database refused the import: {reason}") from exc
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
        if collecting:
            gc.enable()
    return counts


def _worker_count(path: Path) -> int:
    """How many parser processes a file deserves: none for small files and MEDLINE text."""
    cores = os.cpu_count() or 1
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    if cores < 2 or size < PARALLEL_MIN_BYTES or sniff_format(path) != "xml":
        return 0
    return min(cores, MAX_WORKERS)


# -- parser processes ------------------------------------------------------------------------


def _items_from_workers(
    path: Path, count: int, claims: ClaimSet | None
) -> Iterator[PreparedChunk | Deletion]:
    """The items of ``prepared_items(path)``, in file order, read by ``count`` processes."""
    workers = [
        ParserProcess(["file", str(path), str(part), str(count)], str(path), claims)
        for part in range(count)
    ]
    try:
        heads = {part: workers[part].receive() for part in range(count)}
        while any(item is not None for item in heads.values()):
            # a deletion that follows record N comes before the chunk that starts at N
            part = min(
                (p for p, item in heads.items() if item is not None),
                key=lambda p: _file_order(heads[p]),
            )
            yield heads[part]
            heads[part] = workers[part].receive()
    finally:
        for worker in workers:
            worker.close()


def _file_order(item: PreparedChunk | Deletion | None) -> tuple[int, int]:
    if isinstance(item, Deletion):
        return (item.after, 0)
    assert item is not None
    return (item.start, 1)
