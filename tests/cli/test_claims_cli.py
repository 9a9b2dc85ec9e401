"""Claims through the CLI: tags on import, the views, and curation that is never lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litdb.claims.tagger import tag_article
from litdb.claims_file import load_claims
from tests.claims.evaluation import all_examples
from tests.support.cli import run_litdb
from tests.support.db import count, dump
from tests.support.pubmed_xml import Record, article_set

FIRST_PMID = 94_000_000
CHOSEN = [
    "dti-reduced-fa-structured",
    "wm-null-dti",
    "spect-hypoperfusion-thalamus",
    "rcbf-null",
    "tspo-pbr28-elevated",
    "tspo-null",
    "spect-and-dti",
    "exercise-trial",
    "serum-cytokines",
    "ms-dti",
]


def records(overrides: dict[str, str] | None = None) -> list[Record]:
    examples = {e.name: e for e in all_examples()}
    built = []
    for offset, name in enumerate(CHOSEN):
        article = examples[name].article
        built.append(
            Record(
                str(FIRST_PMID + offset),
                title=(overrides or {}).get(name, article.title),
                abstract=[(s.label, s.text) for s in article.abstract.sections],
                mesh=[(m.descriptor, "D000000", False) for m in article.mesh],
                year=str(2010 + offset),
            )
        )
    return built


def pmid(name: str) -> str:
    return str(FIRST_PMID + CHOSEN.index(name))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "fm.xml"
    path.write_bytes(article_set(*records()))
    return path


@pytest.fixture
def tagged_db(db_path: Path, corpus: Path) -> Path:
    result = run_litdb("import", "--db", str(db_path), str(corpus))
    assert result.exit_code == 0, result.stderr
    return db_path


def show(db_path: Path, number: str) -> dict:
    result = run_litdb("show", "--db", str(db_path), number, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def claim_of(data: dict, claim: str) -> dict | None:
    return next((c for c in data["claims"] if c["claim"] == claim), None)


def test_import_tags_each_record_with_evidence_and_stance(tagged_db: Path) -> None:
    data = show(tagged_db, pmid("dti-reduced-fa-structured"))
    [tag] = data["claims"]
    assert set(tag) >= {"claim", "source", "stance", "score", "evidence", "note"}
    assert (tag["claim"], tag["source"], tag["stance"]) == ("white-matter", "auto", "supports")
    assert tag["score"] >= 3 and tag["note"] is None
    findings = [e for e in tag["evidence"] if e["polarity"] == "supports"]
    assert any("lower FA" in e["sentence"] for e in findings)
    assert show(tagged_db, pmid("exercise-trial"))["claims"] == []
    assert show(tagged_db, pmid("ms-dti"))["claims"] == []
    both = {c["claim"]: c["stance"] for c in show(tagged_db, pmid("spect-and-dti"))["claims"]}
    assert both == {"white-matter": "supports", "blood-flow": "supports"}


def test_claims_lists_counts_that_match_the_tagger(tagged_db: Path) -> None:
    claims = load_claims()
    expected: dict[str, dict[str, int]] = {c: {} for c in claims.ids}
    for record in all_examples():
        if record.name in CHOSEN:
            for tag in tag_article(record.article, claims):
                if tag.applies:
                    expected[tag.claim][tag.stance] = expected[tag.claim].get(tag.stance, 0) + 1
    data = run_litdb("claims", "--db", str(tagged_db), "--format", "json").json()
    assert data["version"] == claims.version
    for entry in data["claims"]:
        stances = {s: n for s, n in entry["by_stance"].items() if n}
        assert stances == expected[entry["id"]]
        assert entry["records"] == sum(stances.values())
        assert entry["curated"] == 0
    table = run_litdb("claims", "--db", str(tagged_db)).stdout
    assert re.search(r"white-matter\s+3\s+2\s+1\s+0\s+0\s+0\s+White matter", table)


def test_claims_show_gives_definition_seed_and_strongest_evidence(tagged_db: Path) -> None:
    data = run_litdb(
        "claims", "show", "inflammation", "--db", str(tagged_db), "--format", "json"
    ).json()
    assert data["id"] == "inflammation"
    assert "chronic inflammation in the brain" in data["seed"]
    assert "TSPO" in data["terms"] and data["context"]["mesh"] == ["Fibromyalgia"]
    assert [e["pmid"] for e in data["evidence"]] == [pmid("tspo-pbr28-elevated"), pmid("tspo-null")]
    assert data["evidence"][1]["stance"] == "contradicts"
    text = run_litdb("claims", "show", "inflammation", "--db", str(tagged_db)).stdout
    assert text.startswith("inflammation: Chronic inflammation in the brain")
    assert "Strongest evidence" in text


def test_tag_and_untag_record_the_curator_and_win_everywhere(tagged_db: Path) -> None:
    env = {"LITDB_CURATOR": "Dr Curator"}
    number = pmid("tspo-null")
    result = run_litdb(
        "tag",
        "--db",
        str(tagged_db),
        number,
        "inflammation",
        "--stance",
        "mixed",
        "--note",
        "binding lower only after correction",
        env=env,
    )
    assert result.exit_code == 0
    assert result.stderr.strip() == (
        f"PMID {number}: tagged inflammation (mixed) by Dr Curator: binding lower only after "
        "correction"
    )
    tag = claim_of(show(tagged_db, number), "inflammation")
    assert (tag["source"], tag["stance"], tag["curator"]) == ("curated", "mixed", "Dr Curator")
    assert tag["note"] == "binding lower only after correction"
    assert tag["auto"] == {
        "applies": True,
        "stance": "contradicts",
        "version": load_claims().version,
    }

    untagged = pmid("spect-hypoperfusion-thalamus")
    assert (
        run_litdb(
            "untag", "--db", str(tagged_db), untagged, "blood-flow", "--note", "no", env=env
        ).exit_code
        == 0
    )
    tag = claim_of(show(tagged_db, untagged), "blood-flow")
    assert (tag["applies"], tag["source"], tag["stance"]) == (False, "curated", None)
    data = run_litdb("claims", "--db", str(tagged_db), "--format", "json").json()
    counts = {c["id"]: c for c in data["claims"]}
    assert counts["inflammation"]["by_stance"]["mixed"] == 1
    assert counts["inflammation"]["curated"] == 1
    assert counts["blood-flow"]["untagged_by_curators"] == 1
    assert counts["blood-flow"]["records"] == 2  # rcbf-null and spect-and-dti remain


def test_tag_without_stance_confirms_the_tagger(tagged_db: Path) -> None:
    number = pmid("wm-null-dti")
    run_litdb("tag", "--db", str(tagged_db), number, "white-matter")
    assert claim_of(show(tagged_db, number), "white-matter")["stance"] == "contradicts"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["tag", "99999999", "inflammation"], 1, "PMID 99999999 is not in the database"),
        (["tag", pmid("tspo-null"), "inflamation"], 1, "did you mean inflammation?"),
        (["untag", pmid("tspo-null"), "grey-matter"], 1, "no claim 'grey-matter'"),
        (["tag", pmid("tspo-null"), "inflammation", "--stance", "maybe"], 2, "--stance must be"),
        (["tag", "abc", "inflammation"], 2, "is not a PMID"),
    ],
)
def test_bad_curation_is_refused_and_writes_nothing(tagged_db: Path, args, code, message) -> None:
    before = dump(tagged_db)
    result = run_litdb(*args, "--db", str(tagged_db))
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert dump(tagged_db) == before


def _curate_two(db: Path) -> None:
    run_litdb(
        "tag",
        "--db",
        str(db),
        pmid("exercise-trial"),
        "white-matter",
        "--stance",
        "unclear",
        "--note",
        "mentions white matter in the full text",
    )
    run_litdb(
        "untag",
        "--db",
        str(db),
        pmid("dti-reduced-fa-structured"),
        "white-matter",
        "--note",
        "duplicate cohort",
    )


def _curated(db: Path) -> list[tuple]:
    import sqlite3

    connection = sqlite3.connect(db)
    try:
        return connection.execute(
            "SELECT pmid, claim_id, decision, stance, note, curator, created_at FROM curations "
            "ORDER BY id"
        ).fetchall()
    finally:
        connection.close()


def test_curation_survives_reimport_of_changed_records(tagged_db: Path, tmp_path: Path) -> None:
    _curate_two(tagged_db)
    before = _curated(tagged_db)
    changed = tmp_path / "changed.xml"
    changed.write_bytes(
        article_set(*records({"dti-reduced-fa-structured": "White matter in fibromyalgia, v2"}))
    )
    result = run_litdb("import", "--db", str(tagged_db), str(changed))
    assert "1 updated" in result.stderr
    assert _curated(tagged_db) == before
    data = show(tagged_db, pmid("dti-reduced-fa-structured"))
    assert data["title"] == "White matter in fibromyalgia, v2"
    tag = claim_of(data, "white-matter")
    assert (tag["applies"], tag["source"], tag["note"]) == (False, "curated", "duplicate cohort")
    assert claim_of(show(tagged_db, pmid("exercise-trial")), "white-matter")["source"] == "curated"


def test_curation_survives_retag_and_a_broken_claims_file_changes_nothing(
    tagged_db: Path, tmp_path: Path
) -> None:
    _curate_two(tagged_db)
    curated = _curated(tagged_db)
    broken = tmp_path / "broken.toml"
    broken.write_text('extends = "default"\n[[claim]]\nid = "white-matter"\n', encoding="utf-8")
    before = dump(tagged_db)
    result = run_litdb("retag", "--db", str(tagged_db), "--claims", str(broken))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"litdb: error: {broken}: claim 'white-matter': 'label' is missing or not text"
    )
    assert dump(tagged_db) == before

    narrower = tmp_path / "narrower.toml"
    narrower.write_text(
        '[[claim]]\nid = "white-matter"\nlabel = "WM"\nseed = "s"\ndescription = "d"\n'
        'context = { mesh = ["Fibromyalgia"] }\nterms = ["white matter"]\n',
        encoding="utf-8",
    )
    result = run_litdb("retag", "--db", str(tagged_db), "--claims", str(narrower))
    assert result.exit_code == 0 and "retagged 10 records" in result.stderr
    assert _curated(tagged_db) == curated
    data = run_litdb(
        "claims", "--db", str(tagged_db), "--claims", str(narrower), "--format", "json"
    ).json()
    assert [c["id"] for c in data["claims"]] == ["white-matter"]
    assert claim_of(show(tagged_db, pmid("exercise-trial")), "white-matter")["source"] == "curated"
    assert claim_of(show(tagged_db, pmid("tspo-null")), "inflammation") is None  # not a claim now


def test_user_claims_from_the_environment_extend_the_defaults(
    tagged_db: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        'extends = "default"\n[[claim]]\nid = "exercise"\nlabel = "Exercise helps"\n'
        'seed = "s"\ndescription = "d"\ncontext = { mesh = ["Fibromyalgia"] }\n'
        'terms = ["aerobic exercise", "exercise"]\nsupports = [\'\\bimproved\\b\']\n',
        encoding="utf-8",
    )
    env = {"LITDB_CLAIMS": str(mine)}
    assert run_litdb("retag", "--db", str(tagged_db), env=env).exit_code == 0
    data = run_litdb("claims", "--db", str(tagged_db), "--format", "json", env=env).json()
    counts = {c["id"]: c["records"] for c in data["claims"]}
    assert counts["exercise"] == 1 and counts["white-matter"] == 3
    stale = run_litdb("claims", "--db", str(tagged_db))
    assert "were made with other claim definitions; run 'litdb retag'" in stale.stderr


def test_curation_survives_a_refresh_that_updates_the_record(tagged_db: Path, corpus: Path) -> None:
    from tests.support.eutils_server import StandIn

    _curate_two(tagged_db)
    before = _curated(tagged_db)
    server = StandIn()
    server.add_efetch_body(article_set(*records({"dti-reduced-fa-structured": "Refreshed title"})))
    server.default_search = sorted(server.records)
    url = server.start()
    try:
        result = run_litdb(
            "refresh", "--db", str(tagged_db), env={"LITDB_EUTILS_URL": url, "NCBI_API_KEY": "k"}
        )
    finally:
        server.stop()
    assert result.exit_code == 0, result.stderr
    assert "1 updated" in result.stderr
    assert _curated(tagged_db) == before
    tag = claim_of(show(tagged_db, pmid("dti-reduced-fa-structured")), "white-matter")
    assert (tag["source"], tag["applies"]) == ("curated", False)


def test_curation_survives_a_migration_that_rebuilds_the_articles_table(tagged_db: Path) -> None:
    """SQLite migrations rebuild tables in batch mode; litdb switches foreign keys off while
    they run, so the rebuild cannot cascade into (or be refused by) the curated rows."""
    import sqlalchemy as sa
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    from litdb.db import migrate
    from litdb.db.engine import create_db_engine

    _curate_two(tagged_db)
    curated = _curated(tagged_db)
    articles = count(tagged_db, "SELECT count(*) FROM articles")
    tags = count(tagged_db, "SELECT count(*) FROM claim_tags")
    engine = create_db_engine(f"sqlite:///{tagged_db}")

    def rebuild(config) -> None:
        operations = Operations(MigrationContext.configure(config.attributes["connection"]))
        with operations.batch_alter_table("articles", recreate="always") as batch:
            batch.add_column(sa.Column("scratch", sa.Integer(), nullable=True))

    migrate._run(engine, rebuild)
    engine.dispose()
    assert _curated(tagged_db) == curated
    assert count(tagged_db, "SELECT count(*) FROM articles") == articles
    assert count(tagged_db, "SELECT count(*) FROM claim_tags") == tags
