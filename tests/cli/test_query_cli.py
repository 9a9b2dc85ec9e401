"""``litdb query`` and ``litdb export`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest

from tests.claims.evaluation import all_examples
from tests.support.cli import run_litdb
from tests.support.db import count
from tests.support.fixtures import fixture, requires_fixtures
from tests.support.pubmed_xml import Record, article_set

pytestmark = requires_fixtures

BASE = 96_000_000
CHOSEN = [
    "dti-reduced-fa-structured",  # white-matter supports, 2010
    "wm-null-dti",  # white-matter contradicts, 2011
    "spect-hypoperfusion-thalamus",  # blood-flow supports, 2012
    "rcbf-null",  # blood-flow contradicts, 2013
    "tspo-pbr28-elevated",  # inflammation supports, 2014
    "tspo-null",  # inflammation contradicts, 2015
    "spect-and-dti",  # blood-flow + white-matter, 2016
    "exercise-trial",  # none, 2017
    "review-wm-consistent",  # white-matter, Systematic Review, 2018
]
RETRACTED = str(BASE + 50)
NOTICE = str(BASE + 52)  # the retraction notice
DELETED = str(BASE + 51)


def pmid(name: str) -> str:
    return str(BASE + CHOSEN.index(name))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("query")
    examples = {e.name: e for e in all_examples()}
    records = []
    for offset, name in enumerate(CHOSEN):
        article = examples[name].article
        records.append(
            Record(
                str(BASE + offset),
                title=article.title,
                abstract=[(s.label, s.text) for s in article.abstract.sections],
                mesh=[(m.descriptor, "D000000", False) for m in article.mesh],
                year=str(2010 + offset),
                authors=[(f"Author{offset}", "Ann", "A"), ("Shared", "Sam", "SB")],
                journal="Pain Imaging" if offset % 2 else "Journal of Test Records",
                iso="Pain Imaging" if offset % 2 else "J Test Rec",
                doi=f"10.1000/test.{offset}",
                publication_types=["Journal Article", "Systematic Review"]
                if name.startswith("review")
                else ["Journal Article"],
            )
        )
    records.append(
        Record(
            RETRACTED,
            title="Retracted: white matter lesions in fibromyalgia",
            abstract=[
                (
                    None,
                    "Fibromyalgia patients had more white matter lesions than controls. "
                    "White matter lesion load was higher in patients.",
                )
            ],
            year="2019",
            publication_types=["Journal Article", "Retracted Publication"],
            corrections=[("RetractionIn", "Pain Imaging. 2020;3:1", NOTICE)],
        )
    )
    records.append(Record(DELETED, title="A withdrawn record about white matter in fibromyalgia"))
    path = folder / "corpus.xml"
    path.write_bytes(article_set(*records, deleted=(DELETED,)))
    database = folder / "litdb.sqlite"
    result = run_litdb(
        "import",
        "--db",
        str(database),
        str(path),
        str(fixture("eutils/efetch/biopython-pubmed4.xml")),
    )
    assert result.exit_code == 0, result.stderr
    return database


def query(db: Path, *args: str) -> list[dict]:
    result = run_litdb("query", "--db", str(db), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def pmids(rows: list[dict]) -> list[str]:
    return [row["pmid"] for row in rows]


def test_claim_filter_since_and_default_date_order(db: Path) -> None:
    rows = query(db, "--claim", "blood-flow", "--since", "2013")
    assert pmids(rows) == [pmid("spect-and-dti"), pmid("rcbf-null")]
    assert rows[0]["claims"] == [
        {"claim": "blood-flow", "stance": "supports", "source": "auto"},
        {"claim": "white-matter", "stance": "supports", "source": "auto"},
    ]
    assert pmids(query(db, "--claim", "blood-flow", "--until", "2012")) == [
        pmid("spect-hypoperfusion-thalamus")
    ]


def test_full_text_with_claim_and_stance(db: Path) -> None:
    rows = query(db, "diffusion tensor", "--claim", "white-matter", "--stance", "contradicts")
    assert pmids(rows) == [pmid("wm-null-dti")]
    assert rows[0]["rank"] is not None


def test_phrases_prefixes_and_boolean_operators(db: Path) -> None:
    assert set(pmids(query(db, '"translocator protein"'))) == {pmid("tspo-pbr28-elevated")}
    assert set(pmids(query(db, '"glial activation"'))) == {
        pmid("tspo-pbr28-elevated"),
        pmid("tspo-null"),
    }
    both = set(pmids(query(db, "glia* OR hypoperfusion")))
    assert {pmid("tspo-pbr28-elevated"), pmid("spect-hypoperfusion-thalamus")} <= both
    negated = set(pmids(query(db, "fibromyalgia NOT hypoperfusion")))
    assert pmid("spect-hypoperfusion-thalamus") not in negated and pmid("wm-null-dti") in negated
    assert set(pmids(query(db, "title:TSPO"))) == {pmid("tspo-null")}


def test_relevance_puts_the_title_match_first(db: Path) -> None:
    rows = query(db, "hypoperfusion thalamus")
    assert rows[0]["pmid"] == pmid("spect-hypoperfusion-thalamus")


def test_type_mesh_author_journal_and_pmid_filters(db: Path) -> None:
    assert pmids(query(db, "--type", "Systematic Review")) == [pmid("review-wm-consistent")]
    assert pmids(query(db, "--mesh", "Positron-Emission Tomography")) == [
        pmid("tspo-pbr28-elevated")
    ]
    assert pmids(query(db, "--mesh", "Fibromyalgia", "--mesh", "Diffusion Tensor Imaging")) == [
        pmid("wm-null-dti"),
        pmid("dti-reduced-fa-structured"),
    ]
    assert pmids(query(db, "--author", "Author3")) == [pmid("rcbf-null")]
    assert len(query(db, "--author", "Shared SB", "--limit", "0")) == len(CHOSEN)
    assert query(db, "--author", "Shared X") == []
    assert set(pmids(query(db, "--journal", "Pain Imaging"))) == {pmid(n) for n in CHOSEN[1::2]}
    # PMIDs alone come back in the order given (a reference list in citation order)
    assert pmids(query(db, "--pmid", pmid("rcbf-null"), "--pmid", "27797938")) == [
        pmid("rcbf-null"),
        "27797938",
    ]
    assert pmids(
        query(db, "--pmid", pmid("rcbf-null"), "--pmid", "27797938", "--sort", "date")
    ) == ["27797938", pmid("rcbf-null")]


def test_pmids_from_a_file_and_from_stdin(db: Path, tmp_path: Path) -> None:
    listing = tmp_path / "pmids.txt"
    listing.write_text(f"# my reading list\n{pmid('tspo-null')}\n\n{pmid('wm-null-dti')}\n")
    assert set(pmids(query(db, "--pmids-from", str(listing)))) == {
        pmid("tspo-null"),
        pmid("wm-null-dti"),
    }
    result = run_litdb(
        "query",
        "--db",
        str(db),
        "--pmids-from",
        "-",
        "--format",
        "pmid",
        input=f"{pmid('tspo-null')}\n",
    )
    assert result.stdout.split() == [pmid("tspo-null")]
    listing.write_text("12345\nPMC999\n")
    bad = run_litdb("query", "--db", str(db), "--pmids-from", str(listing))
    assert bad.exit_code == 1 and "line 2 is not a PMID: 'PMC999'" in bad.stderr


def test_retracted_and_deleted_records_are_left_out_unless_asked(db: Path) -> None:
    result = run_litdb("query", "--db", str(db), "white matter", "--format", "pmid")
    assert RETRACTED not in result.stdout.split() and DELETED not in result.stdout.split()
    assert "1 retracted record(s) left out (--include-retracted shows them)" in result.stderr
    assert RETRACTED in pmids(query(db, "white matter", "--include-retracted"))
    assert pmids(query(db, "--retracted-only")) == [RETRACTED]
    assert DELETED in pmids(query(db, "withdrawn", "--include-deleted"))
    table = run_litdb("query", "--db", str(db), "--retracted-only", "--format", "table")
    # marked, with the notice that retracted it
    assert f"RETRACTED (notice {NOTICE}) Retracted: white matter" in table.stdout
    as_json = query(db, "--retracted-only")
    assert [(r["retracted"], r["retracted_by"]) for r in as_json] == [(True, [NOTICE])]


def test_sort_cited_limit_offset(db: Path) -> None:
    by_date = pmids(query(db, "--limit", "0"))
    assert pmids(query(db, "--limit", "3")) == by_date[:3]
    assert pmids(query(db, "--limit", "3", "--offset", "2")) == by_date[2:5]
    cited = query(db, "--sort", "cited", "--limit", "0")
    assert [r["cited"] for r in cited] == sorted((r["cited"] for r in cited), reverse=True)


def test_output_formats(db: Path) -> None:
    table = run_litdb("query", "--db", str(db), "--claim", "inflammation", "--format", "table")
    lines = table.stdout.strip().splitlines()
    assert lines[0].split()[:4] == ["PMID", "year", "first", "author"]
    assert any("inflammation+" in line and pmid("tspo-pbr28-elevated") in line for line in lines)
    jsonl = run_litdb("query", "--db", str(db), "--claim", "inflammation", "--format", "jsonl")
    assert [json.loads(line)["pmid"] for line in jsonl.stdout.splitlines()] == [
        pmid("tspo-null"),
        pmid("tspo-pbr28-elevated"),
    ]
    default = run_litdb("query", "--db", str(db), "--claim", "inflammation")  # not a terminal
    assert default.stdout == jsonl.stdout
    csv_out = run_litdb("query", "--db", str(db), "--claim", "inflammation", "--format", "csv")
    assert csv_out.stdout.splitlines()[0] == (
        "pmid,year,first_author,title,journal,doi,claims,retracted,retracted_by,cited,cited_total"
    )
    listing = run_litdb("query", "--db", str(db), "microglia* OR PBR28", "--format", "pmid")
    assert listing.stdout.split() == [pmid("tspo-pbr28-elevated")]
    assert "litdb: 1 record(s)" in listing.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["fibromyalgia AND (mri"], 2, "'(' not closed"),
        (['"white matter'], 2, "quotation mark that is not closed"),
        (["AND"], 2, "cannot search for"),
        (["*glia"], 2, "a * may only end a word"),
        (["--claim", "white-mater"], 1, "did you mean white-matter?"),
        (["--stance", "strong"], 2, "--stance must be one of"),
        (["--sort", "relevance"], 2, "--sort relevance needs search text"),
        (["--since", "2020", "--until", "2010"], 2, "--since 2020 is after --until 2010"),
        (["--include-retracted", "--retracted-only"], 2, "exclude each other"),
        (["--pmid", "PMC123"], 2, "is not a PMID"),
    ],
)
def test_bad_queries_are_one_line_and_a_clear_exit_code(db: Path, args, code, message) -> None:
    result = run_litdb("query", "--db", str(db), *args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_user_text_never_reaches_sql(db: Path) -> None:
    for text in ("'; DROP TABLE articles; --", 'x" OR 1=1 --', "title:*"):
        run_litdb("query", "--db", str(db), text)
    assert count(db, "SELECT count(*) FROM articles") == len(CHOSEN) + 3


# -- export -------------------------------------------------------------------------------------


def test_export_bibtex_to_a_file(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "inflammation.bib"
    result = run_litdb(
        "export",
        "--db",
        str(db),
        "--claim",
        "inflammation",
        "--format",
        "bibtex",
        "-o",
        str(target),
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert f"exported 2 record(s) as bibtex to {target}" in result.stderr
    library = bibtexparser.parse_string(target.read_text(encoding="utf-8"))
    assert sorted(e.fields_dict["pmid"].value for e in library.entries) == sorted(
        [pmid("tspo-null"), pmid("tspo-pbr28-elevated")]
    )
    assert [p.name for p in tmp_path.iterdir()] == ["inflammation.bib"]


def test_export_by_pmid_in_each_format(db: Path) -> None:
    for output_format, marker in (
        ("bibtex", "@article{"),
        ("ris", "TY  - JOUR"),
        ("csljson", '"PMID"'),
        ("csv", "pmid,doi,pmcid"),
        ("text", "1. "),
        ("markdown", "1. "),
        ("html", "csl-entry"),
    ):
        result = run_litdb(
            "export",
            "--db",
            str(db),
            "--pmid",
            pmid("rcbf-null"),
            "--pmid",
            "27797938",
            "--format",
            output_format,
        )
        assert result.exit_code == 0, (output_format, result.stderr)
        assert marker in result.stdout, output_format
    csljson = run_litdb(
        "export",
        "--db",
        str(db),
        "--pmid",
        pmid("rcbf-null"),
        "--pmid",
        "27797938",
        "--format",
        "csljson",
    ).stdout
    assert [item["PMID"] for item in json.loads(csljson)] == [pmid("rcbf-null"), "27797938"]


def test_export_leaves_out_retracted_records_and_says_which(db: Path) -> None:
    result = run_litdb("export", "--db", str(db), "white matter", "--format", "ris")
    assert f"AN  - {RETRACTED}" not in result.stdout
    assert (
        "warning: left out 1 retracted record(s) (--include-retracted keeps them): "
        f"{RETRACTED} Retracted: white matter" in result.stderr
    )
    kept = run_litdb(
        "export", "--db", str(db), "white matter", "--format", "ris", "--include-retracted"
    )
    assert f"AN  - {RETRACTED}" in kept.stdout
    assert f"N1  - Retracted; see the retraction notice, PMID {BASE + 52}." in kept.stdout


def test_export_styles_friendly_and_unknown(db: Path) -> None:
    vancouver = run_litdb(
        "export", "--db", str(db), "--pmid", "27797938", "--format", "text", "--style", "vancouver"
    )
    assert vancouver.stdout.startswith("1. Bao Y, Prescott J, ")
    apa = run_litdb(
        "export", "--db", str(db), "--pmid", "27797938", "--format", "text", "--style", "apa"
    )
    assert apa.stdout.startswith("Bao, Y., Prescott, J., ")
    unknown = run_litdb(
        "export", "--db", str(db), "--pmid", "27797938", "--format", "text", "--style", "vancover"
    )
    assert unknown.exit_code == 2
    assert "unknown citation style 'vancover'" in unknown.stderr and "vancouver" in unknown.stderr


def test_a_failed_export_leaves_the_old_file_as_it_was(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.txt"
    target.write_text("my old reference list\n")
    result = run_litdb(
        "export",
        "--db",
        str(db),
        "--format",
        "text",
        "--style",
        "nonexistent-style",
        "-o",
        str(target),
    )
    assert result.exit_code == 2
    assert target.read_text() == "my old reference list\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.txt"]
    missing_folder = run_litdb("export", "--db", str(db), "-o", str(tmp_path / "no" / "x.bib"))
    assert missing_folder.exit_code == 1 and "does not exist" in missing_folder.stderr
