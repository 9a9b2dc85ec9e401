"""The refresh against a real local HTTP server that answers (and fails) like NCBI."""

from __future__ import annotations

import itertools
import math
import os
import re
import socket
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from litdb.db import runs as run_log
from litdb.db.engine import open_database
from litdb.db.models import ArticleRow, LockRow
from litdb.errors import UsageError
from litdb.pubmed.eutils import EutilsClient
from litdb.pubmed.http import Identity, RateLimiter, RetryPolicy
from litdb.refresh import RefreshOptions, refresh
from tests.support.db import count
from tests.support.eutils_server import Fault, Record, StandIn
from tests.support.fixtures import efetch_files, fixture, requires_fixtures

pytestmark = requires_fixtures

TERM = "fibromyalgia AND neuroimaging (test corpus)"
CORPUS_SIZE = 130
BATCH = 50
TODAY = datetime.now(UTC).date()


@cache
def fixture_records() -> dict[str, Record]:
    loader = StandIn()
    for path in efetch_files():
        loader.add_efetch_file(path)
    return loader.records


def new_stand_in() -> StandIn:
    server = StandIn(records={p: replace(r) for p, r in fixture_records().items()})
    server.searches[TERM] = sorted(server.records, key=int, reverse=True)[:CORPUS_SIZE]
    server.url = server.start()
    return server


@pytest.fixture
def stand_in():
    server = new_stand_in()
    yield server
    server.stop()


def client_for(server: StandIn, *, key: str | None = "test-key", attempts: int = 5, **kwargs):
    return EutilsClient(
        server.url,
        Identity(tool="litdb-tests", email="tests@example.org", api_key=key),
        retry=RetryPolicy(attempts=attempts, base_seconds=0.01, max_seconds=0.05),
        timeout=(2.0, 1.0),
        **kwargs,
    )


def run(database, server, *, full=False, batch=BATCH, links=False, **client_options):
    """One refresh; citation links (tested in test_citation_links.py) only when asked for."""
    client = client_for(server, **client_options)
    options = RefreshOptions(TERM, full=full, batch_size=batch, links=links)
    return refresh(database, client, options)


def article_dump(path: Path) -> list:
    """The records as stored, without litdb's timestamps (runs differ in time, not content)."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                "('runs', 'run_events', 'queries', 'query_matches', 'locks', 'alembic_version')"
                # The search index's own contents, not its storage pages, which depend on
                # the order batches arrived in.
                " AND name NOT LIKE 'articles\\_fts\\_%' ESCAPE '\\'"
            )
        ]
        rows = []
        for table in sorted(tables):
            columns = [
                c[1]
                for c in connection.execute(f"PRAGMA table_info({table})")
                if c[1] not in ("first_seen_at", "updated_at", "deleted_at")
            ]
            rows.append(
                (table, sorted(connection.execute(f"SELECT {', '.join(columns)} FROM {table}")))
            )
        return rows
    finally:
        connection.close()


@pytest.fixture(scope="module")
def reference_dump(tmp_path_factory) -> list:
    """The database a fault-free first refresh produces."""
    path = tmp_path_factory.mktemp("reference") / "clean.sqlite"
    database = open_database(f"sqlite:///{path}")
    server = new_stand_in()
    try:
        report = run(database, server)
    finally:
        server.stop()
    assert report.status == "success"
    database.close()
    return article_dump(path)


def test_first_run_is_full_and_costs_one_search_plus_one_fetch_per_batch(
    database, db_path, stand_in
):
    report = run(database, stand_in)
    assert (report.status, report.mode, report.found) == ("success", "full", CORPUS_SIZE)
    assert report.counts["added"] == CORPUS_SIZE
    assert count(db_path, "SELECT count(*) FROM articles") == CORPUS_SIZE
    assert report.requests == 1 + math.ceil(CORPUS_SIZE / BATCH)
    assert [r.endpoint for r in stand_in.log] == ["esearch"] + ["efetch"] * 3
    search = stand_in.log[0].params
    assert search["usehistory"] == ["y"] and "datetype" not in search
    fetches = stand_in.requests("efetch")
    assert all("WebEnv" in r.params and r.params["query_key"] == ["1"] for r in fetches)
    assert [r.params["retstart"][0] for r in fetches] == ["0", "50", "100"]
    for logged in stand_in.log:
        assert logged.params["tool"] == ["litdb-tests"]
        assert logged.params["email"] == ["tests@example.org"]
        assert logged.params["api_key"] == ["test-key"]
    with database.session() as session:
        events = run_log.run_events(session, report.run_id)
        stored = session.get(run_log.RunRow, report.run_id)
    assert {e.event for e in events} == {"added"} and len(events) == CORPUS_SIZE
    assert stored.query == TERM and stored.status == "success" and stored.requests == 4


def test_no_change_refresh_costs_two_searches_and_writes_nothing(database, db_path, stand_in):
    run(database, stand_in)
    before = article_dump(db_path)
    stand_in.log.clear()
    report = run(database, stand_in)
    assert (report.status, report.mode, report.requests) == ("success", "incremental", 2)
    assert [r.params["datetype"] for r in stand_in.log] == [["edat"], ["mdat"]]
    low = (TODAY - timedelta(days=3)).strftime("%Y/%m/%d")
    assert all(r.params["mindate"] == [low] for r in stand_in.log)
    assert article_dump(db_path) == before


def test_incremental_run_fetches_entered_and_revised_records_by_post(database, db_path, stand_in):
    run(database, stand_in)
    ids = stand_in.searches[TERM]
    revised, unchanged_but_touched = ids[5], ids[6]
    record = stand_in.records[revised]
    record.xml = re.sub(
        rb"<ArticleTitle>.*?</ArticleTitle>",
        b"<ArticleTitle>A corrected title</ArticleTitle>",
        record.xml,
        count=1,
        flags=re.S,
    )
    stand_in.set_dates(revised, mdat=TODAY)
    stand_in.set_dates(unchanged_but_touched, mdat=TODAY)
    extra = next(p for p in sorted(stand_in.records) if p not in ids)
    stand_in.searches[TERM] = [*ids, extra]
    stand_in.set_dates(extra, edat=TODAY)
    stand_in.log.clear()
    report = run(database, stand_in)
    assert report.counts | {} == report.counts
    assert (report.counts["added"], report.counts["updated"], report.counts["unchanged"]) == (
        1,
        1,
        1,
    )
    assert report.requests == 3
    fetch = stand_in.requests("efetch")[0]
    assert fetch.method == "POST" and sorted(fetch.params["id"][0].split(",")) == sorted(
        [revised, unchanged_but_touched, extra]
    )
    with database.session() as session:
        title = session.get(ArticleRow, int(revised)).title
    assert title == "A corrected title"


FAULTS = [
    ("efetch", "429", 1),
    ("efetch", "500", 1),
    ("efetch", "503", 1),
    ("efetch", "error", 1),
    ("efetch", "truncated", 1),
    ("efetch", "not-xml", 1),
    ("efetch", "drop", 1),
    ("efetch", "timeout", 1),
    ("esearch", "502", 1),
    ("esearch", "error", 1),
    ("esearch", "truncated", 1),
    ("esearch", "429", 1),
]


@pytest.mark.parametrize(
    ("endpoint", "kind", "extra"), FAULTS, ids=[f"{e}-{k}" for e, k, _ in FAULTS]
)
def test_each_fault_is_survived_and_the_database_equals_a_fault_free_run(
    endpoint, kind, extra, database, db_path, stand_in, reference_dump
):
    stand_in.faults.append(Fault(endpoint, kind, times=1, skip=1 if endpoint == "efetch" else 0))
    report = run(database, stand_in)
    assert report.status == "success", report.message
    assert report.counts["added"] == CORPUS_SIZE
    assert article_dump(db_path) == reference_dump
    assert count(db_path, "SELECT count(*) FROM articles") == CORPUS_SIZE
    assert report.requests == 1 + math.ceil(CORPUS_SIZE / BATCH) + extra


def test_short_batch_is_asked_again_for_exactly_the_missing_record(
    database, db_path, stand_in, reference_dump
):
    stand_in.faults.append(Fault("efetch", "short", times=1))
    report = run(database, stand_in)
    assert report.status == "success"
    assert article_dump(db_path) == reference_dump
    again = stand_in.requests("efetch")[-1]
    assert again.method == "POST" and again.params["id"] == [stand_in.searches[TERM][BATCH - 1]]
    assert report.requests == 1 + 3 + 1


def test_an_answer_broken_inside_keeps_the_records_before_the_break(
    database, db_path, stand_in, reference_dump, monkeypatch
):
    # answers are parsed and written in chunks of 20 records; the second answer's 26th record
    # is broken, behind a complete closing tag
    monkeypatch.setattr("litdb.refresh.BODY_CHUNK", 20)
    stand_in.faults.append(Fault("efetch", "garbled", times=1, skip=1, record=25))
    report = run(database, stand_in)
    assert report.status == "success", report.message
    assert article_dump(db_path) == reference_dump
    again = stand_in.requests("efetch")[-1]
    assert again.method == "POST"
    assert again.params["id"][0].split(",") == stand_in.searches[TERM][BATCH + 25 : 2 * BATCH]
    assert report.requests == 1 + 3 + 1
    assert report.counts["added"] == CORPUS_SIZE


def test_expired_webenv_reruns_the_search_and_carries_on(
    database, db_path, stand_in, reference_dump
):
    stand_in.faults.append(Fault("efetch", "expire", times=1, skip=1))
    report = run(database, stand_in)
    assert report.status == "success"
    assert article_dump(db_path) == reference_dump
    assert [r.endpoint for r in stand_in.log] == [
        "esearch",
        "efetch",
        "efetch",
        "esearch",
        "efetch",
        "efetch",
    ]
    assert report.requests == 6


def test_rate_limit_without_key_keeps_under_three_per_second(database, stand_in):
    report = run(database, stand_in, key=None, batch=20)
    assert report.status == "success"
    times = [r.at for r in stand_in.log]
    assert all(r.status == 200 for r in stand_in.log)
    assert all(b - a >= 1 / 3 for a, b in itertools.pairwise(times))
    assert all("api_key" not in r.params for r in stand_in.log)


def test_a_client_that_goes_too_fast_is_told_to_wait_and_still_gets_everything(
    database, db_path, stand_in, reference_dump
):
    too_fast = RateLimiter(rate=50)
    report = run(database, stand_in, key=None, limiter=too_fast, batch=10, attempts=8)
    assert report.status == "success"
    assert any(r.status == 429 for r in stand_in.log)
    assert article_dump(db_path) == reference_dump


def test_retry_budget_spent_on_fetch_ends_partial_with_work_kept(database, db_path, stand_in):
    stand_in.faults.append(Fault("efetch", "500", times=100, skip=1))
    report = run(database, stand_in, attempts=3)
    assert (report.status, report.exit_code) == ("partial", 3)
    assert "fetching stopped" in report.message and "HTTP 500" in report.message
    assert count(db_path, "SELECT count(*) FROM articles") == BATCH
    with database.session() as session:
        stored = session.get(run_log.RunRow, report.run_id)
    assert (stored.status, stored.added) == ("partial", BATCH)


def test_retry_budget_spent_on_search_fails_and_writes_no_record(database, db_path, stand_in):
    stand_in.faults.append(Fault("esearch", "503", times=100))
    report = run(database, stand_in, attempts=3)
    assert (report.status, report.exit_code) == ("failed", 1)
    assert report.requests == 3
    assert count(db_path, "SELECT count(*) FROM articles") == 0


def test_the_watermark_moves_only_when_a_run_succeeds(database, stand_in):
    first = run(database, stand_in)
    stand_in.faults.append(Fault("esearch", "503", times=100))
    failed = run(database, stand_in, attempts=2)
    assert failed.status == "failed"
    stand_in.faults.clear()
    with database.session() as session:
        query = run_log.query_id(session, TERM, datetime.now(UTC))
        last_ok = run_log.last_successful_run(session, query)
    assert last_ok.id == first.run_id


def test_an_interrupted_run_is_completed_by_the_next_without_duplicates(
    database, db_path, stand_in, reference_dump
):
    client = client_for(stand_in)

    def stop_after_two_batches(update):
        if update.done >= 2 * BATCH:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        refresh(
            database,
            client,
            RefreshOptions(TERM, batch_size=BATCH, links=False),
            progress=stop_after_two_batches,
        )
    assert count(db_path, "SELECT count(*) FROM articles") == 2 * BATCH
    assert count(db_path, "SELECT count(*) FROM locks") == 0
    with database.session() as session:
        [interrupted] = run_log.list_runs(session)
    assert interrupted.status == "interrupted"
    stand_in.log.clear()
    report = run(database, stand_in)
    assert (report.status, report.mode) == ("success", "full+resume")
    assert report.counts["added"] == CORPUS_SIZE - 2 * BATCH
    assert report.requests == 1 + 1  # the search, then one POST for the 30 records left
    assert article_dump(db_path) == reference_dump
    assert run(database, stand_in).mode == "incremental"


def test_a_killed_refresh_leaves_a_lock_the_next_one_takes_over(database, db_path, stand_in):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    now = datetime.now(UTC)
    with database.session() as session, session.begin():
        killed = run_log.start_run(
            session,
            query=TERM,
            mode="full",
            status="running",
            started_at=now,
            search_date=TODAY.isoformat(),
        )
        session.execute(
            insert(LockRow).values(
                name="refresh",
                host=socket.gethostname(),
                pid=dead.pid,
                run_id=killed.id,
                acquired_at=now,
                heartbeat_at=now,
            )
        )
    report = run(database, stand_in)
    assert report.status == "success"
    with database.session() as session:
        assert session.get(run_log.RunRow, killed.id).status == "interrupted"


def test_a_second_refresh_while_one_runs_is_refused(database, stand_in):
    now = datetime.now(UTC)
    with database.session() as session, session.begin():
        session.execute(
            insert(LockRow).values(
                name="refresh",
                host=socket.gethostname(),
                pid=os.getppid(),
                run_id=None,
                acquired_at=now,
                heartbeat_at=now,
            )
        )
    with pytest.raises(run_log.RefreshLocked, match="another refresh is running"):
        run(database, stand_in)
    assert stand_in.log == []


def test_full_refresh_marks_records_the_query_no_longer_returns(database, db_path, stand_in):
    run(database, stand_in)
    ids = stand_in.searches[TERM]
    dropped, deleted = ids[10], ids[11]
    stand_in.searches[TERM] = [p for p in ids if p not in (dropped, deleted)]
    del stand_in.records[deleted]
    report = run(database, stand_in, full=True)
    assert report.status == "success"
    assert (report.counts["dropped"], report.counts["deleted"]) == (2, 1)
    assert count(db_path, "SELECT count(*) FROM articles") == CORPUS_SIZE
    with database.session() as session:
        statuses = dict(
            session.execute(
                select(ArticleRow.pmid, ArticleRow.status).where(
                    ArticleRow.pmid.in_([int(dropped), int(deleted)])
                )
            ).all()
        )
    assert statuses == {int(dropped): "active", int(deleted): "deleted"}
    again = run(database, stand_in, full=True)
    assert again.counts["dropped"] == 0


def test_results_past_the_paging_limit_are_split_by_date_and_checked(database, db_path, stand_in):
    stand_in.max_pageable = 40
    for index, pmid in enumerate(stand_in.searches[TERM]):
        stand_in.set_dates(pmid, edat=date(2000, 1, 1) + timedelta(days=40 * index))
    report = run(database, stand_in, max_pageable=40)
    assert report.status == "success"
    assert count(db_path, "SELECT count(*) FROM articles") == CORPUS_SIZE
    searches = stand_in.requests("esearch")
    assert all(r.status == 200 for r in stand_in.log)
    dated = [r for r in searches if "datetype" in r.params]
    assert dated and all(r.params["datetype"] == ["edat"] for r in dated)
    assert all(int(r.params["retmax"][0]) <= 40 for r in searches)


def test_a_recorded_ncbi_session_refreshes_into_the_database(database, db_path):
    server = StandIn()
    server.add_cassette(fixture("eutils/cassettes/hawc-TestPubmed.test_search.yaml"))
    url = server.start()
    try:
        [term] = [t for t, ids in server.searches.items() if len(ids) == 259]
        client = EutilsClient(url, Identity(api_key="k"), retry=RetryPolicy(base_seconds=0.01))
        report = refresh(database, client, RefreshOptions(term, links=False))
    finally:
        server.stop()
    assert (report.status, report.found, report.counts["added"]) == ("success", 259, 259)
    assert report.requests == 1 + math.ceil(259 / 500)
    assert count(db_path, "SELECT count(*) FROM articles") == 259


def test_a_query_with_unbalanced_parentheses_is_refused_before_any_request(database, stand_in):
    client = client_for(stand_in)
    with pytest.raises(UsageError, match=r"'\(' not closed"):
        refresh(database, client, RefreshOptions("fibromyalgia AND (mri OR pet"))
    assert stand_in.log == []
    with database.session() as session:
        assert run_log.list_runs(session) == []
