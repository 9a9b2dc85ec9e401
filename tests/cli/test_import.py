"""``litdb import`` as a user runs it: real fixture files, re-imports, deletions, bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from litdb.pubmed.files import RecordFile
from litdb.records import Article
from tests.support.cli import run_litdb
from tests.support.db import count, dump
from tests.support.fixtures import efetch_files, fixture, medline_files, requires_fixtures
from tests.support.pubmed_xml import Record, article_set

pytestmark = requires_fixtures


def distinct_pmids(paths: list[Path]) -> set[str]:
    pmids: set[str] = set()
    for path in paths:
        with RecordFile(path) as records:
            pmids.update(r.pmid for r in records if isinstance(r, Article))
    return pmids


def test_every_fixture_file_imports_and_reimporting_changes_nothing(db_path: Path) -> None:
    files = efetch_files() + medline_files()
    assert len(files) > 130
    result = run_litdb("import", "--db", str(db_path), *map(str, files))
    assert result.exit_code == 0, result.stderr
    expected = len(distinct_pmids(files))
    assert f"{expected} added" in result.stderr
    assert count(db_path, "SELECT count(*) FROM articles") == expected

    before = dump(db_path)
    again = run_litdb("import", "--db", str(db_path), *map(str, files))
    assert again.exit_code == 0
    assert "0 added, 0 updated" in again.stderr
    assert f"{expected} unchanged" in again.stderr or "unchanged" in again.stderr
    assert dump(db_path) == before


def test_medline_and_gzipped_xml_import(db_path: Path, tmp_path: Path) -> None:
    gz = tmp_path / "records.xml.gz"
    gz.write_bytes(gzip.compress(fixture("eutils/efetch/biopython-pubmed4.xml").read_bytes()))
    nbib = fixture("medline/biopython-pubmed_result2.txt")
    result = run_litdb("import", "--db", str(db_path), str(gz), str(nbib))
    assert result.exit_code == 0, result.stderr
    assert "5 added" in result.stderr
    shown = run_litdb("show", "--db", str(db_path), "16403221", "--format", "json").json()
    assert shown["title"].startswith("A high level interface to SCOP")
    assert shown["doi"] == "10.1186/1471-2105-7-10"


def test_a_changed_record_is_updated_and_an_unchanged_one_is_not(
    db_path: Path, tmp_path: Path
) -> None:
    first = tmp_path / "v1.xml"
    first.write_bytes(article_set(Record("91000001", title="First title"), Record("91000002")))
    second = tmp_path / "v2.xml"
    second.write_bytes(article_set(Record("91000001", title="Corrected title"), Record("91000002")))
    assert run_litdb("import", "--db", str(db_path), str(first)).exit_code == 0
    result = run_litdb("import", "--db", str(db_path), str(second))
    assert "0 added, 1 updated, 1 unchanged" in result.stderr
    shown = run_litdb("show", "--db", str(db_path), "91000001", "--format", "json").json()
    assert shown["title"] == "Corrected title"


def test_delete_citation_flags_records_and_keeps_the_rows(db_path: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "pubmed26n0001.xml"
    baseline.write_bytes(article_set(Record("92000001"), Record("92000002"), Record("92000003")))
    update = tmp_path / "pubmed26n1500.xml.gz"
    update.write_bytes(
        gzip.compress(article_set(Record("92000004"), deleted=("92000001", "92000003", "92999999")))
    )
    run_litdb("import", "--db", str(db_path), str(baseline))
    result = run_litdb("import", "--db", str(db_path), str(update))
    assert result.exit_code == 0
    assert "1 added, 0 updated, 0 unchanged, 2 deleted" in result.stderr
    assert count(db_path, "SELECT count(*) FROM articles") == 4
    shown = run_litdb("show", "--db", str(db_path), "92000001", "--format", "json").json()
    assert shown["status"] == "deleted"
    assert shown["title"] == "A test record"
    stats = run_litdb("stats", "--db", str(db_path), "--format", "json").json()
    assert (stats["articles"], stats["active"], stats["deleted"]) == (4, 2, 2)


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    hawc = fixture("eutils/efetch/hawc-bulk-259-records.xml").read_bytes()
    files = {
        "malformed": (b"<PubmedArticleSet><PubmedArticle></Broken></PubmedArticleSet>", "line 1"),
        "truncated": (hawc[: len(hawc) * 2 // 3], "truncated XML (line"),
        "empty": (b"", "the file is empty"),
        "not-pubmed": (b'<?xml version="1.0"?><rss><channel/></rss>', "not PubMed XML"),
        "gzip-cut": (gzip.compress(hawc)[:5000], "truncated"),
        "binary": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "neither PubMed XML nor MEDLINE"),
    }
    result = {}
    for name, (body, message) in files.items():
        path = tmp_path / f"{name}.xml"
        path.write_bytes(body)
        result[name] = (path, message)
    result["missing"] = (tmp_path / "no-such-file.xml", "cannot read: No such file")
    result["directory"] = (tmp_path, "is a directory")
    return result


@pytest.mark.parametrize(
    "kind",
    ["malformed", "truncated", "empty", "not-pubmed", "gzip-cut", "binary", "missing", "directory"],
)
def test_bad_input_gives_one_line_exit_1_and_an_unchanged_database(
    kind: str, db_path: Path, tmp_path: Path
) -> None:
    run_litdb("import", "--db", str(db_path), str(fixture("eutils/efetch/biopython-pubmed1.xml")))
    before = dump(db_path)
    path, message = _bad_files(tmp_path)[kind]
    result = run_litdb("import", "--db", str(db_path), str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"litdb: error: {path}")
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert dump(db_path) == before


def test_good_files_beside_a_bad_one_are_imported(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<PubmedArticleSet><PubmedArticle>")
    good = fixture("eutils/efetch/biopython-pubmed2.xml")
    result = run_litdb("import", "--db", str(db_path), str(bad), str(good))
    assert result.exit_code == 1
    assert "imported 1 of 2 file(s): 2 added" in result.stderr
    assert count(db_path, "SELECT count(*) FROM articles") == 2


def test_import_without_files_is_a_usage_error(db_path: Path) -> None:
    result = run_litdb("import", "--db", str(db_path))
    assert result.exit_code == 2
