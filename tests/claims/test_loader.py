"""Claims are data: the built-in file loads; a broken file is refused with a precise message."""

from __future__ import annotations

import re

import pytest

from litdb.claims.loader import ClaimsError, parse_claims
from litdb.claims_file import default_claims_file, load_claims

GOOD = """
[[claim]]
id = "gut-brain"
label = "Gut microbes change the brain"
seed = "A sentence."
description = "A description."
terms = ["microbiome", "microbiota"]
"""


def test_the_built_in_claims_cover_the_seed_article() -> None:
    claims = load_claims()
    assert claims.ids == ("white-matter", "blood-flow", "inflammation")
    seed = default_claims_file().parents[1] / ".." / "shared" / "seed" / "article.txt"
    for claim in claims.claims:
        assert claim.label and claim.description and claim.seed
        assert claim.context_mesh == ("Fibromyalgia",)
        assert claim.terms and claim.supports
    if seed.exists():
        article = " ".join(seed.read_text(encoding="utf-8").split())
        for claim in claims.claims:
            assert claim.seed in article, claim.id
    assert re.fullmatch(r"[0-9a-f]{12}", claims.version)


def test_a_file_that_extends_the_defaults_adds_and_replaces(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('extends = "default"\n' + GOOD, encoding="utf-8")
    claims = load_claims(path)
    assert claims.ids == ("white-matter", "blood-flow", "inflammation", "gut-brain")
    assert claims.version != load_claims().version
    alone = tmp_path / "alone.toml"
    alone.write_text(GOOD, encoding="utf-8")
    assert load_claims(alone).ids == ("gut-brain",)


def test_the_version_changes_when_a_definition_changes() -> None:
    first = parse_claims(GOOD, "a.toml")
    second = parse_claims(GOOD.replace('"microbiota"', '"microbiota", "probiotic*"'), "a.toml")
    assert first.version != second.version
    assert parse_claims(GOOD, "b.toml").version == first.version


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[claim]\nid = 1", "mine.toml: not valid TOML: "),
        (
            GOOD.replace("terms =", "termz ="),
            "mine.toml: claim 'gut-brain': unknown key(s) 'termz'",
        ),
        (GOOD + GOOD, "mine.toml: claim 'gut-brain': the id is defined twice"),
        (
            GOOD + "exclude = ['(unclosed']\n",
            "mine.toml: claim 'gut-brain': 'exclude' pattern '(unclosed' is not a valid regular "
            "expression",
        ),
        (
            GOOD.replace('seed = "A sentence."\n', ""),
            "mine.toml: claim 'gut-brain': 'seed' is missing",
        ),
        (GOOD.replace('id = "gut-brain"', 'id = "Gut Brain"'), "the id must be lower-case"),
        (
            GOOD.replace('terms = ["microbiome", "microbiota"]', "terms = []"),
            "give at least one of",
        ),
        (
            GOOD.replace('terms = ["microbiome", "microbiota"]', 'terms = "microbiome"'),
            "'terms' must be a list of non-empty strings",
        ),
        ("colour = 'blue'\n" + GOOD, "mine.toml: unknown top-level key(s) 'colour'"),
        ("", "mine.toml: defines no claim"),
        ("null_cues = ['[a-']\n" + GOOD, "mine.toml: top level: 'null_cues' pattern '[a-'"),
    ],
)
def test_a_broken_claims_file_names_the_file_the_claim_and_the_problem(text, message) -> None:
    with pytest.raises(ClaimsError) as caught:
        parse_claims(text, "mine.toml")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
