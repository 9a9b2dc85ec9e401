"""MEDLINE text (.nbib) records, on the Biopython recordings of the PubMed website's export."""

from __future__ import annotations

import io
import re

import pytest
from Bio import Medline

from litdb.errors import InputError
from litdb.pubmed.medline_parser import parse_medline
from litdb.records import Article
from tests.support.fixtures import fixture, medline_files, requires_fixtures

pytestmark = requires_fixtures


def read(relative: str) -> list[Article]:
    with open(fixture(relative), encoding="utf-8") as handle:
        return list(parse_medline(handle, relative))


@pytest.mark.parametrize("path", medline_files(), ids=lambda p: p.name)
def test_every_record_agrees_with_bio_medline_on_the_main_fields(path) -> None:
    with open(path, encoding="utf-8") as handle:
        ours = list(parse_medline(handle, str(path)))
    with open(path, encoding="utf-8") as handle:
        theirs = list(Medline.parse(handle))
    assert [r.pmid for r in ours] == [t["PMID"] for t in theirs]
    for mine, record in zip(ours, theirs, strict=True):
        assert mine.title == " ".join(record["TI"].split())
        assert [a.display() for a in mine.authors] == record.get("AU", [])
        assert mine.journal.title == record.get("JT")
        assert mine.year == int(record["DP"][:4])
        assert [t.name for t in mine.publication_types] == record.get("PT", [])
        assert len(mine.mesh) == len(record.get("MH", []))


def test_structured_abstract_sections_are_recovered_from_flat_text() -> None:
    records = {r.pmid: r for r in read("medline/biopython-pubmed_result2.txt")}
    sections = records["16403221"].abstract.sections
    assert [s.label for s in sections] == ["BACKGROUND", "RESULTS", "CONCLUSION"]
    assert sections[0].text.startswith("Benchmarking algorithms")
    assert "RESULTS:" not in sections[0].text


def test_mesh_qualifiers_across_continuation_lines_and_major_flags() -> None:
    [record] = read("medline/biopython-pubmed_result3.txt")
    heading = next(m for m in record.mesh if m.descriptor.startswith("High-Intensity"))
    assert [(q.name, q.major) for q in heading.qualifiers] == [
        ("adverse effects", False),
        ("instrumentation", False),
        ("methods", True),
    ]
    assert not heading.major


def test_identifiers_dates_and_affiliation_of_a_medline_record() -> None:
    records = {r.pmid: r for r in read("medline/biopython-pubmed_result2.txt")}
    record = records["16403221"]
    assert record.doi == "10.1186/1471-2105-7-10"
    assert record.pmcid == "PMC1373603"
    assert record.article_id("pii") == "1471-2105-7-10"
    assert ("received", "2005-06-17") in [(h.kind, h.date) for h in record.history]
    assert ("entrez", "2006-01-13 09:00") in [(h.kind, h.date) for h in record.history]
    assert [(d.kind, d.date) for d in record.article_dates] == [("Electronic", "2006-01-10")]
    assert record.authors[0].last_name == "Casbon"
    assert record.authors[0].fore_name == "James A"
    assert record.authors[0].initials == "JA"
    # an old-style record carries one AD line before its authors: it is the first author's
    assert "Queen Mary" in record.authors[0].affiliations[0]
    assert record.authors[1].affiliations == ()
    assert record.raw_format == "medline"
    assert record.raw.startswith(b"PMID- 16403221")


def test_modern_nbib_affiliations_follow_each_author() -> None:
    text = "\n".join(
        [
            "PMID- 90000010",
            "TI  - A record written for litdb's tests.",
            "DP  - 2021 Feb 3",
            "FAU - First, Alice",
            "AU  - First A",
            "AUID- ORCID: 0000-0002-1825-0097",
            "AD  - Department of Testing, Example University,",
            "      Exampletown.",
            "AD  - Second Institute.",
            "FAU - Second, Bob",
            "AU  - Second B",
            "CN  - The Test Consortium",
            "FIR - Helper, Carol",
            "IR  - Helper C",
            "AD  - Investigator Institute.",
            "CIN - J Test Rec. 2021;1:2. PMID: 90000011",
            "RIN - J Test Rec. 2022;2:3. PMID: 90000012",
            "",
        ]
    )
    [record] = list(parse_medline(io.StringIO(text)))
    first, second, group = record.authors
    assert first.affiliations == (
        "Department of Testing, Example University, Exampletown.",
        "Second Institute.",
    )
    assert first.orcid == "0000-0002-1825-0097"
    assert second.affiliations == ()
    assert group.collective_name == "The Test Consortium"
    assert [i.last_name for i in record.investigators] == ["Helper"]
    assert record.investigators[0].affiliations == ("Investigator Institute.",)
    assert (record.year, record.sort_date) == (2021, "2021-02-03")
    assert [(c.ref_type, c.pmid) for c in record.corrections] == [
        ("CommentIn", "90000011"),
        ("RetractionIn", "90000012"),
    ]
    assert record.retracted


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("TI  - no PMID first\n", "not MEDLINE text (line 1"),
        ("PMID- abc\nTI  - x\n", "without a valid PMID"),
    ],
)
def test_bad_medline_text_raises_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        list(parse_medline(io.StringIO(text), "bad.nbib"))
