"""RIS, as Zotero, EndNote and Mendeley read it: one record per TY ... ER block."""

from __future__ import annotations

from collections.abc import Sequence

from litdb.export.common import PUBMED_URL, day, entry_kind, month, page_range, retraction_note
from litdb.records import Article, Author

_TYPES = {"journal-article": "JOUR", "chapter": "CHAP", "book": "BOOK"}


def _name(author: Author) -> str:
    if author.collective_name:
        return author.collective_name
    given = author.fore_name or author.initials
    name = f"{author.last_name}, {given}" if given else (author.last_name or "")
    return f"{name}, {author.suffix}" if author.suffix else name


def _line(tag: str, value: str | None) -> str | None:
    if not value:
        return None
    return f"{tag}  - {' '.join(str(value).split())}"


def to_ris(articles: Sequence[Article]) -> str:
    return "".join(_record(article) for article in articles)


def _record(article: Article) -> str:
    kind = entry_kind(article)
    lines = [_line("TY", _TYPES[kind])]
    lines += [_line("AU", _name(a)) for a in article.authors]
    if article.book:
        lines += [_line("A2", _name(a)) for a in article.book.editors]
    lines.append(_line("TI", article.title))
    journal = article.journal
    if kind == "journal-article" and journal is not None:
        lines.append(_line("T2", journal.title or journal.iso_abbreviation))
        lines.append(_line("J2", journal.iso_abbreviation))
        lines.append(_line("VL", journal.volume))
        lines.append(_line("IS", journal.issue))
        lines.append(_line("SN", journal.issn))
    elif article.book is not None:
        if kind == "chapter":
            lines.append(_line("T2", article.book.title))
        lines.append(_line("PB", article.book.publisher))
        lines.append(_line("CY", article.book.publisher_location))
        lines.append(_line("ET", article.book.edition))
        lines += [_line("SN", isbn) for isbn in article.book.isbns]
    first, last = page_range(article)
    lines.append(_line("SP", first))
    lines.append(_line("EP", last))
    if article.year:
        lines.append(_line("PY", str(article.year)))
        m, d = month(article), day(article)
        lines.append(
            _line(
                "DA",
                f"{article.year}/{m:02d}/{d:02d}/"
                if m and d
                else f"{article.year}/{m:02d}//"
                if m
                else f"{article.year}///",
            )
        )
    lines.append(_line("DO", article.doi))
    lines.append(_line("AN", article.pmid))
    lines.append(_line("DB", "PubMed"))
    lines.append(_line("UR", PUBMED_URL.format(pmid=article.pmid)))
    lines.append(_line("C2", article.pmcid))
    lines += [_line("LA", language) for language in article.languages]
    lines += [_line("KW", m.descriptor) for m in article.mesh]
    lines += [_line("KW", k.keyword) for k in article.keywords]
    if article.abstract:
        lines.append(_line("AB", article.abstract.text))
    lines.append(_line("N1", retraction_note(article)))
    lines.append("ER  - ")
    return "\n".join(line for line in lines if line) + "\n\n"
