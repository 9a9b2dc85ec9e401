"""The tagger on small records written for these tests: explainable and deterministic."""

from __future__ import annotations

import pytest

from litdb.claims.loader import parse_claims
from litdb.claims.tagger import tag_article
from litdb.claims_file import load_claims
from litdb.records import Abstract, AbstractSection, Article, Keyword, MeshHeading

CLAIMS = load_claims()


def article(title: str, *sentences: str, mesh: tuple[str, ...] = (), keywords=()) -> Article:
    return Article(
        pmid="1",
        title=title,
        abstract=Abstract((AbstractSection(" ".join(sentences)),)) if sentences else None,
        mesh=tuple(MeshHeading(m) for m in mesh),
        keywords=tuple(Keyword(k) for k in keywords),
    )


def tags(record: Article) -> dict[str, object]:
    return {t.claim: t for t in tag_article(record, CLAIMS)}


def test_a_tag_carries_score_evidence_stance_and_version() -> None:
    record = article(
        "White matter integrity in fibromyalgia",
        "Twenty patients had diffusion tensor imaging.",
        "Fractional anisotropy was reduced in the corpus callosum of patients.",
    )
    tag = tags(record)["white-matter"]
    assert tag.applies and tag.stance == "supports" and tag.version == CLAIMS.version
    assert tag.score >= 3
    fields = [(e.field, e.kind) for e in tag.evidence]
    assert ("text", "context") in fields and ("title", "term") in fields
    finding = next(e for e in tag.evidence if e.polarity)
    assert finding.sentence.startswith("Fractional anisotropy was reduced")
    assert finding.matched.lower() == "fractional anisotropy"


def test_same_record_same_tags() -> None:
    record = article("Brain SPECT perfusion in fibromyalgia", "Perfusion was lower in patients.")
    assert tag_article(record, CLAIMS) == tag_article(record, CLAIMS)


def test_null_results_point_to_contradicts() -> None:
    for finding in (
        "There was no significant difference in cerebral blood flow between groups.",
        "Cerebral blood flow did not differ between patients and controls.",
        "Cerebral blood flow was not associated with pain.",
    ):
        record = article("Cerebral blood flow in fibromyalgia", "We used ASL MRI.", finding)
        assert tags(record)["blood-flow"].stance == "contradicts", finding


def test_without_fibromyalgia_nothing_applies_but_the_evidence_is_kept() -> None:
    record = article(
        "White matter lesions in multiple sclerosis",
        "Fractional anisotropy was reduced in normal-appearing white matter.",
        mesh=("Multiple Sclerosis", "White Matter"),
    )
    tag = tags(record)["white-matter"]
    assert not tag.applies and tag.stance == "unclear" and tag.evidence


def test_context_from_mesh_alone_is_enough() -> None:
    record = article(
        "Thalamic perfusion measured with SPECT",
        "Thalamic perfusion was reduced in patients compared with controls.",
        mesh=("Fibromyalgia",),
    )
    tag = tags(record)["blood-flow"]
    assert tag.applies
    assert tag.evidence[0].kind == "context" and tag.evidence[0].matched == "Fibromyalgia"


def test_abbreviations_are_case_sensitive_words() -> None:
    fa = article("fa in fibromyalgia", "The FAQ was completed by patients with fibromyalgia.")
    assert "white-matter" not in tags(fa)


def test_excluded_sentences_are_not_evidence() -> None:
    record = article(
        "Muscle blood flow in fibromyalgia",
        "Muscle blood flow was lower in patients during exercise.",
    )
    assert "blood-flow" not in tags(record)


def test_a_question_in_the_title_states_nothing() -> None:
    record = article(
        "Is cerebral blood flow reduced in fibromyalgia?",
        "We studied 20 patients with SPECT.",
        "Regional cerebral blood flow was similar in patients and controls.",
    )
    assert tags(record)["blood-flow"].stance == "contradicts"


def test_cues_attach_to_what_they_describe() -> None:
    record = article(
        "Perfusion and glial activation in fibromyalgia",
        "Patients with fibromyalgia had SPECT and TSPO PET.",
        "Thalamic perfusion was reduced and TSPO binding was increased compared with controls.",
    )
    found = tags(record)
    assert found["blood-flow"].stance == "supports"
    assert found["inflammation"].stance == "supports"


TRICKY = parse_claims(
    """
[[claim]]
id = "tracer"
label = "A tracer, a prefix, a phrase and abbreviations"
seed = "A sentence."
description = "Terms that start with punctuation, end in a prefix, or hold non-ASCII letters."
terms = ["(18)F-FDG", "myelin*", "white matter", "naïve T cells"]
abbreviations = ["FA", "T2-FLAIR"]
""",
    "tricky.toml",
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Uptake of (18)F-FDG was lower.", True),
        ("Uptake of 18F-FDG was lower.", False),
        ("Remyelination and demyelination were studied.", False),
        ("Myelination was studied.", True),
        ("White-matter tracts and WHITE MATTER volume.", True),
        ("Whitematter and white_matter are not the phrase.", False),
        ("Naïve T cells were counted.", True),
        ("Naïve B cells were counted.", False),
        # "İ" lower-cases to two characters: the terms are then searched in the text as written
        ("İstanbul cohort: white matter hyperintensities.", True),
        ("İstanbul cohort: grey matter only.", False),
        ("Lower FA in patients.", True),
        ("FAQ items and FA-weighted maps, fa in lower case.", False),
        ("Lesions on T2-FLAIR images.", True),
    ],
)
def test_terms_are_found_where_they_are_written_and_nowhere_else(text: str, found: bool) -> None:
    tagged = tag_article(article(text), TRICKY)
    assert bool(tagged) is found
    if found:
        assert tagged[0].evidence
