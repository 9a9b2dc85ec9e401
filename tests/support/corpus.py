"""Large PubMed XML files made from the real fixture records, with fresh PMIDs per copy.

Used by the streaming test and by the benchmarks: the records are real, only the PMIDs differ,
so every copy is a distinct record to litdb.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from lxml import etree

from tests.support.fixtures import efetch_files

_PMID = re.compile(rb"(<MedlineCitation[^>]*>\s*<PMID[^>]*>)(\d+)(</PMID>)")
_BOOK_PMID = re.compile(rb"(<BookDocument>\s*<PMID[^>]*>)(\d+)(</PMID>)")
_HEADER = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
FIRST_PMID = 60_000_000


@cache
def fixture_records() -> tuple[bytes, ...]:
    """Each real fixture record (journal articles only) as its own XML bytes."""
    records = []
    for path in efetch_files():
        for _, element in etree.iterparse(
            str(path), tag="PubmedArticle", load_dtd=False, no_network=True
        ):
            records.append(etree.tostring(element, encoding="utf-8", with_tail=False))
            element.clear()
    return tuple(records)


def renumbered(
    records: Sequence[bytes], count: int, first_pmid: int = FIRST_PMID
) -> Iterator[bytes]:
    for index in range(count):
        record = records[index % len(records)]
        pmid = str(first_pmid + index).encode()
        yield _PMID.sub(rb"\g<1>" + pmid + rb"\g<3>", record, count=1)


def write_corpus(path: Path, count: int, first_pmid: int = FIRST_PMID) -> Path:
    records = fixture_records()
    with open(path, "wb") as out:
        out.write(_HEADER)
        for record in renumbered(records, count, first_pmid):
            out.write(record)
            out.write(b"\n")
        out.write(b"</PubmedArticleSet>\n")
    return path
