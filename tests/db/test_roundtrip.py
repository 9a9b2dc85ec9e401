"""What goes into the database comes back out: every fixture record, field for field."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from litdb.db.articles import load_articles, load_raw
from litdb.ingest import import_files
from litdb.pubmed.files import RecordFile
from litdb.records import Article
from tests.support.fixtures import efetch_files, medline_files, requires_fixtures

pytestmark = requires_fixtures


def test_every_fixture_record_loads_back_as_it_was_parsed(database) -> None:
    files = efetch_files() + medline_files()
    report = import_files(database, files)
    assert report.errors == []
    parsed: dict[int, Article] = {}
    for path in files:
        with RecordFile(path) as records:
            parsed.update({int(r.pmid): r for r in records if isinstance(r, Article)})
    with database.session() as session:
        loaded = load_articles(session, list(parsed))
        raw = {pmid: load_raw(session, pmid) for pmid in list(parsed)[:40]}
    assert set(loaded) == set(parsed)
    for pmid, article in parsed.items():
        assert loaded[pmid].article == replace(article, raw=b""), pmid
    for pmid, (raw_format, data) in raw.items():
        assert (raw_format, data) == (parsed[pmid].raw_format, parsed[pmid].raw)


def test_references_keep_their_ids_in_order(database, tmp_path: Path) -> None:
    from tests.support.fixtures import fixture

    path = fixture("eutils/efetch/biopython-pubmed7.xml")
    import_files(database, [path])
    with RecordFile(path) as records:
        [article] = list(records)
    with database.session() as session:
        stored = load_articles(session, [int(article.pmid)])[int(article.pmid)]
    assert [r.article_ids for r in stored.article.references] == [
        r.article_ids for r in article.references
    ]


def test_new_and_rewritten_records_store_timestamps_alike(database, tmp_path: Path) -> None:
    """New records are written straight through the driver, rewritten ones through SQLAlchemy;
    both must store a timestamp the same way, or comparing them in SQL would go wrong."""
    import re
    from datetime import UTC, datetime

    from sqlalchemy import text

    from litdb.db.articles import upsert_articles
    from tests.support.fixtures import fixture

    with RecordFile(fixture("eutils/efetch/biopython-pubmed7.xml")) as records:
        [article] = list(records)
    first = datetime(2026, 3, 1, 12, 30, 5, 250, tzinfo=UTC)
    with database.session() as session, session.begin():
        upsert_articles(session, [article], first)
    with database.session() as session, session.begin():
        revised = replace(article, title="A corrected title", content_hash="0" * 64)
        upsert_articles(session, [revised], datetime.now(UTC))
    with database.session() as session:
        seen, updated = session.execute(
            text("SELECT first_seen_at, updated_at FROM articles WHERE pmid = :p"),
            {"p": int(article.pmid)},
        ).one()
        stored = load_articles(session, [int(article.pmid)])[int(article.pmid)]
    shape = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
    assert shape.match(seen) and shape.match(updated), (seen, updated)
    assert stored.first_seen_at == first and stored.updated_at > first
