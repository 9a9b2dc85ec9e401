"""CSL-JSON: the citation data format of Zotero and citeproc processors."""

from __future__ import annotations

import json
from collections.abc import Sequence

from litdb.export.common import PUBMED_URL, day, entry_kind, month, pages_text, retraction_note
from litdb.records import Article, Author

_TYPES = {"journal-article": "article-journal", "chapter": "chapter", "book": "book"}


def _name(author: Author) -> dict:
    if author.collective_name:
        return {"literal": author.collective_name}
    name = {"family": author.last_name or ""}
    given = author.fore_name or author.initials
    if given:
        name["given"] = given
    if author.suffix:
        name["suffix"] = author.suffix
    return name


def csl_item(article: Article) -> dict:
    kind = entry_kind(article)
    item: dict = {"id": article.pmid, "type": _TYPES[kind], "title": article.title}
    if article.authors:
        item["author"] = [_name(a) for a in article.authors]
    journal = article.journal
    if kind == "journal-article" and journal is not None:
        item["container-title"] = journal.title or journal.iso_abbreviation
        if journal.iso_abbreviation:
            item["container-title-short"] = journal.iso_abbreviation
        if journal.volume:
            item["volume"] = journal.volume
        if journal.issue:
            item["issue"] = journal.issue
        if journal.issn:
            item["ISSN"] = journal.issn
    elif article.book is not None:
        if kind == "chapter":
            item["container-title"] = article.book.title
        if article.book.editors:
            item["editor"] = [_name(a) for a in article.book.editors]
        for key, value in (
            ("publisher", article.book.publisher),
            ("publisher-place", article.book.publisher_location),
            ("edition", article.book.edition),
        ):
            if value:
                item[key] = value
        if article.book.isbns:
            item["ISBN"] = article.book.isbns[0]
    pages = pages_text(article)
    if pages:
        item["page"] = pages
    if article.year:
        parts = [article.year]
        if (m := month(article)) is not None:
            parts.append(m)
            if (d := day(article)) is not None:
                parts.append(d)
        item["issued"] = {"date-parts": [parts]}
    if article.doi:
        item["DOI"] = article.doi
    item["PMID"] = article.pmid
    if article.pmcid:
        item["PMCID"] = article.pmcid
    item["URL"] = PUBMED_URL.format(pmid=article.pmid)
    if article.languages:
        item["language"] = article.languages[0]
    if article.abstract and article.abstract.text:
        item["abstract"] = article.abstract.text
    note = retraction_note(article)
    if note:
        item["note"] = note
    return item


def to_csljson(articles: Sequence[Article]) -> str:
    return json.dumps([csl_item(a) for a in articles], ensure_ascii=False, indent=2) + "\n"
