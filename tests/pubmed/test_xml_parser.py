"""The XML parser on the records that make PubMed XML hard, asserted field by field."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from Bio import Entrez

from litdb.errors import InputError
from litdb.pubmed.xml_parser import parse_pubmed_xml
from litdb.records import Article, Deletion
from tests.support.fixtures import fixture, requires_fixtures
from tests.support.pubmed_xml import Record, article_set

pytestmark = requires_fixtures


def parse(relative: str) -> list[Article]:
    with open(fixture(relative), "rb") as handle:
        return [r for r in parse_pubmed_xml(handle, relative) if isinstance(r, Article)]


def biopython(relative: str) -> dict:
    with open(fixture(relative), "rb") as handle:
        return Entrez.read(handle)


def one(relative: str) -> Article:
    records = parse(relative)
    assert len(records) == 1
    return records[0]


def test_mathml_and_inline_markup_are_flattened_without_losing_text() -> None:
    record = one("eutils/efetch/biopython-pubmed6.xml")
    abstract = record.abstract.text
    # <sub> and MathML tokens become plain text, with nothing of the markup left behind
    assert "LEmin" in abstract
    assert "V.O2max" in abstract
    assert "<sub" not in abstract and "<math" not in abstract and "mrow" not in abstract
    assert record.title.startswith('A "Blood Relationship" Between')
    # every letter and digit Biopython sees in the abstract (markup aside) is still there
    bio = biopython("eutils/efetch/biopython-pubmed6.xml")["PubmedArticle"][0]
    bio_text = " ".join(
        str(t) for t in bio["MedlineCitation"]["Article"]["Abstract"]["AbstractText"]
    )
    bio_plain = re.sub(r"</?[A-Za-z][\w:.-]*(\s[^<>]*)?/?>", "", bio_text)
    assert re.sub(r"\W", "", bio_plain) == re.sub(r"\W", "", abstract)


def test_structured_abstract_keeps_labels_categories_and_order() -> None:
    record = one("eutils/efetch/biopython-pubmed5.xml")
    sections = record.abstract.sections
    bio = biopython("eutils/efetch/biopython-pubmed5.xml")["PubmedArticle"][0]
    bio_sections = bio["MedlineCitation"]["Article"]["Abstract"]["AbstractText"]
    assert [(s.label, s.category) for s in sections] == [
        (t.attributes["Label"], t.attributes["NlmCategory"]) for t in bio_sections
    ]
    assert len(sections) == 4
    assert record.abstract.text.startswith("OBJECTIVES: ")
    assert "\n\nMETHODS: " in record.abstract.text


def test_collective_author_keeps_its_place_in_the_author_list() -> None:
    record = one("eutils/efetch/metapub-collective-23435529.xml")
    bio = biopython("eutils/efetch/metapub-collective-23435529.xml")["PubmedArticle"][0]
    bio_authors = bio["MedlineCitation"]["Article"]["AuthorList"]
    expected = [str(a.get("CollectiveName") or a.get("LastName")) for a in bio_authors]
    got = [a.collective_name or a.last_name for a in record.authors]
    assert got == expected
    collective = [a for a in record.authors if a.collective_name]
    assert len(collective) == 1
    assert collective[0].last_name is None and collective[0].initials is None


def test_book_chapter_has_book_title_publisher_editors_and_chapter_title() -> None:
    record = one("eutils/efetch/metapub-book-20301577.xml")
    assert record.kind == "book"
    assert record.book is not None
    assert record.book.title == "GeneReviews®"  # <sup>&#xae;</sup> flattened
    assert record.title == "CACNA1C-Related Disorders"  # the chapter, <i> flattened
    assert record.book.publisher == "University of Washington, Seattle"
    assert record.book.publisher_location == "Seattle (WA)"
    assert [e.last_name for e in record.book.editors][:2] == ["Adam", "Feldman"]
    assert len(record.book.editors) == 6
    assert [a.last_name for a in record.authors] == ["Napolitano", "Priori"]
    assert len(record.authors[0].affiliations) == 2
    assert record.article_id("bookaccession") == "NBK1403"
    assert record.year == 1993
    assert record.journal is None


def test_record_without_abstract_has_none() -> None:
    record = one("eutils/efetch/single/metapub-11618220.xml")
    assert record.abstract is None
    assert record.title


def test_vernacular_title_is_kept_beside_the_english_title() -> None:
    record = one("eutils/efetch/single/metapub-38048813.xml")
    assert record.title.startswith("[A Broader Scope")
    assert record.vernacular_title is not None
    assert "Medizin" in record.vernacular_title


def test_season_publication_date_is_kept_and_sorts_in_its_season() -> None:
    record = parse("eutils/efetch/biopython-pubmed1.xml")[0]
    assert record.pub_date.season == "Spring"
    assert record.pub_date.month is None
    assert record.pub_date.display() == "1990 Spring"
    assert record.year == 1990
    assert record.sort_date == "1990-04-01"


def test_reference_list_with_pmids_matches_biopython() -> None:
    record = one("eutils/efetch/biopython-pubmed7.xml")
    bio = biopython("eutils/efetch/biopython-pubmed7.xml")["PubmedArticle"][0]
    bio_refs = bio["PubmedData"]["ReferenceList"][0]["Reference"]
    assert len(record.references) == len(bio_refs) == 49
    bio_pmids = [
        next(
            (str(i) for i in r.get("ArticleIdList", []) if i.attributes["IdType"] == "pubmed"), None
        )
        for r in bio_refs
    ]
    assert [r.pmid for r in record.references] == bio_pmids


def test_orcid_is_normalised_from_the_identifier() -> None:
    record = one("eutils/efetch/biopython-pubmed7.xml")
    bio = biopython("eutils/efetch/biopython-pubmed7.xml")["PubmedArticle"][0]
    expected = {}
    for author in bio["MedlineCitation"]["Article"]["AuthorList"]:
        for identifier in author.get("Identifier", []):
            if identifier.attributes.get("Source") == "ORCID":
                expected[str(author["LastName"])] = str(identifier)
    got = {a.last_name: a.orcid for a in record.authors if a.orcid}
    assert expected and set(got) == set(expected)
    for name, orcid in got.items():
        assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", orcid)
        assert orcid in expected[name]


def test_comments_corrections_keep_every_reftype() -> None:
    record = one("eutils/efetch/biopython-pubmed4.xml")
    bio = biopython("eutils/efetch/biopython-pubmed4.xml")["PubmedArticle"][0]
    bio_cc = bio["MedlineCitation"]["CommentsCorrectionsList"]
    assert [(c.ref_type, c.pmid) for c in record.corrections] == [
        (c.attributes["RefType"], str(c["PMID"]) if "PMID" in c else None) for c in bio_cc
    ]
    assert {"CommentIn", "Cites"} <= {c.ref_type for c in record.corrections}


def test_raw_record_is_kept_with_a_content_hash() -> None:
    record = one("eutils/efetch/biopython-pubmed7.xml")
    assert record.raw.startswith(b"<PubmedArticle>")
    assert record.raw.endswith(b"</PubmedArticle>")
    assert len(record.content_hash) == 64
    again = one("eutils/efetch/biopython-pubmed7.xml")
    assert again.content_hash == record.content_hash


def test_record_biopython_refuses_for_its_unknown_dtd_is_still_read() -> None:
    """A record declaring a DTD Biopython does not ship (here an old 2017 one) stops Biopython."""
    original = fixture("eutils/efetch/biopython-pubmed5.xml").read_bytes()
    old = re.sub(
        rb"<!DOCTYPE[^>]+>",
        b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2017//EN" '
        b'"http://127.0.0.1:9/pubmed_170101.dtd">',
        original,
        count=1,
    )
    with pytest.raises(Exception):  # noqa: B017 - Biopython fails to fetch or to validate
        Entrez.read(io.BytesIO(old))
    [record] = [
        r for r in parse_pubmed_xml(io.BufferedReader(io.BytesIO(old))) if isinstance(r, Article)
    ]
    assert record.pmid == "28775130"
    assert len(record.abstract.sections) == 4
    assert record.year == 2018


def test_generated_records_cover_medline_date_other_abstract_and_deletion() -> None:
    document = article_set(
        Record(
            "90000001",
            medline_date="1998 Dec-1999 Jan",
            other_abstract=("Publisher", "ger", "Kurz."),
        ),
        Record(
            "90000002",
            publication_types=["Journal Article", "Retracted Publication"],
            corrections=[("RetractionIn", "J Test Rec. 2021;2:1", "90000003")],
        ),
        deleted=("90000004", "90000005"),
    )
    items = list(parse_pubmed_xml(io.BufferedReader(io.BytesIO(document))))
    first, second, deletion = items
    assert first.pub_date.medline_date == "1998 Dec-1999 Jan"
    assert (first.year, first.sort_date) == (1998, "1998-12-01")
    assert first.other_abstracts[0].type == "Publisher"
    assert first.other_abstracts[0].language == "ger"
    assert not first.retracted
    assert second.retracted
    assert isinstance(deletion, Deletion)
    assert deletion.pmids == ("90000004", "90000005")


def test_gzipped_stream_reads_like_the_plain_one() -> None:
    from litdb.pubmed.files import RecordFile

    plain = parse("eutils/efetch/biopython-pubmed4.xml")
    path = fixture("eutils/efetch/biopython-pubmed4.xml")
    zipped = path.read_bytes()
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "records.xml.gz"
        target.write_bytes(gzip.compress(zipped))
        with RecordFile(target) as records:
            assert [r.content_hash for r in records] == [r.content_hash for r in plain]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"<html><body>Bad Gateway</body></html>", "not PubMed XML (root element <html>"),
        (
            b'<?xml version="1.0"?><eFetchResult><ERROR>Invalid id</ERROR></eFetchResult>',
            "NCBI returned an error instead of records: Invalid id",
        ),
        (
            b"<PubmedArticleSet><PubmedArticle><MedlineCitation>",
            "malformed or truncated XML (line 1",
        ),
        (b"<PubmedArticleSet><PubmedArticle></Pubmed>", "malformed or truncated XML (line 1"),
    ],
)
def test_bad_input_raises_one_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        list(parse_pubmed_xml(io.BufferedReader(io.BytesIO(body)), "bad.xml"))
    assert str(caught.value).startswith("bad.xml: ")


def test_truncated_real_file_reports_line_and_column() -> None:
    body = fixture("eutils/efetch/hawc-bulk-259-records.xml").read_bytes()
    cut = body[: len(body) // 2]
    records = []
    with pytest.raises(InputError, match=r"malformed or truncated XML \(line \d+, column \d+\)"):
        for record in parse_pubmed_xml(io.BufferedReader(io.BytesIO(cut)), "cut.xml"):
            records.append(record)
    assert 0 < len(records) < 259
