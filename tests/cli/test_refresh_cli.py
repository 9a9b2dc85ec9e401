"""``litdb refresh`` and ``litdb runs`` as a user runs them, against the local NCBI stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_litdb
from tests.support.db import count, dump
from tests.support.eutils_server import Fault, StandIn
from tests.support.fixtures import fixture, requires_fixtures

pytestmark = requires_fixtures


@pytest.fixture
def server():
    stand_in = StandIn()
    pmids = stand_in.add_efetch_file(fixture("eutils/efetch/hawc-bulk-259-records.xml"))
    stand_in.default_search = pmids[:60]  # whatever query is sent, as the default query will be
    stand_in.url = stand_in.start()
    yield stand_in
    stand_in.stop()


def env_for(server: StandIn, db_path: Path, **extra) -> dict[str, str]:
    return {
        "LITDB_EUTILS_URL": server.url,
        "LITDB_DB": str(db_path),
        "NCBI_API_KEY": "cli-test-key",
        "NCBI_EMAIL": "cli@example.org",
        **extra,
    }


def test_refresh_with_the_default_query_file_then_runs(server, db_path) -> None:
    result = run_litdb("refresh", "--batch-size", "25", env=env_for(server, db_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    [summary] = result.stderr.strip().splitlines()
    assert summary.startswith("refresh run 1 (full): found 60, 60 added")
    # one search, three fetches of 25, one elink for the 60 records' citation links
    assert summary.endswith("5 requests in " + summary.split(" requests in ")[1])
    assert "citation links for 60;" in summary
    [elink] = server.requests("elink")
    assert sorted(elink.params["id"]) == sorted(server.default_search)
    sent = server.requests("esearch")[0].params["term"][0]
    assert "fibromyalgia[mh]" in sent and "#" not in sent  # the data/ file, comments dropped
    assert count(db_path, "SELECT count(*) FROM articles") == 60

    listed = run_litdb("runs", env=env_for(server, db_path))
    assert listed.exit_code == 0
    assert " success " in listed.stdout and " full " in listed.stdout

    shown = run_litdb("runs", "--show", "1", "--format", "json", env=env_for(server, db_path))
    data = shown.json()
    assert (data["run"], data["status"], data["found"], data["added"]) == (1, "success", 60, 60)
    assert data["requests"] == 5 and data["linked"] == 60
    assert len(data["events"]) == 120
    assert {e["event"] for e in data["events"]} == {"added", "linked"}
    assert data["query"] == sent


def test_second_refresh_is_incremental_and_changes_nothing(server, db_path) -> None:
    run_litdb("refresh", env=env_for(server, db_path))
    before = count(db_path, "SELECT count(*) FROM articles")
    result = run_litdb("refresh", env=env_for(server, db_path))
    assert result.exit_code == 0
    assert "(incremental, " in result.stderr and "found 0" in result.stderr
    assert "2 requests" in result.stderr
    assert count(db_path, "SELECT count(*) FROM articles") == before


def test_query_option_overrides_the_file_and_is_stored(server, db_path) -> None:
    query = "fibromyalgia[mh] AND tomography, emission-computed, single-photon[mh]"
    result = run_litdb("refresh", "--query", query, env=env_for(server, db_path))
    assert result.exit_code == 0
    assert server.requests("esearch")[0].params["term"] == [query]
    data = run_litdb("runs", "--format", "json", env=env_for(server, db_path)).json()
    assert data[0]["query"] == query


def test_bad_query_is_one_line_exit_2_and_no_run(server, db_path) -> None:
    result = run_litdb(
        "refresh", "--query", 'fibromyalgia AND "white matter', env=env_for(server, db_path)
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "litdb: error: --query: a quotation mark is not closed"
    assert server.log == []
    assert "no runs yet" in run_litdb("runs", env=env_for(server, db_path)).stdout


def test_broken_query_file_is_named(server, db_path, tmp_path) -> None:
    broken = tmp_path / "query.txt"
    broken.write_text("# only a comment\n")
    result = run_litdb("refresh", "--query-file", str(broken), env=env_for(server, db_path))
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"litdb: error: {broken}: the query file holds no query (only comments?)"
    )


def test_unreachable_server_fails_with_exit_1_and_a_clear_message(db_path) -> None:
    env = {
        "LITDB_EUTILS_URL": "http://127.0.0.1:9/entrez/eutils/",
        "LITDB_DB": str(db_path),
        "LITDB_RETRIES": "2",
        "NCBI_API_KEY": "k",
    }
    result = run_litdb("refresh", env=env)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert "; failed" in lines[0]
    assert lines[1] == (
        "litdb: failed: the search failed: NCBI esearch failed 2 times; last: "
        "cannot connect to NCBI (ConnectionError)"
    )
    assert count(db_path, "SELECT count(*) FROM articles") == 0


def test_partial_run_exits_3_and_keeps_what_it_fetched(server, db_path) -> None:
    server.faults.append(Fault("efetch", "503", times=100, skip=1))
    result = run_litdb(
        "refresh", "--batch-size", "20", env=env_for(server, db_path, LITDB_RETRIES="2")
    )
    assert result.exit_code == 3
    assert "; partial" in result.stderr
    assert (
        "litdb: partial: fetching stopped: NCBI efetch failed 2 times; last: HTTP 503"
        in result.stderr
    )
    assert count(db_path, "SELECT count(*) FROM articles") == 20


def test_a_second_refresh_at_the_same_time_is_refused(server, db_path) -> None:
    import os
    import socket
    import sqlite3
    from datetime import UTC, datetime

    run_litdb("db", "upgrade", "--db", str(db_path))
    before = dump(db_path)
    connection = sqlite3.connect(db_path)
    now = datetime.now(UTC).isoformat(sep=" ")
    connection.execute(
        "INSERT INTO locks (name, host, pid, run_id, acquired_at, heartbeat_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ("refresh", socket.gethostname(), os.getppid(), 7, now, now),
    )
    connection.commit()
    connection.close()
    result = run_litdb("refresh", env=env_for(server, db_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "litdb: error: another refresh is running on this database (pid"
    )
    assert ", run 7); wait for it to finish" in result.stderr
    assert server.log == []
    assert dump(db_path).count('INSERT INTO "runs"') == before.count('INSERT INTO "runs"')


def test_runs_show_unknown_run(server, db_path) -> None:
    result = run_litdb("runs", "--show", "42", env=env_for(server, db_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == "litdb: error: there is no run 42 (see 'litdb runs')"


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run litdb with stderr on a pseudo-terminal, as a user at a shell would; return the exit
    code and everything the terminal showed."""
    import os
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "litdb", *args],
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env={**os.environ, **env, "TERM": "xterm-256color", "COLUMNS": "120"},
    )
    os.close(secondary)
    shown = b""
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        shown += data
    os.close(primary)
    return child.wait(), shown.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_and_none_when_quiet(server, db_path) -> None:
    env = env_for(server, db_path)
    code, shown = _run_on_a_terminal(["refresh", "--batch-size", "10"], env)
    assert code == 0
    assert "fetching" in shown and "records" in shown and "/s" in shown
    assert "refresh run 1 (full)" in shown
    code, quiet = _run_on_a_terminal(["refresh", "--full", "--quiet", "--batch-size", "10"], env)
    assert code == 0
    assert "fetching" not in quiet
    assert quiet.strip().startswith("refresh run 2 (full)")
