"""The tagger: which claims a record bears on, why, and which way its results point.

Pure and deterministic: the same record and the same claim definitions always give the same
tags. For each claim the tagger scores the evidence (MeSH headings, title and keyword terms,
abstract sentences), requires the claim's context (fibromyalgia, by MeSH or by text), and reads
the stance from the result and conclusion sentences that speak about the claim: a null-result
cue ("no significant difference", "did not differ", "was not associated") points to
``contradicts``, the claim's own cues point either way; both kinds together give ``mixed``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from litdb.claims.model import Claim, ClaimSet, CompiledClaim, Evidence, Tag
from litdb.claims.text import (
    TermMatcher,
    clauses,
    compile_abbreviations,
    compile_any,
    compile_terms,
    is_result_section,
    matches_at,
    result_flags,
    split_sentences,
)
from litdb.records import Article

TITLE_WEIGHT = 3.0
KEYWORD_WEIGHT = 2.0
MESH_WEIGHT = 2.0
MAJOR_MESH_BONUS = 1.0
SENTENCE_WEIGHT = 1.0
ABBREVIATION_WEIGHT = 0.5
ABSTRACT_CAP = 6.0
KEYWORD_CAP = 4.0
SENTENCE_LIMIT = 500  # characters of a sentence kept as evidence


@dataclass(frozen=True)
class Sentence:
    field: str
    text: str
    is_result: bool


def compile_claim(claim: Claim) -> CompiledClaim:
    hinted: dict[bytes, list[str]] = defaultdict(list)
    prefixed: dict[str, list[str]] = defaultdict(list)
    unhinted: list[str] = []
    for term in claim.terms:
        hint = _first_word(term)
        if not hint:
            unhinted.append(term)
        elif _is_prefix_only(term):
            prefixed[hint].append(term)
        else:
            hinted[hint.encode("ascii")].append(term)
    return CompiledClaim(
        claim=claim,
        terms=TermMatcher(claim.terms) if claim.terms else None,
        abbreviations=compile_abbreviations(claim.abbreviations),
        patterns=tuple(compile_any([p]) for p in claim.patterns),
        exclude=compile_any(claim.exclude),
        supports=compile_any(claim.supports),
        contradicts=compile_any(claim.contradicts),
        context_terms=compile_terms(claim.context_terms),
        requires=compile_any(claim.requires),
        measures=compile_any(claim.measures),
        mesh=frozenset(m.lower() for m in claim.mesh),
        context_mesh=frozenset(m.lower() for m in claim.context_mesh),
        hinted_terms={
            hint: (TermMatcher(terms), _anchor(hint.decode("ascii"), terms))
            for hint, terms in hinted.items()
        },
        prefixed_terms=tuple(
            (prefix, TermMatcher(terms), _anchor(prefix, terms))
            for prefix, terms in sorted(prefixed.items())
        ),
        unhinted_terms=TermMatcher(unhinted) if unhinted else None,
        abbreviation_words=tuple(
            (a, a.lower().encode("ascii") if _PLAIN_WORD.fullmatch(a) else None)
            for a in sorted(set(claim.abbreviations))
        ),
    )


_WORDS = re.compile(r"[a-z0-9]+")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")
# Every byte but a-z and 0-9 separates words: the same words as ``_WORDS`` finds in lower-cased
# text (UTF-8 bytes of other characters are never ASCII letters), several times faster.
_SEPARATORS = bytes(b if b in b"abcdefghijklmnopqrstuvwxyz0123456789" else 32 for b in range(256))


def words_of(lowered: str, among: frozenset[bytes]) -> set[bytes]:
    """The ``[a-z0-9]+`` words of lower-cased text that are ``among`` the given ones (ASCII):
    the claims' hint words and abbreviations."""
    return among.intersection(
        lowered.encode("utf-8", "surrogatepass").translate(_SEPARATORS).split()
    )


def _anchor(hint: str, terms: list[str]) -> str | None:
    """``hint`` if every term begins with it (in any case), else None."""
    return hint if all(t.lower().startswith(hint) for t in terms) else None


def _first_word(term: str) -> str:
    words = _WORDS.findall(term.lower())
    return words[0] if words else ""


def _is_prefix_only(term: str) -> bool:
    """A one-word term ending in * ("microglia*"): its hint is a prefix, not a whole word."""
    return term.endswith("*") and len(_WORDS.findall(term.lower())) == 1


@dataclass(frozen=True)
class _Cues:
    null: re.Pattern | None
    support: re.Pattern | None
    neutral: re.Pattern | None
    mixed: re.Pattern | None


def compile_claims(claims: ClaimSet) -> None:
    """Compile the claims' patterns now rather than when the first record is tagged (a
    parser process does it while it waits for its first records)."""
    _compiled(claims)


@lru_cache(maxsize=8)
def _compiled(claims: ClaimSet) -> tuple[tuple[CompiledClaim, ...], _Cues, frozenset[bytes]]:
    """The compiled claims, the cues, and the words the first look asks about."""
    cues = _Cues(
        compile_any(claims.null_cues),
        compile_any(claims.support_cues),
        compile_any(claims.neutral_cues),
        compile_any(claims.mixed_cues),
    )
    compiled = tuple(compile_claim(c) for c in claims.claims)
    words = {w for c in compiled for w in c.hinted_terms}
    words.update(w for c in compiled for _, w in c.abbreviation_words if w is not None)
    return compiled, cues, frozenset(words)


def tag_article(article: Article, claims: ClaimSet) -> list[Tag]:
    """Tags for every claim the record shows any evidence about (``applies`` says which count)."""
    compiled, cues, hints = _compiled(claims)
    mesh = {m.descriptor.lower(): m.major for m in article.mesh}
    keywords = [k.keyword for k in article.keywords]
    abstract_text = " ".join(s.text for s in article.abstract.sections) if article.abstract else ""
    whole = " ".join([article.title, abstract_text, *keywords])
    lowered = whole.lower()
    words = words_of(lowered, hints)
    sentences: list[Sentence] | None = None
    tags = []
    for claim in compiled:
        if not _may_apply(claim, whole, lowered, words, mesh):
            continue
        if sentences is None:
            sentences = _sentences(article)
        tag = _tag(claim, claims.version, cues, sentences, mesh, keywords, whole, article)
        if tag is not None:
            tags.append(tag)
    return tags


def tag_articles(articles: Iterable[Article], claims: ClaimSet) -> dict[str, list[Tag]]:
    return {a.pmid: tag_article(a, claims) for a in articles}


def _may_apply(
    claim: CompiledClaim, whole: str, lowered: str, words: set[bytes], mesh: dict[str, bool]
) -> bool:
    """A cheap first look: any term, abbreviation, pattern or MeSH heading at all.

    Only the terms whose first words the text holds are searched: a large alternation regex
    costs Python's ``re`` far more than a few small ones, and most records of a big file mention
    no claim at all.
    """
    if claim.mesh and not claim.mesh.isdisjoint(mesh):
        return True
    if claim.terms is not None and _any_term(claim, whole, lowered, words):
        return True
    if claim.abbreviations is not None:
        present = [a for a, word in claim.abbreviation_words if word is None or word in words]
        if present and matches_at(claim.abbreviations, whole, present):
            return True
    return any(p.search(whole) for p in claim.patterns)


def _any_term(claim: CompiledClaim, whole: str, lowered: str, words: set[bytes]) -> bool:
    groups = [claim.hinted_terms[w] for w in words.intersection(claim.hinted_terms)]
    groups += [(m, anchor) for prefix, m, anchor in claim.prefixed_terms if prefix in lowered]
    if groups and claim.unhinted_terms is not None:
        groups.append((claim.unhinted_terms, None))
    return any(matcher.found_at(whole, lowered, anchor) for matcher, anchor in groups)


def _sentences(article: Article) -> list[Sentence]:
    """Title and abstract sentences; a title states a finding unless it asks a question."""
    title = article.title.strip()
    found = [Sentence("title", title, not title.endswith("?"))] if title else []
    if article.abstract is None:
        return found
    sections = article.abstract.sections
    labelled = any(s.label or s.category for s in sections)
    for section in sections:
        parts = split_sentences(section.text)
        if labelled:
            flag = is_result_section(section.label, section.category)
            found += [Sentence("abstract", p, flag) for p in parts]
        else:
            found += [
                Sentence("abstract", p, f) for p, f in zip(parts, result_flags(parts), strict=True)
            ]
    return found


def _context(
    claim: CompiledClaim, whole: str, mesh: dict[str, bool], article: Article
) -> Evidence | None:
    heading = next((m for m in claim.context_mesh if m in mesh), None)
    if heading is not None:
        name = next(m.descriptor for m in article.mesh if m.descriptor.lower() == heading)
        return Evidence("mesh", "context", name, name)
    if claim.context_terms is not None:
        found = claim.context_terms.search(whole)
        if found:
            return Evidence("text", "context", found.group(0), found.group(0))
    if not claim.context_mesh and claim.context_terms is None:
        return Evidence("text", "context", "", "")  # a claim without a required context
    return None


def _matches(claim: CompiledClaim, text: str) -> tuple[str | None, str]:
    """The first thing in ``text`` that speaks about the claim, and what kind of thing it is."""
    if claim.terms is not None and (found := claim.terms.first(text)) is not None:
        return found, "term"
    for pattern in claim.patterns:
        if found := pattern.search(text):
            return found.group(0), "pattern"
    if claim.abbreviations is not None and (found := claim.abbreviations.search(text)):
        return found.group(0), "abbreviation"
    return None, ""


_CLAUSE_HEAD = re.compile(
    r"\s*(?:and\s+|or\s+)?(?:(?:was|were|is|are)\s+)?(?:(?:not|significantly|markedly)\s+)*(\S+)",
    re.IGNORECASE,
)


def _elliptical(claim: CompiledClaim, cues: _Cues, clause: str) -> bool:
    """A clause that goes on about the sentence's subject without naming it ("..., but reduced
    in the cerebellum"): its first word is one of the stance cues."""
    head = _CLAUSE_HEAD.match(clause)
    if head is None:
        return False
    word = head.group(1)
    return any(
        pattern is not None and pattern.match(word)
        for pattern in (claim.supports, claim.contradicts)
    )


def _polarity(claim: CompiledClaim, cues: _Cues, sentence: str) -> str | None:
    """supports / contradicts / mixed for the clauses of ``sentence`` that speak of the claim.

    A null-result cue counts for its whole clause; the claim's own cues count only where they
    are attached to a mention of the claim ("reduced FA", "perfusion was lower"), so "lower
    perfusion predicted higher pain" is not read as higher perfusion. Clauses about change over
    time (after a treatment) or hypotheses say nothing either way.
    """
    seen: set[str] = set()
    for clause in clauses(sentence):
        elliptical = _elliptical(claim, cues, clause)
        mentions = _mentions(claim, clause)
        if not mentions and not elliptical:
            continue
        if elliptical:
            mentions.append((0, 0))
        if cues.neutral is not None and cues.neutral.search(clause):
            continue
        if cues.null is not None and cues.null.search(clause):
            seen.add("contradicts")
            continue
        if cues.mixed is not None and cues.mixed.search(clause):
            seen.update(("supports", "contradicts"))
            continue
        if _attached(claim.contradicts, clause, mentions):
            seen.add("contradicts")
        if _attached(claim.supports, clause, mentions) or (
            cues.support is not None and cues.support.search(clause)
        ):
            seen.add("supports")
    if len(seen) == 2:
        return "mixed"
    return next(iter(seen), None)


def _mentions(claim: CompiledClaim, text: str) -> list[tuple[int, int]]:
    spans = [(start, end) for start, end, _ in claim.terms.spans(text)] if claim.terms else []
    for pattern in (claim.abbreviations, claim.measures, *claim.patterns):
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(text)]
    return spans


_LINK = re.compile(
    r"\b(?:was|were|is|are|be|been|being|remained|appeared|became|seemed|tended|showed|had)\b",
    re.IGNORECASE,
)
_BREAK = re.compile(r"[,;:]|\b(?:and|but|while|whereas|although|or|than|predicted|versus)\b", re.I)


def _attached(cue: re.Pattern | None, clause: str, mentions: list[tuple[int, int]]) -> bool:
    """Whether a cue stands next to a mention: just before it ("reduced FA"), inside it, or
    after it across a linking verb ("FA in the thalamus was reduced")."""
    if cue is None:
        return False
    for found in cue.finditer(clause):
        start, end = found.span()
        for m_start, m_end in mentions:
            if start < m_end and m_start < end:
                return True  # the cue spans the mention itself ("hypoperfusion")
            if end <= m_start:
                gap = clause[end:m_start]
                if len(gap.split()) <= 3 and not _BREAK.search(gap):
                    return True
            elif m_end <= start:
                gap = clause[m_end:start]
                words = len(gap.split())
                if words == 0:
                    return True
                # a break is fine inside the mention's noun phrase ("IL-8 and IL-6 were
                # raised"), not after the mention already had its own verb ("FA was reduced
                # and MD was raised" does not attach "raised" to FA)
                breaks = list(_BREAK.finditer(gap))
                before = gap[: breaks[-1].start()] if breaks else ""
                if words <= 8 and _LINK.search(gap) and not _LINK.search(before):
                    return True
    return False


def _tag(
    claim: CompiledClaim,
    version: str,
    cues: _Cues,
    sentences: Sequence[Sentence],
    mesh: dict[str, bool],
    keywords: list[str],
    whole: str,
    article: Article,
) -> Tag | None:
    evidence: list[Evidence] = []
    score = 0.0
    for heading in sorted(claim.mesh & mesh.keys()):
        score += MESH_WEIGHT + (MAJOR_MESH_BONUS if mesh[heading] else 0.0)
        name = next(m.descriptor for m in article.mesh if m.descriptor.lower() == heading)
        evidence.append(Evidence("mesh", "mesh", name, name))
    keyword_score = 0.0
    for keyword in keywords:
        matched, kind = _matches(claim, keyword)
        if matched and kind != "abbreviation":
            keyword_score += KEYWORD_WEIGHT
            evidence.append(Evidence("keywords", kind, matched, keyword))
    score += min(keyword_score, KEYWORD_CAP)
    abstract_score = 0.0
    polarities: list[str] = []
    for sentence in sentences:
        matched, kind = _matches(claim, sentence.text)
        stated = sentence.is_result and not sentence.text.rstrip().endswith("?")
        if matched is None:
            # a result sentence may speak of the claim's measure without naming the claim
            polarity = _polarity(claim, cues, sentence.text) if stated else None
            if polarity:
                polarities.append(polarity)
                text = sentence.text[:SENTENCE_LIMIT]
                evidence.append(Evidence(sentence.field, "measure", "", text, polarity))
            continue
        if claim.exclude is not None and claim.exclude.search(sentence.text):
            continue
        if sentence.field == "title":
            score += TITLE_WEIGHT if kind != "abbreviation" else SENTENCE_WEIGHT
        else:
            abstract_score += _sentence_weight(claim, sentence.text, kind)
        polarity = _polarity(claim, cues, sentence.text) if stated else None
        if polarity:
            polarities.append(polarity)
        evidence.append(
            Evidence(sentence.field, kind, matched, sentence.text[:SENTENCE_LIMIT], polarity)
        )
    score += min(abstract_score, ABSTRACT_CAP)
    if score == 0:
        return None
    context = _context(claim, whole, mesh, article)
    anchored = (
        claim.requires is None
        or claim.requires.search(whole) is not None
        or any(claim.requires.search(m) for m in mesh)
    )
    applies = context is not None and anchored and score >= claim.claim.threshold
    if context is not None and context.matched:
        evidence.insert(0, context)
    stance = _stance(polarities) if applies else "unclear"
    return Tag(claim.claim.id, applies, round(score, 2), stance, version, tuple(evidence))


def _sentence_weight(claim: CompiledClaim, text: str, kind: str) -> float:
    """One per sentence that names the claim, half more for each further distinct term (at most
    two in all); a sentence with abbreviations only counts half for each, at most one."""
    if kind == "abbreviation":
        assert claim.abbreviations is not None
        distinct = {m.group(0) for m in claim.abbreviations.finditer(text)}
        return min(ABBREVIATION_WEIGHT * len(distinct), SENTENCE_WEIGHT)
    distinct = {found.lower() for _, _, found in claim.terms.spans(text)} if claim.terms else set()
    return min(SENTENCE_WEIGHT + 0.5 * max(len(distinct) - 1, 0), 2 * SENTENCE_WEIGHT)


def _stance(polarities: list[str]) -> str:
    supports = any(p in ("supports", "mixed") for p in polarities)
    contradicts = any(p in ("contradicts", "mixed") for p in polarities)
    if supports and contradicts:
        return "mixed"
    if supports:
        return "supports"
    if contradicts:
        return "contradicts"
    return "unclear"
