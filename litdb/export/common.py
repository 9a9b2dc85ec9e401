"""What every bibliography format needs from a record: names, pages, dates, notices."""

from __future__ import annotations

import re
import unicodedata

from litdb.pubmed.dates import month_number
from litdb.records import Article, Author, Correction

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def given_name(author: Author) -> str | None:
    return author.fore_name or author.initials


def page_range(article: Article) -> tuple[str | None, str | None]:
    """First and last page, expanding MEDLINE's short form ("113-25" is 113-125)."""
    p = article.pagination
    if p.start_page:
        return p.start_page, p.end_page
    if not p.medline_pgn:
        return None, None
    first, _, last = p.medline_pgn.partition("-")
    first, last = first.strip(), last.strip()
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first or None, last or None


def pages_text(article: Article, dash: str = "-") -> str | None:
    first, last = page_range(article)
    if first and last:
        return f"{first}{dash}{last}"
    return first


def month(article: Article) -> int | None:
    return month_number(article.pub_date.month) or month_number(article.pub_date.season)


def day(article: Article) -> int | None:
    value = article.pub_date.day
    return int(value) if value and value.isdigit() else None


def retraction_notice(article: Article) -> Correction | None:
    return next((c for c in article.corrections if c.ref_type == "RetractionIn"), None)


def retraction_note(article: Article) -> str | None:
    """The note a retracted record carries in an export, or None."""
    if not article.retracted:
        return None
    notice = retraction_notice(article)
    if notice and notice.pmid:
        return f"Retracted; see the retraction notice, PMID {notice.pmid}."
    if notice and notice.source:
        return f"Retracted; see the retraction notice: {notice.source}."
    return "Retracted publication."


def ascii_fold(text: str) -> str:
    """ "Müller" -> "Muller": for citation keys, which many LaTeX set-ups need in ASCII."""
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode("ascii")
    )


_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "with",
        "from",
        "by",
        "is",
        "are",
        "was",
        "were",
        "as",
        "into",
        "via",
        "vs",
        "versus",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
    ]
)


_WORD = re.compile(r"\w+")


def first_significant_word(title: str) -> str:
    for word in _WORD.findall(title):
        folded = re.sub(r"[^A-Za-z0-9]", "", ascii_fold(word)).lower()
        if folded and folded not in _STOP_WORDS:
            return folded
    return ""


def entry_kind(article: Article) -> str:
    """journal-article, chapter or book."""
    if article.kind == "book" and article.book is not None:
        chapter = article.title and article.title != article.book.title
        return "chapter" if chapter else "book"
    return "journal-article"
