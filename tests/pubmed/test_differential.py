"""Every efetch fixture record, read by litdb and by Biopython's ``Bio.Entrez.read``, must agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from Bio import Entrez

from litdb.pubmed.files import RecordFile
from litdb.records import Article
from tests.support.fixtures import efetch_files, requires_fixtures

pytestmark = requires_fixtures

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(\s[^<>]*)?/?>")


def plain(value) -> str:
    """Biopython keeps inline markup inside strings; compare text only, whitespace ignored."""
    return re.sub(r"\s+", "", _TAG.sub("", str(value))) if value is not None else ""


def squash(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "")


def bio_year(pub_date) -> int | None:
    if "Year" in pub_date:
        return int(pub_date["Year"])
    found = re.search(r"\d{4}", str(pub_date.get("MedlineDate", "")))
    return int(found.group()) if found else None


def bio_doi(article_ids, elocations) -> str | None:
    for item in article_ids:
        if item.attributes.get("IdType") == "doi":
            return str(item)
    for item in elocations:
        if item.attributes.get("EIdType") == "doi" and item.attributes.get("ValidYN", "Y") == "Y":
            return str(item)
    return None


def bio_authors(author_list) -> list[tuple[str, str, str]]:
    return [
        (
            plain(a.get("CollectiveName") or a.get("LastName")),
            plain(a.get("ForeName")),
            plain(a.get("Initials")),
        )
        for a in author_list
    ]


def our_authors(authors) -> list[tuple[str, str, str]]:
    return [
        (squash(a.collective_name or a.last_name), squash(a.fore_name), squash(a.initials))
        for a in authors
    ]


def ours_by_pmid(path: Path) -> dict[str, Article]:
    with RecordFile(path) as records:
        return {r.pmid: r for r in records if isinstance(r, Article)}


@pytest.mark.parametrize("path", efetch_files(), ids=lambda p: p.name)
def test_litdb_agrees_with_biopython(path: Path) -> None:
    ours = ours_by_pmid(path)
    with open(path, "rb") as handle:
        theirs = Entrez.read(handle)
    compared = 0
    for record in theirs["PubmedArticle"]:
        citation = record["MedlineCitation"]
        article = citation["Article"]
        mine = ours[str(citation["PMID"])]
        journal = article["Journal"]
        assert squash(mine.title) == plain(article["ArticleTitle"])
        assert our_authors(mine.authors) == bio_authors(article.get("AuthorList", []))
        assert squash(mine.journal.title) == plain(journal.get("Title"))
        assert squash(mine.journal.iso_abbreviation) == plain(journal.get("ISOAbbreviation"))
        assert squash(mine.journal.volume) == plain(journal["JournalIssue"].get("Volume"))
        assert squash(mine.journal.issue) == plain(journal["JournalIssue"].get("Issue"))
        assert mine.year == bio_year(journal["JournalIssue"]["PubDate"])
        assert mine.doi == bio_doi(
            record.get("PubmedData", {}).get("ArticleIdList", []), article.get("ELocationID", [])
        )
        assert [(m.descriptor, m.ui, m.major) for m in mine.mesh] == [
            (
                str(h["DescriptorName"]),
                h["DescriptorName"].attributes["UI"],
                h["DescriptorName"].attributes["MajorTopicYN"] == "Y",
            )
            for h in citation.get("MeshHeadingList", [])
        ]
        assert [t.name for t in mine.publication_types] == [
            str(t) for t in article["PublicationTypeList"]
        ]
        compared += 1
    for record in theirs["PubmedBookArticle"]:
        document = record["BookDocument"]
        mine = ours[str(document["PMID"])]
        assert mine.kind == "book"
        assert squash(mine.book.title) == plain(document["Book"]["BookTitle"])
        assert squash(mine.title) == plain(
            document.get("ArticleTitle") or document["Book"]["BookTitle"]
        )
        bio_people = [a for lst in document.get("AuthorList", []) for a in lst]
        assert our_authors(mine.authors) == bio_authors(bio_people)
        assert mine.year == bio_year(document["Book"]["PubDate"])
        assert [t.name for t in mine.publication_types] == [
            str(t) for t in document.get("PublicationType", [])
        ]
        compared += 1
    assert compared == len(ours) > 0
