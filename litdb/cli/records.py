"""Commands over PubMed records: import, show, stats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from litdb.cli.app import app
from litdb.cli.options import (
    ClaimsOption,
    DbOption,
    FormatOption,
    OutputFormat,
    QuietOption,
    claim_set,
    database,
)
from litdb.cli.progress import progress_bar
from litdb.cli.render import article_json, article_text, stats_json, stats_text, to_json
from litdb.db import articles as repo
from litdb.db import citations
from litdb.db import claims as claim_repo
from litdb.errors import NotFoundError, UsageError


@app.command("import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="PubMed XML (efetch, baseline, update; .gz too) or MEDLINE text (.nbib) files."
        ),
    ],
    db: DbOption = None,
    claims: ClaimsOption = None,
    quiet: QuietOption = False,
) -> None:
    """Import PubMed records from files; records already there are updated only if they changed.

    Every record written is tagged with the claims it bears on.

    Example: litdb import pubmed_result.xml pubmed-fibromyalg-set.nbib
    """
    from litdb.ingest import import_files

    definitions = claim_set(ctx, claims)
    opened = database(ctx, db)
    with progress_bar(quiet) as progress:
        report = import_files(opened, paths, progress=progress, claims=definitions)
    for error in report.errors:
        typer.echo(f"litdb: error: {error}", err=True)
    totals = report.totals
    imported = sum(1 for f in report.files if f.error is None)
    if imported == 0:
        raise typer.Exit(1)
    typer.echo(
        f"imported {imported} of {len(report.files)} file(s): {totals.added} added, "
        f"{totals.updated} updated, {totals.unchanged} unchanged, {totals.deleted} deleted",
        err=True,
    )
    if report.errors:
        raise typer.Exit(1)


def parse_pmid(value: str) -> int:
    text = value.strip()
    if not text.isdigit() or int(text) == 0:
        raise UsageError(f"{value!r} is not a PMID (a PMID is a positive whole number)")
    return int(text)


@app.command()
def show(
    ctx: typer.Context,
    pmid: Annotated[str, typer.Argument(help="The PubMed ID of the record.")],
    output: FormatOption = OutputFormat.text,
    raw: Annotated[
        bool, typer.Option("--raw", help="Print the record exactly as PubMed sent it.")
    ] = False,
    claims: ClaimsOption = None,
    db: DbOption = None,
) -> None:
    """Show one record: every field PubMed gave, and the claims it bears on (with evidence).

    Example: litdb show 30223011 --format json
    """
    number = parse_pmid(pmid)
    labels = {c.id: c.label for c in claim_set(ctx, claims).claims}
    opened = database(ctx, db)
    with opened.session() as session:
        if raw:
            stored_raw = repo.load_raw(session, number)
            if stored_raw is None:
                raise NotFoundError(_not_found(number))
            typer.echo(stored_raw[1].decode("utf-8"))
            return
        stored = repo.load_article(session, number)
        tags = claim_repo.effective_tags(session, [number]).get(number, [])
        counts = citations.citation_counts(session, [number])[number]
        found = citations.origins(session, [number]).get(number)
        origin = (
            None
            if found is None
            else {
                "origin": found.origin,
                "claim": found.claim_id,
                "links": found.links,
                "run": found.run_id,
                "found_at": found.found_at,
            }
        )
    if stored is None:
        raise NotFoundError(_not_found(number))
    if output is OutputFormat.json:
        typer.echo(to_json(article_json(stored, tags, labels, counts, origin)))
    else:
        typer.echo(article_text(stored, tags, labels, counts, origin))


def _not_found(pmid: int) -> str:
    return f"PMID {pmid} is not in the database (add it with 'litdb import' or 'litdb refresh')"


@app.command()
def stats(
    ctx: typer.Context, output: FormatOption = OutputFormat.text, db: DbOption = None
) -> None:
    """Count the records: active, deleted, retracted, books, and how many per year.

    Example: litdb stats --format json
    """
    opened = database(ctx, db)
    with opened.session() as session:
        result = repo.corpus_stats(session)
    typer.echo(to_json(stats_json(result)) if output is OutputFormat.json else stats_text(result))
