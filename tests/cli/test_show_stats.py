"""``litdb show``, ``litdb stats`` and ``litdb db``: what a user reads back after an import."""

from __future__ import annotations

from pathlib import Path

import pytest
from Bio import Entrez

from tests.support.cli import run_litdb
from tests.support.fixtures import fixture, requires_fixtures

pytestmark = requires_fixtures

CONTRACT_KEYS = {
    "pmid",
    "version",
    "status",
    "title",
    "abstract",
    "abstract_sections",
    "authors",
    "journal",
    "pages",
    "year",
    "pub_date",
    "doi",
    "pmcid",
    "language",
    "publication_types",
    "mesh",
    "keywords",
    "corrections",
    "references",
    "retracted",
}


@pytest.fixture
def loaded(db_path: Path) -> Path:
    files = [
        "eutils/efetch/biopython-pubmed4.xml",
        "eutils/efetch/biopython-pubmed7.xml",
        "eutils/efetch/metapub-book-20301577.xml",
        "eutils/efetch/metapub-collective-23435529.xml",
        "eutils/efetch/biopython-pubmed1.xml",
    ]
    result = run_litdb("import", "--db", str(db_path), *(str(fixture(f)) for f in files))
    assert result.exit_code == 0, result.stderr
    return db_path


def test_show_json_has_the_contract_keys_with_values_from_the_record(loaded: Path) -> None:
    shown = run_litdb("show", "--db", str(loaded), "27797938", "--format", "json")
    assert shown.exit_code == 0
    data = shown.json()
    assert set(data) >= CONTRACT_KEYS
    with open(fixture("eutils/efetch/biopython-pubmed4.xml"), "rb") as handle:
        bio = Entrez.read(handle)["PubmedArticle"][0]
    article = bio["MedlineCitation"]["Article"]
    assert data["pmid"] == "27797938"
    assert data["status"] == "active"
    assert data["year"] == 2017
    assert data["doi"] == "10.1136/gutjnl-2016-312510"
    assert data["pmcid"] == "PMC5442267"
    assert data["language"] == "eng"
    assert data["journal"]["issn"] == str(article["Journal"]["ISSN"])
    assert data["journal"]["volume"] == str(article["Journal"]["JournalIssue"]["Volume"])
    assert [a["last_name"] for a in data["authors"]] == [
        str(a["LastName"]) for a in article["AuthorList"]
    ]
    assert set(data["authors"][0]) >= {
        "last_name",
        "fore_name",
        "initials",
        "collective_name",
        "orcid",
        "affiliations",
    }
    assert [s["label"] for s in data["abstract_sections"]] == [
        "OBJECTIVE",
        "DESIGN",
        "RESULTS",
        "CONCLUSIONS",
    ]
    assert data["abstract"].startswith("OBJECTIVE: ")
    assert {"descriptor", "ui", "major", "qualifiers"} <= set(data["mesh"][0])
    comment = next(c for c in data["corrections"] if c["type"] == "CommentIn")
    assert comment == {
        "type": "CommentIn",
        "pmid": "27920200",
        "source": comment["source"],
        "note": None,
    }
    assert data["retracted"] is False


def test_show_json_lists_reference_pmids_in_order(loaded: Path) -> None:
    data = run_litdb("show", "--db", str(loaded), "29963580", "--format", "json").json()
    assert len(data["references"]) == 49
    assert all(p.isdigit() for p in data["references"])
    assert any(
        a["collective_name"] == "Canadian Respiratory Research Network" for a in data["authors"]
    )


def test_show_text_is_readable(loaded: Path) -> None:
    shown = run_litdb("show", "--db", str(loaded), "20301577")
    assert shown.exit_code == 0
    assert "CACNA1C-Related Disorders" in shown.stdout
    assert "GeneReviews®" in shown.stdout
    assert "Editors: Adam MP" in shown.stdout
    assert "CLINICAL CHARACTERISTICS:" in shown.stdout


def test_show_raw_prints_the_record_as_pubmed_sent_it(loaded: Path) -> None:
    shown = run_litdb("show", "--db", str(loaded), "12091962", "--raw")
    assert shown.stdout.startswith("<PubmedArticle>")
    assert '<PMID Version="1">12091962</PMID>' in shown.stdout


def test_show_unknown_pmid_and_bad_pmid(loaded: Path) -> None:
    missing = run_litdb("show", "--db", str(loaded), "99999999")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (
        "litdb: error: PMID 99999999 is not in the database (add it with 'litdb import' or "
        "'litdb refresh')"
    )
    bad = run_litdb("show", "--db", str(loaded), "PMC123")
    assert bad.exit_code == 2
    assert "is not a PMID" in bad.stderr


def test_stats_counts_and_years(loaded: Path) -> None:
    data = run_litdb("stats", "--db", str(loaded), "--format", "json").json()
    assert data["articles"] == 6
    assert data["books"] == 1
    assert data["deleted"] == 0
    assert sum(data["by_year"].values()) == data["active"] == 6
    assert data["by_year"]["1990"] == 1
    text = run_litdb("stats", "--db", str(loaded)).stdout
    assert "articles       6" in text


def test_db_current_and_upgrade(db_path: Path) -> None:
    fresh = run_litdb("db", "current", "--db", str(db_path))
    assert fresh.exit_code == 0
    assert "revision none" in fresh.stdout
    upgraded = run_litdb("db", "upgrade", "--db", str(db_path))
    assert "upgraded from an empty database to revision" in upgraded.stdout
    again = run_litdb("db", "upgrade", "--db", str(db_path))
    assert "already at revision" in again.stdout
    now = run_litdb("db", "current", "--db", str(db_path))
    assert "(head)" in now.stdout


def test_database_from_environment_and_global_option(tmp_path: Path) -> None:
    env_db = tmp_path / "from-env.sqlite"
    result = run_litdb(
        "import", str(fixture("eutils/efetch/biopython-pubmed2.xml")), env={"LITDB_DB": str(env_db)}
    )
    assert result.exit_code == 0
    assert env_db.exists()
    global_db = tmp_path / "global.sqlite"
    result = run_litdb("--db", str(global_db), "stats", "--format", "json")
    assert result.json()["articles"] == 0
    assert global_db.exists()


def test_default_database_lives_in_the_user_data_directory(tmp_path: Path) -> None:
    result = run_litdb("import", str(fixture("eutils/efetch/biopython-pubmed2.xml")))
    assert result.exit_code == 0
    assert list((tmp_path / "xdg-data").rglob("litdb.sqlite"))


def test_unreachable_database_url_is_one_clear_line(tmp_path: Path) -> None:
    result = run_litdb("stats", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/litdb")
    assert result.exit_code == 1
    assert result.stderr.startswith("litdb: error: cannot")
    assert len(result.stderr.strip().splitlines()) == 1
