"""Claims and the tags the tagger gives records: plain frozen dataclasses, no I/O."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litdb.claims.text import TermMatcher

STANCES = ("supports", "contradicts", "mixed", "unclear")


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the seed article, and how to recognise evidence about it.

    ``terms`` are matched case-insensitively as whole words or phrases (``*`` ends a prefix);
    ``abbreviations`` case-sensitively as whole words; ``patterns`` are regular expressions.
    ``exclude`` patterns veto a match in the sentence they occur in; ``requires`` patterns, one
    of which must occur somewhere in the record, anchor ambiguous terms ("perfusion" of the
    brain, not of a fingertip). ``supports`` and ``contradicts`` are cues that, in a result or
    conclusion sentence about the claim, point to the study's stance on it; ``measures`` name
    what such a sentence may speak of without naming the claim ("binding was elevated").
    """

    id: str
    label: str
    seed: str
    description: str
    context_mesh: tuple[str, ...] = ()
    context_terms: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    contradicts: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    threshold: float = 3.0


@dataclass(frozen=True)
class ClaimSet:
    claims: tuple[Claim, ...]
    version: str  # a hash of the definitions; every tag records the version that made it
    source: str
    null_cues: tuple[str, ...] = ()
    support_cues: tuple[str, ...] = ()
    neutral_cues: tuple[str, ...] = ()
    mixed_cues: tuple[str, ...] = ()

    def to_json(self) -> str:
        """The definitions as JSON, to hand them to a parser process unchanged."""
        data = asdict(self)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> ClaimSet:
        data = json.loads(text)
        claims = tuple(
            Claim(**{k: tuple(v) if isinstance(v, list) else v for k, v in c.items()})
            for c in data.pop("claims")
        )
        return cls(
            claims=claims, **{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        )

    def get(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.claims)


@dataclass(frozen=True)
class Evidence:
    """Why a tag was given: which field, which text matched, the sentence it came from, and
    (for result and conclusion sentences) the stance that sentence points to."""

    field: str  # title, abstract, mesh, keywords
    kind: str  # term, mesh, abbreviation, pattern, context
    matched: str
    sentence: str
    polarity: str | None = None  # supports / contradicts / None


@dataclass(frozen=True)
class Tag:
    claim: str
    applies: bool
    score: float
    stance: str
    version: str
    evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True)
class CompiledClaim:
    """A claim with its patterns compiled once, for tagging many records."""

    claim: Claim
    terms: TermMatcher | None
    abbreviations: re.Pattern | None
    patterns: tuple[re.Pattern, ...]
    exclude: re.Pattern | None
    supports: re.Pattern | None
    contradicts: re.Pattern | None
    context_terms: re.Pattern | None
    requires: re.Pattern | None
    measures: re.Pattern | None
    mesh: frozenset[str]
    context_mesh: frozenset[str]
    # A term can match a text only if the text holds the term's first word (its hint, as ASCII
    # bytes: see ``litdb.claims.tagger.words_of``) or, for a one-word prefix term, a word that
    # starts with it; so the first look searches only the terms whose hints the text holds.
    # Each group of terms comes with the text they all begin with, if they do (see
    # ``TermMatcher.found_at``).
    hinted_terms: dict[bytes, tuple[TermMatcher, str | None]]
    prefixed_terms: tuple[tuple[str, TermMatcher, str | None], ...]
    unhinted_terms: TermMatcher | None  # terms without an ASCII word: searched with any hint
    # Each abbreviation, and the word a text holds wherever it matches (lower-cased, as ASCII
    # bytes), if it is made of letters and digits only.
    abbreviation_words: tuple[tuple[str, bytes | None], ...]
