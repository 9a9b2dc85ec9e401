"""Exports of real fixture records, read back by independent readers and compared field by field
with what the database holds."""

from __future__ import annotations

import json
import re
import unicodedata

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from pylatexenc.latex2text import LatexNodes2Text

from litdb.db.articles import load_articles
from litdb.export import ExportOptions, export
from litdb.export.bibtex import citation_keys
from litdb.ingest import import_files
from litdb.records import Article
from tests.support.fixtures import efetch_files, requires_fixtures
from tests.support.pubmed_xml import Record, article_set

pytestmark = requires_fixtures
_LATEX = LatexNodes2Text()


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> list[Article]:
    from litdb.db.engine import open_database

    path = tmp_path_factory.mktemp("export") / "litdb.sqlite"
    database = open_database(f"sqlite:///{path}")
    report = import_files(database, efetch_files())
    assert not report.errors
    with database.session() as session:
        from sqlalchemy import select

        from litdb.db.models import ArticleRow

        pmids = list(session.scalars(select(ArticleRow.pmid).order_by(ArticleRow.pmid)))
        loaded = load_articles(session, pmids, citation_only=True)
    database.close()
    return [loaded[p].article for p in pmids]


def plain(text: str | None) -> str:
    """For comparing: Unicode-normalised, whitespace folded. (pylatexenc reads \\textasciicircum
    and \\textasciitilde as the modifier letters U+02C6 and U+02DC; LaTeX prints ^ and ~.)"""
    text = (text or "").replace("\u02c6", "^").replace("\u02dc", "~")
    return " ".join(unicodedata.normalize("NFC", text).split())


def bib_authors(value: str) -> list[str]:
    names = []
    for name in value if isinstance(value, list) else [value]:
        name = name.strip()
        if (
            name.startswith("{")
            and name.endswith("}")
            and "," not in name.strip("{}").split("}")[0][:0]
        ):
            inner = name[1:-1]
            if "}" not in inner and "{" not in inner:
                names.append(plain(_LATEX.latex_to_text(inner)))
                continue
        last = name.split(",")[0]
        names.append(plain(_LATEX.latex_to_text(last)))
    return names


def ris_name(author) -> str:
    """RIS's "Last, First, Suffix" (a group's name as it is)."""
    if author.collective_name:
        return plain(author.collective_name)
    parts = [author.last_name, author.fore_name or author.initials, author.suffix]
    return plain(", ".join(p for p in parts if p))


def db_authors(article: Article) -> list[str]:
    return [plain(a.collective_name or a.last_name) for a in article.authors]


def test_bibtex_read_back_by_bibtexparser_matches_the_database(stored) -> None:
    text = export(stored, "bibtex", ExportOptions())
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert not library.failed_blocks
    entries = {e.fields_dict["pmid"].value: e for e in library.entries}
    assert len(entries) == len(stored) == len(library.entries)
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == len(keys)
    for article in stored:
        entry = entries[article.pmid]
        fields = {k: v.value for k, v in entry.fields_dict.items()}
        title = _LATEX.latex_to_text(fields["title"])
        assert plain(title) == plain(article.title.rstrip(".")), article.pmid
        if article.authors:
            assert bib_authors(fields["author"]) == db_authors(article), article.pmid
        if article.journal and entry.entry_type == "article":
            assert plain(_LATEX.latex_to_text(fields["journal"])) == plain(
                article.journal.title or article.journal.iso_abbreviation
            )
        assert fields.get("year") == (str(article.year) if article.year else None)
        assert fields.get("doi") == (_escaped(article.doi) if article.doi else None)
        assert fields.get("pmcid") == article.pmcid


def _escaped(doi: str) -> str:
    return doi.replace("_", r"\_").replace("%", r"\%").replace("&", r"\&").replace("#", r"\#")


def test_bibtex_keys_are_stable_and_look_like_author_year_word(stored) -> None:
    keys = citation_keys(stored)
    assert keys == citation_keys(list(reversed(stored)))
    book = next(a for a in stored if a.pmid == "20301577")
    assert keys["20301577"] == "Napolitano1993cacna1c"
    assert all(re.fullmatch(r"[A-Z][A-Za-z]*(\d{4}|nd)[a-z0-9]*", k) for k in keys.values())
    assert book.kind == "book"


def test_ris_read_back_by_rispy_matches_the_database(stored) -> None:
    entries = rispy.loads(export(stored, "ris", ExportOptions()))
    assert len(entries) == len(stored)
    by_pmid = {e["accession_number"]: e for e in entries}
    for article in stored:
        entry = by_pmid[article.pmid]
        assert plain(entry["title"]) == plain(article.title)
        assert [plain(a) for a in entry.get("authors", [])] == [
            ris_name(a) for a in article.authors
        ]
        if article.journal:
            assert plain(entry.get("secondary_title")) == plain(
                article.journal.title or article.journal.iso_abbreviation
            )
        assert entry.get("year") == (str(article.year) if article.year else None)
        assert entry.get("doi") == article.doi
    assert by_pmid["20301577"]["type_of_reference"] == "CHAP"


def test_csljson_is_rendered_by_citeproc_with_the_database_fields(stored) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from litdb.export.formatted import style_path

    items = json.loads(export(stored, "csljson", ExportOptions()))
    assert [i["id"] for i in items] == [a.pmid for a in stored]
    for item, article in zip(items, stored, strict=True):
        assert item["PMID"] == article.pmid and item.get("DOI") == article.doi
        assert item["title"] == article.title
        assert item["issued"]["date-parts"][0][0] == article.year
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(style_path("apa"), validate=False), CiteProcJSON(items), formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = {str(entry) for entry in bibliography.bibliography()}
    for article in stored:
        if article.authors and article.authors[0].last_name and article.doi is None:
            assert any(
                article.authors[0].last_name in entry and str(article.year) in entry
                for entry in rendered
            ), article.pmid


def test_latex_specials_and_non_ascii_names_round_trip_through_bibtex(tmp_path) -> None:
    hard = r"Braces {x} 50% & A_b #1 $5 ~approx ^2 back\slash in Müller–Łódź β-amyloid"
    record = Record(
        "95000001",
        title=hard,
        authors=[
            ("Müller-Łukasiewicz", "Zoë", "Z"),
            ("O'Brien", "Seán", "S"),
            ("van der Berg", "Anna", "A"),
        ],
    )
    path = tmp_path / "hard.xml"
    path.write_bytes(article_set(record))
    from litdb.pubmed.files import RecordFile

    with RecordFile(path) as records:
        [article] = list(records)
    text = export([article], "bibtex", ExportOptions())
    assert "Müller-Łukasiewicz" in text  # UTF-8 kept, not \"u
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    [entry] = library.entries
    assert plain(entry.fields_dict["title"].value) == plain(hard)
    raw = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert bib_authors(raw.entries[0].fields_dict["author"].value) == [
        "Müller-Łukasiewicz",
        "O'Brien",
        "van der Berg",
    ]


def test_formatted_styles_render_every_record(stored) -> None:
    few = [a for a in stored if a.pmid in ("20301577", "27797938", "12091962")]
    vancouver = export(few, "text", ExportOptions(style="vancouver"))
    lines = vancouver.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("1. ")
    assert "Napolitano C, Priori SG" in vancouver
    html = export(few, "html", ExportOptions(style="apa"))
    assert html.count('<div class="csl-entry">') == 3 and "<i>" in html
    markdown = export(few, "markdown", ExportOptions(style="ieee"))
    assert markdown.count("\n\n") == 3 and "*" in markdown


def test_retracted_records_carry_a_note_in_every_format(tmp_path) -> None:
    record = Record(
        "95000002",
        publication_types=["Journal Article", "Retracted Publication"],
        corrections=[("RetractionIn", "J Test Rec. 2021;2:1", "95000003")],
    )
    path = tmp_path / "r.xml"
    path.write_bytes(article_set(record))
    from litdb.pubmed.files import RecordFile

    with RecordFile(path) as records:
        [article] = list(records)
    note = "Retracted; see the retraction notice, PMID 95000003."
    assert note in export([article], "bibtex", ExportOptions())
    assert note in export([article], "ris", ExportOptions())
    assert json.loads(export([article], "csljson", ExportOptions()))[0]["note"] == note
    assert ",yes\n" in export([article], "csv", ExportOptions())


def test_a_collective_author_stays_one_name(stored) -> None:
    article = next(a for a in stored if a.pmid == "29963580")
    lines = export([article], "bibtex", ExportOptions()).splitlines()
    entry = next(line for line in lines if line.strip().startswith("author"))
    assert "{Canadian Respiratory Research Network}" in entry
