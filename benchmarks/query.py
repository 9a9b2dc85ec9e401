"""Query and export speed on a large database, beside the naive way and a peer serialiser.

Builds (once, in --keep) a database of N records: real fixture records with fresh PMIDs, plus
about 5% fibromyalgia records made from the tagger's labelled examples so that claim filters
find something. Then prints:

  query, in-process     a claim-filtered full-text query (search + the rows a table shows)
  query, naive SQL      the same question with LIKE over titles and abstracts (no index)
  query, whole process  `litdb query ... --format jsonl` from start to exit
  export, in-process    10,000 records to BibTeX (load + format)
  export, format only   the formatting part alone
  export, whole process `litdb export --limit 10000 --format bibtex -o FILE` from start to exit
  export, bibtexparser  five fields of the same records written by bibtexparser's writer

Usage: python benchmarks/query.py [--records 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERY_TEXT = "diffusion tensor"
QUERY_CLAIM = "white-matter"


def build(folder: Path, records: int) -> Path:
    from litdb.claims_file import load_claims
    from litdb.db.engine import open_database
    from litdb.ingest import import_file
    from tests.claims.evaluation import all_examples
    from tests.support.corpus import write_corpus
    from tests.support.pubmed_xml import Record, article_set

    db_path = folder / f"litdb-{records}.sqlite"
    if db_path.exists():
        return db_path
    examples = all_examples()
    fm_count = records // 20
    fm_records = []
    for index in range(fm_count):
        article = examples[index % len(examples)].article
        fm_records.append(
            Record(
                str(80_000_000 + index),
                title=article.title,
                abstract=[(s.label, s.text) for s in article.abstract.sections],
                mesh=[(m.descriptor, "D000000", False) for m in article.mesh],
                year=str(1995 + index % 30),
                authors=[(f"Author{index % 997}", "Ann", "A")],
            )
        )
    fm_file = folder / "fm.xml"
    fm_file.write_bytes(article_set(*fm_records))
    corpus = write_corpus(folder / "corpus.xml", records - fm_count)
    database = open_database(f"sqlite:///{db_path}")
    claims = load_claims()
    for path in (corpus, fm_file):
        import_file(database, path, claims=claims)
    database.close()
    return db_path


def timed(action, repeat: int = 5) -> tuple[float, object]:
    action()  # warm the caches, as a user's second query is
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="litdb-query-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_path = build(folder, args.records)

    from sqlalchemy import text

    from litdb.db.articles import load_articles
    from litdb.db.engine import open_database
    from litdb.db.search import Selection, search, summaries
    from litdb.export import ExportOptions, export

    database = open_database(f"sqlite:///{db_path}")
    rows = []
    with database.session() as session:
        selection = Selection(text=QUERY_TEXT, claims=(QUERY_CLAIM,), limit=50)

        def litdb_query():
            result = search(session, selection)
            summaries(session, [h.pmid for h in result.hits])
            return result.total

        seconds, total = timed(litdb_query)
        rows.append(("query, in-process", seconds, f"{total} records match"))

        def naive_query():
            return session.execute(
                text(
                    "SELECT a.pmid FROM articles a JOIN claim_tags t ON t.pmid = a.pmid "
                    "AND t.claim_id = :claim AND t.applies WHERE a.title LIKE :like OR a.pmid IN "
                    "(SELECT pmid FROM abstract_sections WHERE text LIKE :like) "
                    "ORDER BY a.sort_date DESC LIMIT 50"
                ),
                {"claim": QUERY_CLAIM, "like": f"%{QUERY_TEXT}%"},
            ).all()

        seconds, found = timed(naive_query)
        rows.append(("query, naive SQL", seconds, f"{len(found)} rows (first 50)"))

        command = [
            sys.executable,
            "-m",
            "litdb",
            "--db",
            str(db_path),
            "query",
            QUERY_TEXT,
            "--claim",
            QUERY_CLAIM,
            "--format",
            "jsonl",
        ]
        seconds, _ = timed(
            lambda: subprocess.run(command, capture_output=True, check=True), repeat=3
        )
        rows.append(("query, whole process", seconds, "litdb query ... --format jsonl"))

        pmids = [h.pmid for h in search(session, Selection(limit=10_000)).hits]

        def litdb_export():
            loaded = load_articles(session, pmids, citation_only=True, subjects=False)
            return export([loaded[p].article for p in pmids], "bibtex", ExportOptions())

        seconds, bibtex = timed(litdb_export, repeat=3)
        rows.append(
            ("export, in-process", seconds, f"{len(pmids):,} records, {len(bibtex) / 1e6:.1f} MB")
        )
        preloaded = load_articles(session, pmids, citation_only=True, subjects=False)
        articles = [preloaded[p].article for p in pmids]
        seconds, _ = timed(lambda: export(articles, "bibtex", ExportOptions()), repeat=3)
        rows.append(("export, litdb format only", seconds, "every field, keys, escaping"))

        out = Path(tempfile.mkdtemp()) / "export.bib"
        command = [sys.executable, "-m", "litdb", "--db", str(db_path), "export"]
        command += ["--limit", "10000", "--format", "bibtex", "-o", str(out)]
        seconds, _ = timed(
            lambda: subprocess.run(command, capture_output=True, check=True), repeat=3
        )
        rows.append(("export, whole process", seconds, "litdb export --limit 10000 -o FILE"))

        import bibtexparser
        from bibtexparser.model import Entry, Field

        loaded = load_articles(session, pmids, citation_only=True, subjects=False)
        values = [
            (
                pmid,
                {
                    "author": " and ".join(p.display() for p in a.authors),
                    "title": a.title,
                    "year": str(a.year or ""),
                    "doi": a.doi or "",
                    "pmid": a.pmid,
                },
            )
            for pmid, a in ((pmid, loaded[pmid].article) for pmid in pmids)
        ]

        def peer_export():
            # the writer's fast path: values enclosed in place, not every entry deep-copied
            fast = bibtexparser.middlewares.default_unparse_stack(allow_inplace_modification=True)
            entries = [
                Entry("article", f"k{pmid}", [Field(k, v) for k, v in fields.items()])
                for pmid, fields in values
            ]
            return bibtexparser.write_string(bibtexparser.Library(entries), unparse_stack=fast)

        seconds, _ = timed(peer_export, repeat=3)
        rows.append(
            ("export, bibtexparser", seconds, "5 fields per entry, entries built + written")
        )
    database.close()

    print(
        f"{args.records:,} records in {db_path.name} ({db_path.stat().st_size / 1e9:.1f} GB); "
        f"python {platform.python_version()}, {platform.machine()}"
    )
    print(
        f"query: {QUERY_TEXT!r} --claim {QUERY_CLAIM}; targets: in-process < 0.100 s, "
        "whole process < 1 s, 10,000-record BibTeX export < 2 s"
    )
    for name, seconds, note in rows:
        print(f"{name:<24}{seconds:>9.3f} s   {note}")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)  # gigabytes: kept only when asked to


if __name__ == "__main__":
    main()
