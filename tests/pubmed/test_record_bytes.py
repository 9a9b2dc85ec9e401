"""A record is kept as the bytes it was sent as, and hashed so; where those cannot be told
apart for certain, it is kept as its tree serialises."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree

from litdb.pubmed.xml_parser import serialised
from tests.support.fixtures import articles_in, efetch_files, fixture, requires_fixtures
from tests.support.pubmed_xml import Record, article_set, validate

pytestmark = requires_fixtures

BULK = "eutils/efetch/hawc-bulk-259-records.xml"


@pytest.mark.parametrize("share", [None, lambda ordinal: ordinal % 2 == 1])
def test_each_record_is_kept_as_the_bytes_it_was_sent_as(share) -> None:
    data = fixture(BULK).read_bytes()
    kept = articles_in(data, share)
    assert len(kept) == (259 if share is None else 129)
    position = 0
    for record in kept:
        found = data.find(record.raw, position)
        assert found >= position, record.pmid  # each record whole, in file order
        position = found + len(record.raw)
        assert record.raw.startswith(b"<PubmedArticle>")
        assert record.raw.endswith(b"</PubmedArticle>")
        assert record.content_hash == hashlib.sha256(record.raw).hexdigest()


def test_the_hash_earlier_versions_gave_a_record_is_found_from_its_bytes() -> None:
    """Earlier versions hashed the record as lxml serialised it; ``serialised`` gives that form
    back from the bytes as sent, for every recorded efetch answer."""
    compared = 0
    for path in efetch_files():
        earlier = [
            hashlib.sha256(etree.tostring(element, encoding="utf-8", with_tail=False)).hexdigest()
            for _, element in etree.iterparse(
                str(path),
                tag=("PubmedArticle", "PubmedBookArticle"),
                load_dtd=False,
                no_network=True,
                resolve_entities=False,
                remove_comments=True,
                remove_pis=True,
                huge_tree=True,
            )
        ]
        now = articles_in(path.read_bytes())
        assert [hashlib.sha256(serialised(r.raw)).hexdigest() for r in now] == earlier, path.name
        compared += len(now)
    assert compared > 259


def document_with_a_character_reference(declaration: bytes = b'encoding="UTF-8"') -> bytes:
    document = article_set(Record("90000001", title="Cafe study"), Record("90000002"))
    document = document.replace(b"Cafe study", b"Caf&#233; study")
    return validate(document.replace(b'encoding="UTF-8"', declaration))


def test_a_record_keeps_its_character_references_as_sent() -> None:
    first, second = articles_in(document_with_a_character_reference())
    assert b"Caf&#233; study" in first.raw
    assert first.title == "Café study"
    assert second.raw.startswith(b"<PubmedArticle>")


@pytest.mark.parametrize(
    "change",
    [
        # not UTF-8: the bytes as sent would not read back as UTF-8
        lambda d: d.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
        # a start tag inside a comment cannot be told from a record's own
        lambda d: d.replace(b"<PubmedArticleSet>", b"<PubmedArticleSet><!-- <PubmedArticle> -->"),
    ],
)
def test_where_the_bytes_cannot_be_told_the_record_is_kept_serialised(change) -> None:
    first, second = articles_in(validate(change(document_with_a_character_reference())))
    assert "Café study".encode() in first.raw
    assert first.title == "Café study"
    for record in (first, second):
        assert record.raw.startswith(b"<PubmedArticle>")
        assert record.raw == serialised(record.raw)
