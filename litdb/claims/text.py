"""Text helpers for the tagger: term patterns, sentences, and where results are reported."""

from __future__ import annotations

import re
from collections.abc import Sequence

# A full stop ends a sentence unless it ends one of these (e.g. "vs.", "et al.", "Fig.").
_NOT_AN_END = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|et al|Fig|Figs|No|approx|ca|cf|resp|Dr|Inc|Ltd|St)|\b[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[\"'])")
_RESULT_LABEL = re.compile(
    r"result|finding|conclu|interpretation|discussion|significance|outcome|implication|summary",
    re.IGNORECASE,
)
_RESULT_CATEGORIES = frozenset({"RESULTS", "CONCLUSIONS"})
# Sentences that report what a study found, in abstracts without section labels.
_RESULT_CUE = re.compile(
    r"\b(?:we found|results? (?:showed|show|revealed|indicated?|demonstrated|suggest\w*)|"
    r"(?:showed|show|revealed|demonstrated|exhibited|displayed|observed|detected)\b|"
    r"(?:was|were) (?:significantly |markedly |not )?(?:reduced|increased|higher|lower|"
    r"decreased|elevated|different|similar|associated|correlated|found)|"
    r"(?:did|does|do) not (?:differ|show|find|reveal)|no (?:significant )?differences?|"
    r"in conclusion|these (?:findings|results|data)|our (?:findings|results|data)|"
    r"(?:patients|subjects|participants|cases) (?:had|have|showed|exhibited|displayed)|"
    r"(?:was|were|is|are) (?:not )?(?:statistically )?significant|\bp\s*[<=>]|"
    r"\d+(?:\.\d+)?\s?% of (?:patients|controls|subjects|participants|cases))",
    re.IGNORECASE,
)


class TermMatcher:
    """Finds whole-word terms in any case.

    NOTE: Python's ``re`` is about three times slower with IGNORECASE on a large alternation
    than a case-sensitive pattern on lower-cased text (measured on the fixture abstracts), so
    text is lower-cased first, unless lower-casing would change its length and so the spans.
    """

    def __init__(self, terms: Sequence[str]) -> None:
        self.fallback = compile_terms(terms)
        lowered = compile_terms([t.lower() for t in terms], flags=0)
        assert lowered is not None and self.fallback is not None
        self.lowered = lowered

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, text as written) for every match."""
        low = text.lower()
        pattern = self.lowered if len(low) == len(text) else self.fallback
        subject = low if pattern is self.lowered else text
        return [(m.start(), m.end(), text[m.start() : m.end()]) for m in pattern.finditer(subject)]

    def found_at(self, text: str, low: str, anchor: str | None) -> bool:
        """Whether a term matches in ``text`` (``low``: ``text`` lower-cased). When every term
        begins with ``anchor``, only the places where it occurs are tried: a search whose pattern
        opens with ``\\b`` tries every position of the text, which costs far more."""
        if anchor is None or len(low) != len(text):
            return self.first(text) is not None
        return matches_at(self.lowered, low, (anchor,))

    def first(self, text: str) -> str | None:
        low = text.lower()
        if len(low) == len(text):
            found = self.lowered.search(low)
            return text[found.start() : found.end()] if found else None
        found = self.fallback.search(text)
        return found.group(0) if found else None


def matches_at(pattern: re.Pattern, text: str, anchors: Sequence[str]) -> bool:
    """Whether ``pattern`` matches ``text`` at some place where one of ``anchors`` occurs: the
    same answer as ``pattern.search(text)`` when every match begins with one of them."""
    for anchor in anchors:
        start = text.find(anchor)
        while start >= 0:
            if pattern.match(text, start):
                return True
            start = text.find(anchor, start + 1)
    return False


def compile_terms(terms: Sequence[str], flags: int = re.IGNORECASE) -> re.Pattern | None:
    """One pattern for whole-word terms (any case by default); ``*`` at a term's end is a
    prefix, a space or hyphen inside a term matches either."""
    if not terms:
        return None
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        prefix = term.endswith("*")
        words = re.split(r"[\s-]+", term.rstrip("*").strip())
        body = r"[\s-]+".join(re.escape(w) for w in words if w)
        start = r"\b" if re.match(r"\w", term) else ""
        end = r"\w*" if prefix else (r"\b" if re.search(r"\w$", term.rstrip("*")) else "")
        parts.append(start + body + end)
    return re.compile("(?:" + "|".join(parts) + ")", flags)


def compile_abbreviations(abbreviations: Sequence[str]) -> re.Pattern | None:
    """Case-sensitive whole words: "FA" but not "fa" or "FAQ"."""
    if not abbreviations:
        return None
    alternatives = "|".join(re.escape(a) for a in sorted(set(abbreviations), key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")


def compile_any(patterns: Sequence[str], flags: int = re.IGNORECASE) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


def split_sentences(text: str) -> list[str]:
    pieces = _SENTENCE_END.split(text.strip())
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _NOT_AN_END.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return [s for s in sentences if s]


def is_result_section(label: str | None, category: str | None) -> bool:
    if category and category.upper() in _RESULT_CATEGORIES:
        return True
    return bool(label and _RESULT_LABEL.search(label))


def result_flags(sentences: list[str]) -> list[bool]:
    """For an abstract without section labels: sentences from the first that reports a finding
    onward, and always the last one (the conclusion)."""
    flags = []
    reporting = False
    for sentence in sentences:
        reporting = reporting or bool(_RESULT_CUE.search(sentence))
        flags.append(reporting)
    if flags:
        flags[-1] = True
    return flags


_CLAUSE_BREAK = re.compile(
    r";|,\s*(?:and|but|whereas|while|although|though|yet)\s|\s(?:but|whereas|while|although)\s",
    re.IGNORECASE,
)


def clauses(sentence: str) -> list[str]:
    """A sentence cut where its clauses may say opposite things ("..., but ...")."""
    return [c for c in _CLAUSE_BREAK.split(sentence) if c and c.strip()]
