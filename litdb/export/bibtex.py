"""BibTeX: one entry per record, stable unique keys, LaTeX specials escaped, UTF-8 kept."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from litdb.export.common import (
    ascii_fold,
    entry_kind,
    first_significant_word,
    month,
    page_range,
    retraction_note,
)
from litdb.records import Article, Author

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")
# Words a BibTeX style must not lower-case: acronyms and words with inner capitals (fMRI, DTI).
_KEEP_CASE = re.compile(r"\b(?=\w*[A-Z])(?:[A-Z]{2,}\w*|\w+[A-Z]\w*)\b")


def escape(text: str) -> str:
    """LaTeX's special characters escaped; everything else (accents, Greek) kept as UTF-8.

    Runs of hyphens are kept as typed ("--" would print as an en dash).
    """
    escaped = _SPECIAL.sub(_replace, text) if _SPECIAL.search(text) else text
    if "--" in escaped:
        escaped = escaped.replace("--", "-{}-").replace("--", "-{}-")
    return escaped


def _replace(found: re.Match) -> str:
    return _SPECIALS[found.group(0)]


def protect_case(text: str) -> str:
    """Braces around acronyms and mixed-case words, so styles keep "SPECT" and "fMRI"."""
    return _KEEP_CASE.sub(lambda m: "{" + m.group(0) + "}", escape(text))


def citation_keys(articles: Sequence[Article]) -> dict[str, str]:
    """PMID -> key like ``Albrecht2019brain``; a key shared by several records gets a, b, c...
    in PMID order, so the same records always get the same keys."""
    bases: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        bases[_key_base(article)].append(article.pmid)
    keys = {}
    for base, pmids in bases.items():
        ordered = sorted(pmids, key=int)
        if len(ordered) == 1:
            keys[ordered[0]] = base
        else:
            for index, pmid in enumerate(ordered):
                keys[pmid] = base + _suffix(index)
    return keys


def _suffix(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def _key_base(article: Article) -> str:
    first = article.authors[0] if article.authors else None
    name = (first.last_name or first.collective_name or "") if first else ""
    name = re.sub(r"[^A-Za-z]", "", ascii_fold(name)) or "Anonymous"
    year = str(article.year) if article.year else "nd"
    return f"{name[:1].upper()}{name[1:]}{year}{first_significant_word(article.title)}"


def _name(author: Author) -> str:
    if author.collective_name:
        return "{" + escape(author.collective_name) + "}"
    last = escape(author.last_name or "")
    if " " in last or last.lower().startswith(("van", "von", "de", "da")):
        last = "{" + last + "}"  # keep "van der Berg" as one family name
    given = author.fore_name or author.initials
    name = f"{last}, {escape(given)}" if given else last
    return f"{name}, {escape(author.suffix)}" if author.suffix and given else name


def to_bibtex(articles: Sequence[Article]) -> str:
    keys = citation_keys(articles)
    return "\n".join(_entry(article, keys[article.pmid]) for article in articles)


def _entry(article: Article, key: str) -> str:
    kind = entry_kind(article)
    fields: list[tuple[str, str]] = []

    def add(name: str, value: str | None, raw: bool = False) -> None:
        if value:
            fields.append((name, value if raw else "{" + escape(value) + "}"))

    if article.authors:
        fields.append(("author", "{" + " and ".join(_name(a) for a in article.authors) + "}"))
    if article.book and article.book.editors:
        fields.append(("editor", "{" + " and ".join(_name(a) for a in article.book.editors) + "}"))
    fields.append(("title", "{" + protect_case(article.title.rstrip(".")) + "}"))
    journal = article.journal
    if kind == "journal-article" and journal is not None:
        add("journal", journal.title or journal.iso_abbreviation)
        add("shortjournal", journal.iso_abbreviation)
        add("volume", journal.volume)
        add("number", journal.issue)
        add("issn", journal.issn)
    elif article.book is not None:
        if kind == "chapter":
            fields.append(("booktitle", "{" + protect_case(article.book.title) + "}"))
        add("publisher", article.book.publisher)
        add("address", article.book.publisher_location)
        add("edition", article.book.edition)
        add("volume", article.book.volume)
    first, last = page_range(article)
    if first:
        pages = escape(first) + (f"--{escape(last)}" if last else "")
        fields.append(("pages", "{" + pages + "}"))
    if article.year:
        fields.append(("year", "{" + str(article.year) + "}"))
    number = month(article)
    if number:
        fields.append(("month", _MONTHS[number - 1]))
    add("doi", article.doi)
    add("pmid", article.pmid)
    add("pmcid", article.pmcid)
    fields.append(("url", "{https://pubmed.ncbi.nlm.nih.gov/" + article.pmid + "/}"))
    if article.languages and article.languages[0] != "eng":
        add("language", article.languages[0])
    if article.abstract and article.abstract.text:
        add("abstract", article.abstract.text.replace("\n\n", " "))
    add("note", retraction_note(article))
    entry_type = {"journal-article": "article", "chapter": "incollection", "book": "book"}[kind]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"
