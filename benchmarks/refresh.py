"""Refresh economy: requests and wall time against the E-utilities stand-in at 3 requests/s.

Starts the test suite's NCBI stand-in in its own process, serving N real fixture records
(fresh PMIDs per copy) and enforcing NCBI's limit of 3 requests/s without an API key, then runs:

  litdb, full          the first refresh of N records into a new SQLite file (--no-links):
                       fetch, parse, store, index
  litdb, full + tags   the same with claim tagging, as `litdb refresh --no-links` runs it
                       (the built-in claims)
  litdb, no change     the next refresh, when nothing was entered or revised
  litdb, full + links  the first refresh with citation links (the default): one elink
                       request per 100 records on top (each record cites 20 others, is
                       cited by 10)
  Biopython tutorial   Entrez.esearch(usehistory="y") + Entrez.efetch in batches of 500,
                       the way Biopython's tutorial downloads a result set (fetch only, no store)

and prints requests made, wall time, and the rate-limit floor (requests / 3 per second). Each
kind runs --repeat times (full runs into new files) and the median run is reported, with the
range of wall times: on a shared two-core machine single runs vary by a tenth or more.
Usage: python benchmarks/refresh.py [--records 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TERM = "fibromyalgia AND neuroimaging (benchmark corpus)"
NCBI = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"

_SERVER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from datetime import date
from tests.support.corpus import fixture_records, renumbered
from tests.support.eutils_server import StandIn
server = StandIn(enforce_rate=True)
records = renumbered(fixture_records(), int(sys.argv[2]))
body = b"<PubmedArticleSet>" + b"".join(records) + b"</PubmedArticleSet>"
pmids = server.add_efetch_body(body)
for pmid in pmids:
    server.set_dates(pmid, edat=date(2020, 1, 1), mdat=date(2020, 1, 1))
server.searches[sys.argv[3]] = pmids
for i, pmid in enumerate(pmids):
    server.links[(pmid, "pubmed_pubmed_refs")] = pmids[i + 1 : i + 21]
    server.links[(pmid, "pubmed_pubmed_citedin")] = pmids[max(0, i - 10) : i]
print(server.start(), flush=True)
sys.stdin.read()
"""


def start_server(records: int) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(ROOT), str(records), TERM],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


_LITDB_RUN = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from litdb.claims_file import load_claims
from litdb.db.engine import open_database
from litdb.pubmed.eutils import EutilsClient
from litdb.pubmed.http import Identity
from litdb.refresh import RefreshOptions, refresh

url, db_path, term = sys.argv[2], sys.argv[3], sys.argv[4]
links, tags = "links" in sys.argv[5:], "tags" in sys.argv[5:]
database = open_database(f"sqlite:///{db_path}")
client = EutilsClient(url, Identity(tool="litdb-benchmark"))
claims = load_claims() if tags else None
start = time.perf_counter()
report = refresh(database, client, RefreshOptions(term, links=links, claims=claims))
elapsed = time.perf_counter() - start
database.close()
print(json.dumps([client.requests_sent, elapsed, report.status]))
"""


def litdb_refresh(
    url: str, db_path: Path, links: bool, tags: bool = False
) -> tuple[int, float, str]:
    """One refresh in a process of its own, as ``litdb refresh`` runs: timed from the call to
    ``refresh()`` to its return (interpreter start and imports are left out)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _LITDB_RUN,
            str(ROOT),
            url,
            str(db_path),
            TERM,
            "links" if links else "no-links",
            "tags" if tags else "no-tags",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    requests, seconds, status = json.loads(done.stdout)
    return requests, seconds, status


def biopython_tutorial(url: str, batch: int = 500) -> tuple[int, float]:
    from urllib.request import Request

    from Bio import Entrez

    sent = 0
    original = Entrez.urlopen

    def to_stand_in(request: Request, *args, **kwargs):
        nonlocal sent
        sent += 1
        request.full_url = request.full_url.replace(NCBI, url)
        return original(request, *args, **kwargs)

    Entrez.urlopen = to_stand_in
    Entrez.email = "benchmark@example.org"
    Entrez.tool = "litdb-benchmark"
    start = time.perf_counter()
    search = Entrez.read(Entrez.esearch(db="pubmed", term=TERM, usehistory="y"))
    total = int(search["Count"])
    for retstart in range(0, total, batch):
        handle = Entrez.efetch(
            db="pubmed",
            retmode="xml",
            retstart=retstart,
            retmax=batch,
            webenv=search["WebEnv"],
            query_key=search["QueryKey"],
        )
        handle.read()
    Entrez.urlopen = original
    return sent, time.perf_counter() - start


def median_run(runs: list[tuple[int, float, str]]) -> tuple[int, float, str, str]:
    """The run with the median wall time, and the range of wall times over all of them."""
    ordered = sorted(runs, key=lambda run: run[1])
    requests, seconds, status = ordered[len(ordered) // 2]
    spread = f"{ordered[0][1]:.2f}-{ordered[-1][1]:.2f}" if len(ordered) > 1 else ""
    return requests, seconds, status, spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each kind; the median is reported"
    )
    args = parser.parse_args()
    server, url = start_server(args.records)
    pause = 1.1  # let the server's one-second window empty between runs
    folder = Path(tempfile.mkdtemp(prefix="litdb-refresh-bench-"))
    try:
        kinds: dict[str, list[tuple[int, float, str]]] = {
            "litdb, full": [],
            "litdb, full + tags": [],
            "litdb, no change": [],
            "litdb, full + links": [],
            "Biopython tutorial": [],
        }
        for run in range(args.repeat):
            database = folder / f"litdb-{run}.sqlite"
            kinds["litdb, full"].append(litdb_refresh(url, database, links=False))
            time.sleep(pause)
            kinds["litdb, no change"].append(litdb_refresh(url, database, links=False))
            time.sleep(pause)
            tagged = folder / f"tagged-{run}.sqlite"
            kinds["litdb, full + tags"].append(litdb_refresh(url, tagged, links=False, tags=True))
            time.sleep(pause)
        for run in range(args.repeat):
            linked = folder / f"linked-{run}.sqlite"
            kinds["litdb, full + links"].append(litdb_refresh(url, linked, links=True))
            time.sleep(pause)
        for _run in range(args.repeat):
            kinds["Biopython tutorial"].append((*biopython_tutorial(url), "fetched"))
            time.sleep(pause)
    finally:
        server.stdin.close()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)  # a gigabyte of databases
    print(
        f"{args.records:,} real fixture records served at 3 requests/s by the E-utilities "
        f"stand-in; python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores; median of {args.repeat} runs each"
    )
    target_full = 2 + math.ceil(args.records / 500)
    print(f"target: full <= {target_full} requests, no change <= 2, wall <= 1.2 x floor")
    print(
        f"{'run':<20}{'requests':>9}{'wall s':>9}{'range s':>12}{'floor s':>9}"
        f"{'wall/floor':>11}  result"
    )
    for name, runs in kinds.items():
        requests, seconds, status, spread = median_run(runs)
        floor = requests / 3
        print(
            f"{name:<20}{requests:>9}{seconds:>9.2f}{spread:>12}{floor:>9.2f}"
            f"{seconds / floor:>11.2f}  {status}"
        )


if __name__ == "__main__":
    main()
