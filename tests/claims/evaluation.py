"""The tagger measured on litdb's labelled evaluation sets (tests/claims/round*.toml).

Rounds 1 to 3 were each used to improve the tagger after being measured; round 4 was written
after the last change and never used to tune it. ``python -m tests.claims.evaluation`` prints the
tables the README quotes; the accuracy test fails when a figure falls below its bar.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from litdb.claims.model import ClaimSet
from litdb.claims.tagger import tag_article
from litdb.claims_file import load_claims
from litdb.records import Abstract, AbstractSection, Article, Keyword, MeshHeading

HERE = Path(__file__).parent
ROUNDS = tuple(sorted(HERE.glob("round*.toml")))


@dataclass(frozen=True)
class Example:
    name: str
    article: Article
    expect: dict[str, str]


@dataclass
class ClaimScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    stance_right: int = 0

    @property
    def precision(self) -> float:
        tagged = self.true_positives + self.false_positives
        return self.true_positives / tagged if tagged else 1.0

    @property
    def recall(self) -> float:
        relevant = self.true_positives + self.false_negatives
        return self.true_positives / relevant if relevant else 1.0

    @property
    def stance_accuracy(self) -> float:
        return self.stance_right / self.true_positives if self.true_positives else 1.0


def load_examples(path: Path) -> list[Example]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    examples = []
    for number, entry in enumerate(data["example"], start=1):
        if "sections" in entry:
            sections = tuple(AbstractSection(text, label) for label, text in entry["sections"])
        else:
            sections = (AbstractSection(entry["abstract"]),)
        article = Article(
            pmid=f"{path.stem}-{number}",
            title=entry["title"],
            abstract=Abstract(sections),
            mesh=tuple(MeshHeading(m) for m in entry.get("mesh", [])),
            keywords=tuple(Keyword(k) for k in entry.get("keywords", [])),
        )
        examples.append(Example(entry["name"], article, dict(entry["expect"])))
    return examples


def evaluate(claims: ClaimSet, examples: list[Example]) -> tuple[dict[str, ClaimScore], list[str]]:
    """Scores per claim, and a line for every disagreement (for a reader fixing the tagger)."""
    scores = {claim_id: ClaimScore() for claim_id in claims.ids}
    misses: list[str] = []
    for example in examples:
        tags = {t.claim: t for t in tag_article(example.article, claims) if t.applies}
        for claim_id, score in scores.items():
            expected = example.expect.get(claim_id)
            tag = tags.get(claim_id)
            if expected and tag:
                score.true_positives += 1
                if tag.stance == expected:
                    score.stance_right += 1
                else:
                    misses.append(
                        f"{example.name}: {claim_id} stance {tag.stance}, expected {expected}"
                    )
            elif tag:
                score.false_positives += 1
                misses.append(
                    f"{example.name}: {claim_id} tagged (score {tag.score}), not expected"
                )
            elif expected:
                score.false_negatives += 1
                misses.append(f"{example.name}: {claim_id} expected ({expected}), not tagged")
    return scores, misses


def report(scores: dict[str, ClaimScore]) -> str:
    lines = [
        f"{'claim':<14}{'precision':>10}{'recall':>8}{'stance':>8}{'tagged':>8}{'expected':>10}"
    ]
    for claim_id, s in scores.items():
        lines.append(
            f"{claim_id:<14}{s.precision:>10.2f}{s.recall:>8.2f}{s.stance_accuracy:>8.2f}"
            f"{s.true_positives + s.false_positives:>8}{s.true_positives + s.false_negatives:>10}"
        )
    return "\n".join(lines)


def all_examples() -> list[Example]:
    return [example for path in ROUNDS for example in load_examples(path)]


if __name__ == "__main__":
    claims = load_claims()
    for path in ROUNDS:
        examples = load_examples(path)
        scores, misses = evaluate(claims, examples)
        print(f"{path.name}: {len(examples)} examples")
        print(report(scores))
        for miss in misses:
            print("  " + miss)
        print()
    everything = all_examples()
    scores, _ = evaluate(claims, everything)
    print(f"all rounds: {len(everything)} examples")
    print(report(scores))
