"""Import speed and memory, side by side with other PubMed XML readers on the same file.

Builds one large efetch-style file from the real fixture records in ../shared/fixtures (fresh PMIDs
per copy), then runs each reader in its own process and prints records/s and peak RSS:

  lxml iterparse   a bare streaming pass over the records (the floor: no field is read)
  pubmed_parser    pubmed_parser.parse_medline_xml, parse only (pip install '.[bench]')
  Bio.Entrez.read  Biopython's reader, parse only
  litdb parse      litdb's parser alone
  litdb import     litdb's whole import: parse + store + index into a fresh SQLite file
  litdb import+tag the same, tagging every record with the claims in data/claims.toml
                   (what `litdb import` does)

Usage: python benchmarks/ingest.py [--records 10000] [--skip-biopython] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.corpus import write_corpus  # noqa: E402

_PRELUDE = """
import json, resource, sys, time
from pathlib import Path
path = Path(sys.argv[1])
start = time.perf_counter()
"""
_REPORT = """
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"records": n, "seconds": elapsed, "peak_mb": peak}))
"""
READERS = {
    "lxml iterparse": """
from lxml import etree
n = 0
for _, element in etree.iterparse(str(path), tag="PubmedArticle", load_dtd=False, no_network=True):
    n += 1
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]
""",
    "pubmed_parser": """
import pubmed_parser
# NOTE: pubmed_parser 0.5 opens every file with gzip.open, so it reads the gzipped copy.
n = sum(1 for _ in pubmed_parser.parse_medline_xml(str(path) + ".gz"))
""",
    "Bio.Entrez.read": """
from Bio import Entrez
with open(path, "rb") as handle:
    n = len(Entrez.read(handle)["PubmedArticle"])
""",
    "litdb parse": """
from litdb.pubmed.files import RecordFile
n = 0
with RecordFile(path) as records:
    for _ in records:
        n += 1
""",
    "litdb import": """
from litdb.db.engine import open_database
from litdb.ingest import import_file
database = open_database(f"sqlite:///{path.with_suffix('.sqlite')}")
start = time.perf_counter()  # the schema is created before the clock starts
counts = import_file(database, path)
n = counts.added
""",
    "litdb import+tag": """
from litdb.claims_file import load_claims
from litdb.db.engine import open_database
from litdb.ingest import import_file
database = open_database(f"sqlite:///{path.with_name(path.stem + '-tagged.sqlite')}")
claims = load_claims()
start = time.perf_counter()
counts = import_file(database, path, claims=claims)
n = counts.added
""",
}


def run_reader(name: str, path: Path) -> dict:
    code = _PRELUDE + READERS[name] + _REPORT
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--skip-biopython", action="store_true", help="Bio.Entrez.read is slow")
    parser.add_argument("--only", action="append", help="run only these readers")
    parser.add_argument("--keep", type=Path, help="build the file in this folder and keep it")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="litdb-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"corpus-{args.records}.xml"
    if not path.exists():
        write_corpus(path, args.records)
    gzipped = path.with_name(path.name + ".gz")
    if not gzipped.exists():
        with open(path, "rb") as plain, gzip.open(gzipped, "wb", compresslevel=1) as packed:
            shutil.copyfileobj(plain, packed)
    for stale in folder.glob("*.sqlite*"):
        stale.unlink()
    size_mb = path.stat().st_size / 1e6
    print(
        f"{args.records:,} real fixture records, {size_mb:.0f} MB; "
        f"python {platform.python_version()}, {platform.machine()}, {platform.system()}, "
        f"{os.cpu_count()} cores"
    )
    print(f"{'reader':<18}{'records':>9}{'seconds':>10}{'records/s':>11}{'peak RSS MB':>13}")
    names = args.only or [
        n for n in READERS if not (args.skip_biopython and n == "Bio.Entrez.read")
    ]
    try:
        for name in names:
            result = run_reader(name, path)
            if "error" in result:
                print(f"{name:<18} failed: {result['error']}")
                continue
            rate = result["records"] / result["seconds"] if result["seconds"] else 0
            print(
                f"{name:<18}{result['records']:>9,}{result['seconds']:>10.2f}{rate:>11,.0f}"
                f"{result['peak_mb']:>13.0f}"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)  # the corpus and databases


if __name__ == "__main__":
    main()
