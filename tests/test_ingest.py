"""Large files are read by parser processes; the database must not be able to tell."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litdb.chunks import BATCH_SIZE
from litdb.db.engine import open_database
from litdb.errors import InputError
from litdb.ingest import import_file
from tests.support.corpus import fixture_records, renumbered
from tests.support.db import dump
from tests.support.fixtures import requires_fixtures
from tests.support.pubmed_xml import DOCTYPE, validate

pytestmark = requires_fixtures


def build_file(path: Path) -> Path:
    """2.5 batches of real records, a PMID repeated in a later batch with other content, and a
    DeleteCitation naming records from the first and the last batch."""
    records = list(renumbered(fixture_records(), int(BATCH_SIZE * 2.5), first_pmid=70_000_000))
    repeated = re.sub(
        rb"<ArticleTitle>.*?</ArticleTitle>",
        b"<ArticleTitle>The repeated record, second version</ArticleTitle>",
        records[3],
        count=1,
        flags=re.S,
    )
    records.insert(BATCH_SIZE * 2 + 10, repeated)
    deleted = b"".join(
        f'<PMID Version="1">{pmid}</PMID>'.encode()
        for pmid in (70_000_001, 70_000_000 + BATCH_SIZE * 2 + 100)
    )
    body = (
        b'<?xml version="1.0" ?>\n'
        + DOCTYPE.encode()
        + b"\n<PubmedArticleSet>\n"
        + b"\n".join(records)
        + b"\n<DeleteCitation>"
        + deleted
        + b"</DeleteCitation>\n</PubmedArticleSet>\n"
    )
    path.write_bytes(validate(body))
    return path


def test_parallel_import_writes_exactly_what_a_serial_import_writes(tmp_path: Path) -> None:
    source = build_file(tmp_path / "big.xml")
    dumps = {}
    for mode in (False, True):
        db_file = tmp_path / f"parallel-{mode}.sqlite"
        database = open_database(f"sqlite:///{db_file}")
        counts = import_file(database, source, parallel=mode, now=_fixed_now())
        database.close()
        assert (counts.added, counts.deleted) == (int(BATCH_SIZE * 2.5), 2)
        dumps[mode] = dump(db_file)
    assert dumps[True] == dumps[False]
    assert "The repeated record, second version" in dumps[True]


def test_parallel_import_of_a_truncated_file_changes_nothing(tmp_path: Path) -> None:
    source = build_file(tmp_path / "big.xml")
    data = source.read_bytes()
    source.write_bytes(data[: int(len(data) * 0.3)])
    db_file = tmp_path / "truncated.sqlite"
    database = open_database(f"sqlite:///{db_file}")
    before = dump(db_file)
    with pytest.raises(InputError, match=r"big\.xml: malformed or truncated XML \(line \d+"):
        import_file(database, source, parallel=True)
    database.close()
    assert dump(db_file) == before


def _fixed_now():
    from datetime import UTC, datetime

    return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_a_parser_process_starts_without_the_database_layer() -> None:
    """Every refresh and large import starts two parser processes; loading SQLAlchemy in
    them would triple their start-up, on the cores the first answers need."""
    import subprocess
    import sys

    probe = (
        "import sys, litdb.parse_worker; print(sorted(m for m in sys.modules if 'sqlalchemy' in m))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert loaded.strip() == "[]"
