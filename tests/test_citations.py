"""Citations: edges from ReferenceList, CommentsCorrections and elink; counts; corrections
alerts; snowballing. Run as a user runs them, against the E-utilities stand-in."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from Bio import Entrez
from lxml import etree
from sqlalchemy import update

from litdb.db.engine import open_database
from litdb.db.models import LinkCheckRow
from tests.support.cli import run_litdb
from tests.support.db import count
from tests.support.eutils_server import Fault, StandIn
from tests.support.fixtures import fixture, requires_fixtures
from tests.support.pubmed_xml import Record, article_set

pytestmark = requires_fixtures

TODAY = datetime.now(UTC).date()
QUERY = "fibromyalgia AND brain (citation tests)"
BASE = 97_000_000

# Records the tagger gives the white-matter claim to (fibromyalgia + DTI findings).
WM_ABSTRACT = [
    ("BACKGROUND", "Fibromyalgia is a chronic pain condition."),
    (
        "RESULTS",
        "Diffusion tensor imaging showed reduced fractional anisotropy in the white matter "
        "of patients with fibromyalgia compared with healthy controls.",
    ),
]


def wm_record(pmid: int, **fields) -> Record:
    return Record(
        str(pmid),
        title=fields.pop("title", "White matter integrity in fibromyalgia"),
        abstract=fields.pop("abstract", WM_ABSTRACT),
        mesh=[("Fibromyalgia", "D005356", True)],
        **fields,
    )


def serve(server: StandIn, *records: Record) -> list[str]:
    return server.add_efetch_body(article_set(*records))


@pytest.fixture
def server():
    stand_in = StandIn()
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def env_for(server: StandIn, db_path: Path) -> dict[str, str]:
    return {
        "LITDB_EUTILS_URL": server.url,
        "LITDB_DB": str(db_path),
        "NCBI_API_KEY": "citation-test-key",
        "LITDB_RETRIES": "3",
    }


def refresh(server: StandIn, db_path: Path, *args: str):
    return run_litdb("refresh", "--query", QUERY, "--quiet", *args, env=env_for(server, db_path))


def litdb(server: StandIn, db_path: Path, *args: str):
    return run_litdb(*args, env=env_for(server, db_path))


def pmid_lines(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def recorded_links(path: Path) -> dict[tuple[str, str], list[str]]:
    """What a recorded elink answer says, read with Biopython's parser where it can (it refuses
    the metapub file's plain-http DTD address) and with a bare XPath otherwise."""
    found: dict[tuple[str, str], list[str]] = {}
    try:
        with path.open("rb") as handle:
            for link_set in Entrez.read(handle):
                for db in link_set["LinkSetDb"]:
                    for source in link_set["IdList"]:
                        found[(str(source), db["LinkName"])] = [
                            str(link["Id"]) for link in db["Link"]
                        ]
    except ValueError:
        root = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
        for link_set in root.iterfind("LinkSet"):
            for db in link_set.iterfind("LinkSetDb"):
                for source in link_set.iterfind("IdList/Id"):
                    found[(source.text.strip(), db.findtext("LinkName"))] = [
                        i.text.strip() for i in db.iterfind("Link/Id")
                    ]
    return found


# -- elink ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elink_file", "pmid"),
    [("biopython-elink1.xml", "9298984"), ("metapub-related-14873513.xml", "14873513")],
)
def test_refresh_stores_exactly_the_refs_and_citedin_sets_elink_gives(
    server, db_path, elink_file, pmid
):
    path = fixture(f"eutils/elink/{elink_file}")
    server.add_elink_file(path)
    serve(server, wm_record(int(pmid)))
    server.searches[QUERY] = [pmid]
    result = refresh(server, db_path)
    assert result.exit_code == 0, result.stderr
    assert "citation links for 1;" in result.stderr

    expected = recorded_links(path)
    refs = expected.get((pmid, "pubmed_pubmed_refs"), [])
    citedin = expected.get((pmid, "pubmed_pubmed_citedin"), [])
    assert citedin, "the fixture has citing records"
    cites = pmid_lines(litdb(server, db_path, "cites", pmid, "--format", "pmid"))
    cited_by = pmid_lines(litdb(server, db_path, "cited-by", pmid, "--format", "pmid"))
    assert sorted(cites) == sorted(refs) and len(cites) == len(set(refs))
    assert sorted(cited_by) == sorted(citedin)
    # and nothing of the other link names (related articles, reviews, ...) became a citation
    related = set(expected[(pmid, "pubmed_pubmed")]) - set(refs) - set(citedin)
    assert related and not related & (set(cites) | set(cited_by))

    links = litdb(server, db_path, "cited-by", pmid, "--format", "json").json()
    assert {tuple(link["sources"]) for link in links} == {("elink_citedin",)}
    assert all(link["seen_at"] and not link["in_corpus"] for link in links)
    shown = litdb(server, db_path, "show", pmid, "--format", "json").json()
    assert shown["citations"] == {
        "cited_by_in_corpus": 0,
        "cited_by_total": len(citedin),
        "cites_in_corpus": 0,
        "cites_total": len(set(refs)),
    }
    [elink] = server.requests("elink")
    assert elink.method == "POST" and elink.params["id"] == [pmid]
    assert elink.params["linkname"] == ["pubmed_pubmed_refs,pubmed_pubmed_citedin"]


def test_links_cost_one_request_per_hundred_records_each_pmid_its_own_id(server, db_path):
    records = [wm_record(BASE + i) for i in range(230)]
    server.searches[QUERY] = serve(server, *records)
    for i in range(0, 230, 2):  # every other record cites the next
        server.links[(str(BASE + i), "pubmed_pubmed_refs")] = [str(BASE + i + 1)]
    result = refresh(server, db_path)
    assert result.exit_code == 0, result.stderr
    elinks = server.requests("elink")
    assert len(elinks) == math.ceil(230 / 100)
    assert [len(r.params["id"]) for r in elinks] == [100, 100, 30]
    assert all("," not in i for r in elinks for i in r.params["id"])
    # in-corpus citations now rank records
    ranked = litdb(server, db_path, "query", "--sort", "cited", "--limit", "3", "--format", "json")
    rows = ranked.json()
    assert [(r["cited"], r["cited_total"]) for r in rows] == [(1, 1)] * 3
    assert all(int(r["pmid"]) % 2 == 1 for r in rows)  # the cited ones


def test_a_refresh_that_changes_nothing_asks_elink_nothing(server, db_path):
    server.searches[QUERY] = serve(server, wm_record(BASE + 1))
    assert refresh(server, db_path).exit_code == 0
    server.log.clear()
    again = refresh(server, db_path)
    assert again.exit_code == 0, again.stderr
    assert [r.endpoint for r in server.log] == ["esearch", "esearch"]
    assert "citation links for 0;" in again.stderr


def test_links_older_than_thirty_days_are_asked_again_and_replace_only_elinks_word(server, db_path):
    cited_in_list = str(BASE + 500)
    record = wm_record(BASE + 1, references=[("Pain. 2001;1:1-2.", cited_in_list)])
    server.searches[QUERY] = serve(server, record)
    server.links[(str(BASE + 1), "pubmed_pubmed_refs")] = [str(BASE + 600), str(BASE + 601)]
    server.links[(str(BASE + 1), "pubmed_pubmed_citedin")] = [str(BASE + 700)]
    assert refresh(server, db_path).exit_code == 0
    first = litdb(server, db_path, "cites", str(BASE + 1), "--format", "json").json()
    assert {(r["pmid"], tuple(r["sources"])) for r in first} == {
        (cited_in_list, ("reference_list",)),
        (str(BASE + 600), ("elink_refs",)),
        (str(BASE + 601), ("elink_refs",)),
    }

    # NCBI now says something else; the record itself is unchanged
    server.links[(str(BASE + 1), "pubmed_pubmed_refs")] = [str(BASE + 601), cited_in_list]
    server.links[(str(BASE + 1), "pubmed_pubmed_citedin")] = []
    database = open_database(f"sqlite:///{db_path}")
    with database.session() as session, session.begin():
        session.execute(
            update(LinkCheckRow).values(checked_at=datetime.now(UTC) - timedelta(days=31))
        )
    database.close()
    server.log.clear()
    again = refresh(server, db_path)
    assert again.exit_code == 0, again.stderr
    assert len(server.requests("elink")) == 1
    second = litdb(server, db_path, "cites", str(BASE + 1), "--format", "json").json()
    assert {(r["pmid"], tuple(r["sources"])) for r in second} == {
        (cited_in_list, ("reference_list", "elink_refs")),
        (str(BASE + 601), ("elink_refs",)),
    }
    gone = litdb(server, db_path, "cited-by", str(BASE + 1), "--format", "pmid")
    assert gone.stdout == "" and "0 record(s) citing" in gone.stderr


@pytest.mark.parametrize("kind", ["429", "503", "error", "truncated", "not-xml", "drop"])
def test_elink_faults_are_survived_with_the_same_result(server, db_path, kind):
    server.searches[QUERY] = serve(server, wm_record(BASE + 1), wm_record(BASE + 2))
    server.links[(str(BASE + 1), "pubmed_pubmed_citedin")] = [str(BASE + 2), str(BASE + 800)]
    server.faults.append(Fault("elink", kind, times=2))
    result = refresh(server, db_path)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests("elink")) == 3  # two broken answers, then the real one
    cited_by = litdb(server, db_path, "cited-by", str(BASE + 1), "--format", "json").json()
    assert {(r["pmid"], r["in_corpus"]) for r in cited_by} == {
        (str(BASE + 2), True),
        (str(BASE + 800), False),
    }
    assert count(db_path, "SELECT count(*) FROM link_checks") == 2


def test_elink_that_keeps_failing_ends_the_run_partial_with_records_kept(server, db_path):
    server.searches[QUERY] = serve(server, wm_record(BASE + 1))
    server.faults.append(Fault("elink", "503", times=10))
    result = refresh(server, db_path)
    assert result.exit_code == 3
    assert "partial: citation links stopped (records are kept)" in result.stderr
    assert count(db_path, "SELECT count(*) FROM articles") == 1
    assert count(db_path, "SELECT count(*) FROM citation_links") == 0
    server.faults.clear()
    # the next run asks again for the links it could not get (never checked)
    assert refresh(server, db_path).exit_code == 0
    assert count(db_path, "SELECT count(*) FROM link_checks") == 1


def test_no_links_flag_sends_no_elink(server, db_path):
    server.searches[QUERY] = serve(server, wm_record(BASE + 1))
    assert refresh(server, db_path, "--no-links").exit_code == 0
    assert server.requests("elink") == []


# -- the record's own citations -------------------------------------------------------------


def test_reference_list_pmids_become_citations_exactly(db_path):
    path = fixture("eutils/efetch/biopython-pubmed7.xml")
    with path.open("rb") as handle:
        [article] = Entrez.read(handle)["PubmedArticle"]
    pmid = str(article["MedlineCitation"]["PMID"])
    expected = []
    for reference_list in article["PubmedData"]["ReferenceList"]:
        for reference in reference_list["Reference"]:
            ids = [
                str(i)
                for i in reference.get("ArticleIdList", [])
                if i.attributes["IdType"] == "pubmed"
            ]
            expected += ids
    assert expected
    env = {"LITDB_DB": str(db_path)}
    assert run_litdb("import", str(path), "--quiet", env=env).exit_code == 0
    cites = run_litdb("cites", pmid, "--format", "pmid", env=env)
    assert pmid_lines(cites) == expected  # in ReferenceList order
    one = expected[0]
    cited_by = run_litdb("cited-by", one, "--in-corpus", "--format", "pmid", env=env)
    assert pmid_lines(cited_by) == [pmid]
    table = run_litdb("cites", pmid, env=env)
    assert table.stdout.splitlines()[1].startswith(f"{one:<9}")
    assert f"{len(expected)} reference(s) of {pmid}: 0 in the corpus" in table.stderr


def test_comments_corrections_cites_are_citations_and_unknown_pmids_are_refused(db_path):
    citing = Record(str(BASE + 1), corrections=[("Cites", "Brain. 2010;1:1", str(BASE + 2))])
    cited = Record(str(BASE + 2), title="The cited record")
    source = db_path.with_name("records.xml")
    source.write_bytes(article_set(citing, cited))
    env = {"LITDB_DB": str(db_path)}
    assert run_litdb("import", str(source), "--quiet", env=env).exit_code == 0
    found = run_litdb("cites", str(BASE + 1), "--format", "json", env=env).json()
    assert [(r["pmid"], r["sources"], r["in_corpus"], r["title"]) for r in found] == [
        (str(BASE + 2), ["comments_corrections"], True, "The cited record")
    ]
    unknown = run_litdb("cites", "12", env=env)
    assert unknown.exit_code == 1
    assert "PMID 12 is not in the database and no stored citation links to it" in unknown.stderr
    bad = run_litdb("cited-by", "abc", env=env)
    assert bad.exit_code == 2
    assert bad.stderr == "litdb: error: 'abc' is not a PMID (a PMID is a positive whole number)\n"


# -- corrections ------------------------------------------------------------------------------


def test_a_tagged_record_newly_retracted_or_corrected_raises_an_alert(server, db_path):
    tagged, other, corrected = BASE + 1, BASE + 2, BASE + 3
    server.searches[QUERY] = serve(
        server,
        wm_record(tagged),
        Record(str(other), title="A record about something else"),
        wm_record(corrected, title="Fractional anisotropy in fibromyalgia"),
    )
    assert refresh(server, db_path, "--no-links").exit_code == 0
    shown = litdb(server, db_path, "show", str(tagged), "--format", "json").json()
    assert [c["claim"] for c in shown["claims"]] == ["white-matter"]

    notice = str(BASE + 900)
    serve(
        server,
        wm_record(
            tagged, corrections=[("RetractionIn", "Pain. 2024;2:2", notice)], revised="2025-01-01"
        ),
        Record(
            str(other),
            title="A record about something else",
            corrections=[("RetractionIn", "X. 2024;1:1", str(BASE + 901))],
            revised="2025-01-01",
        ),
        wm_record(
            corrected,
            title="Fractional anisotropy in fibromyalgia",
            corrections=[("ErratumIn", "Pain. 2024;3:3", str(BASE + 902))],
            revised="2025-01-01",
        ),
    )
    for pmid in (tagged, other, corrected):
        server.set_dates(str(pmid), mdat=TODAY)
    result = refresh(server, db_path, "--no-links")
    assert result.exit_code == 0, result.stderr
    alerts = [line for line in result.stderr.splitlines() if line.startswith("litdb: alert:")]
    assert alerts == [
        f"litdb: alert: {tagged} (white-matter supports) was retracted: RetractionIn {notice}; "
        "White matter integrity in fibromyalgia",
        f"litdb: alert: {corrected} (white-matter supports) has a new correction: ErratumIn "
        f"{BASE + 902}; Fractional anisotropy in fibromyalgia",
    ]
    assert "2 newly retracted, 1 newly corrected" in result.stderr
    run = litdb(server, db_path, "runs", "--show", "2", "--format", "json").json()
    events = {(e["pmid"], e["event"]) for e in run["events"]}
    assert {
        (str(tagged), "retracted"),
        (str(other), "retracted"),
        (str(corrected), "corrected"),
    } <= events
    retracted = litdb(server, db_path, "query", "--retracted-only", "--format", "json").json()
    assert {(r["pmid"], tuple(r["retracted_by"])) for r in retracted} == {
        (str(tagged), (notice,)),
        (str(other), (str(BASE + 901),)),
    }


# -- snowballing ------------------------------------------------------------------------------


def test_snowball_ranks_candidates_and_fetch_pulls_them_in_marked(server, db_path):
    seeds = [wm_record(BASE + i) for i in (1, 2, 3)]
    unrelated = Record(str(BASE + 4), title="Exercise and sleep in fibromyalgia")
    server.searches[QUERY] = serve(server, *seeds, unrelated)
    outside = [
        Record(str(BASE + 100 + i), title=f"Outside record {i}", year="2010") for i in range(4)
    ]
    serve(server, *outside)
    # 100 is cited by all three seeds, 101 by two, 102 cites one; 103 is linked to the
    # unrelated record only
    for seed in (1, 2, 3):
        server.links[(str(BASE + seed), "pubmed_pubmed_refs")] = [str(BASE + 100)]
    server.links[(str(BASE + 1), "pubmed_pubmed_refs")].append(str(BASE + 101))
    server.links[(str(BASE + 2), "pubmed_pubmed_refs")].append(str(BASE + 101))
    server.links[(str(BASE + 3), "pubmed_pubmed_citedin")] = [str(BASE + 102)]
    server.links[(str(BASE + 4), "pubmed_pubmed_refs")] = [str(BASE + 103)]
    assert refresh(server, db_path).exit_code == 0

    listed = litdb(server, db_path, "snowball", "--claim", "white-matter", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    assert [
        (c["pmid"], c["links"], c["cited_by_seeds"], c["cites_seeds"]) for c in listed.json()
    ] == [
        (str(BASE + 100), 3, 3, 0),
        (str(BASE + 101), 2, 2, 0),
        (str(BASE + 102), 1, 0, 1),
    ]
    whole = pmid_lines(litdb(server, db_path, "snowball", "--format", "pmid"))
    assert str(BASE + 103) in whole
    strong = pmid_lines(
        litdb(
            server,
            db_path,
            "snowball",
            "--claim",
            "white-matter",
            "--min-links",
            "2",
            "--format",
            "pmid",
        )
    )
    assert strong == [str(BASE + 100), str(BASE + 101)]
    refused = litdb(server, db_path, "snowball", "--claim", "grey-matter")
    assert refused.exit_code == 1 and "no claim 'grey-matter'" in refused.stderr

    server.log.clear()
    fetched = litdb(server, db_path, "snowball", "--claim", "white-matter", "--fetch", "--quiet")
    assert fetched.exit_code == 0, fetched.stderr
    assert fetched.stderr.startswith("snowball run 2 (snowball): found 3, 3 added")
    assert [r.endpoint for r in server.log] == ["efetch"]
    shown = litdb(server, db_path, "show", str(BASE + 100), "--format", "json").json()
    assert shown["origin"]["origin"] == "snowball"
    assert (shown["origin"]["claim"], shown["origin"]["links"], shown["origin"]["run"]) == (
        "white-matter",
        3,
        2,
    )
    assert (
        litdb(server, db_path, "show", str(BASE + 1), "--format", "json").json()["origin"] is None
    )
    text = litdb(server, db_path, "show", str(BASE + 101)).stdout
    assert "Found by snowballing from claim white-matter (linked from 2 record(s)) in run 2" in text
    # the snowball's records are the corpus now: nothing left to find one step out of the claim
    again = litdb(server, db_path, "snowball", "--claim", "white-matter", "--format", "pmid")
    assert again.stdout == ""
    runs = litdb(server, db_path, "runs", "--format", "json").json()
    assert [r["mode"] for r in runs] == ["snowball", "full"]
    # the next refresh of the corpus query is unaffected by the snowball run
    server.log.clear()
    assert refresh(server, db_path).exit_code == 0
    assert [r.params.get("datetype") for r in server.requests("esearch")] == [["edat"], ["mdat"]]


def test_snowball_fetch_of_a_pmid_pubmed_does_not_have_ends_partial(server, db_path):
    server.searches[QUERY] = serve(server, wm_record(BASE + 1))
    serve(server, Record(str(BASE + 100), title="An outside record"))
    missing = str(BASE + 999)  # linked, but the stand-in has no such record
    server.links[(str(BASE + 1), "pubmed_pubmed_refs")] = [str(BASE + 100), missing]
    assert refresh(server, db_path).exit_code == 0
    fetched = litdb(server, db_path, "snowball", "--fetch", "--quiet")
    assert fetched.exit_code == 3
    assert f"litdb: partial: 1 PMID(s) PubMed sent no record for: {missing}" in fetched.stderr
    assert count(db_path, "SELECT count(*) FROM record_origins") == 1
    run = litdb(server, db_path, "runs", "--show", "2", "--format", "json").json()
    assert (run["status"], run["added"], run["failed"]) == ("partial", 1, 1)
