"""Records stored by earlier versions, which kept a record's XML as lxml serialised it: fetched
again unchanged, they stay unchanged, and their raw form becomes the bytes as sent."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import UTC, datetime

from lxml import etree
from sqlalchemy import text

from litdb.db.articles import UNCHANGED, UPDATED, load_raw, upsert_articles
from litdb.records import Article
from tests.support.db import dump
from tests.support.fixtures import articles_in, fixture, requires_fixtures

pytestmark = requires_fixtures

BULK = "eutils/efetch/hawc-bulk-259-records.xml"


def as_sent(data: bytes) -> list[Article]:
    return articles_in(data)[:60]


def retitled(record: Article, prefix: str) -> Article:
    """``record`` with ``prefix`` before its title, in its fields and in its raw XML."""
    raw = record.raw.replace(b"<ArticleTitle>", b"<ArticleTitle>" + prefix.encode(), 1)
    return replace(
        record,
        title=prefix + record.title,
        raw=raw,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def as_stored_earlier(records: list[Article], data: bytes) -> list[Article]:
    """The same records as an earlier version stored them: raw XML serialised by lxml."""
    serialised = [
        etree.tostring(element, encoding="utf-8", with_tail=False)
        for _, element in etree.iterparse(
            io.BytesIO(data), tag="PubmedArticle", load_dtd=False, no_network=True
        )
    ]
    return [
        replace(r, raw=raw, content_hash=hashlib.sha256(raw).hexdigest())
        for r, raw in zip(records, serialised, strict=False)
    ]


def test_unchanged_records_stored_serialised_stay_unchanged_and_are_kept_as_sent(
    database, db_path
) -> None:
    data = fixture(BULK).read_bytes()
    now = as_sent(data)
    earlier = as_stored_earlier(now, data)
    # NCBI writes some characters as references (&#xe0;), which lxml serialises as UTF-8
    assert sum(a.content_hash != b.content_hash for a, b in zip(now, earlier, strict=True)) >= 10
    # the first record has been revised at PubMed since the earlier version stored it
    earlier[0] = retitled(earlier[0], "Draft: ")
    stored_at = datetime(2026, 3, 1, tzinfo=UTC)
    with database.session() as session, session.begin():
        upsert_articles(session, earlier, stored_at)

    with database.session() as session, session.begin():
        outcomes = upsert_articles(session, now, datetime(2026, 11, 1, tzinfo=UTC))
    assert [o.event for o in outcomes] == [UPDATED] + [UNCHANGED] * (len(now) - 1)
    with database.session() as session:
        for record in now:
            assert load_raw(session, int(record.pmid)) == ("xml", record.raw)
        rows = session.execute(text("SELECT pmid, content_hash, updated_at FROM articles")).all()
    hashes = {r.pmid: r.content_hash for r in rows}
    assert hashes == {int(r.pmid): r.content_hash for r in now}
    first_updated = {r.pmid: r.updated_at for r in rows}
    assert sum(1 for v in first_updated.values() if v.startswith("2026-03-01")) == len(now) - 1

    before = dump(db_path)
    with database.session() as session, session.begin():
        again = upsert_articles(session, now, datetime(2026, 11, 2, tzinfo=UTC))
    assert {o.event for o in again} == {UNCHANGED}
    assert dump(db_path) == before


def test_a_record_written_another_way_is_unchanged_and_keeps_its_stored_bytes(
    database, db_path
) -> None:
    """The same records from a source that writes characters as UTF-8 where NCBI's answer
    has references (&#xe0;): same content, so nothing is rewritten; a real change still is."""
    data = fixture(BULK).read_bytes()
    sent = [r for r in as_sent(data) if b"&#x" in r.raw][:10]
    assert len(sent) == 10
    with database.session() as session, session.begin():
        upsert_articles(session, sent, datetime(2026, 3, 1, tzinfo=UTC))
    before = dump(db_path)

    other_source = []
    for record in sent:
        raw = etree.tostring(etree.fromstring(record.raw), encoding="utf-8")
        assert raw != record.raw
        other_source.append(replace(record, raw=raw, content_hash=hashlib.sha256(raw).hexdigest()))
    other_source[0] = retitled(other_source[0], "Revised: ")
    with database.session() as session, session.begin():
        outcomes = upsert_articles(session, other_source[1:], datetime(2026, 11, 1, tzinfo=UTC))
    assert {o.event for o in outcomes} == {UNCHANGED}
    assert dump(db_path) == before

    with database.session() as session, session.begin():
        [outcome] = upsert_articles(session, other_source[:1], datetime(2026, 11, 1, tzinfo=UTC))
    assert outcome.event == UPDATED
    with database.session() as session:
        assert load_raw(session, int(sent[0].pmid)) == ("xml", other_source[0].raw)
