"""``litdb refresh`` and ``litdb runs``: keep the corpus current, and see what each run did."""

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
    eutils_client,
    settings,
)
from litdb.cli.progress import progress_bar
from litdb.cli.render import alert_line, run_json, run_line, runs_table, to_json
from litdb.config import default_query_file
from litdb.db import runs as run_log
from litdb.errors import NotFoundError
from litdb.pubmed.query import check_query, fold_query, read_query_file


@app.command("refresh")
def refresh_command(
    ctx: typer.Context,
    query: Annotated[
        str | None,
        typer.Option("--query", help="A PubMed query to run instead of the corpus query file."),
    ] = None,
    query_file: Annotated[
        Path | None,
        typer.Option(
            "--query-file",
            help="The corpus query file (default: $LITDB_QUERY_FILE, then data/corpus-query.txt).",
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Search everything again, not only what changed, and mark records the query "
            "no longer returns.",
        ),
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=10_000, help="Records per efetch request.")
    ] = 500,
    links: Annotated[
        bool,
        typer.Option(
            "--links/--no-links",
            help="Also ask elink what each record cites and is cited by: records written now "
            "and records whose links are over 30 days old.",
        ),
    ] = True,
    db: DbOption = None,
    claims: ClaimsOption = None,
    quiet: QuietOption = False,
) -> None:
    """Bring the corpus up to date with PubMed through NCBI E-utilities.

    The first run fetches everything the query finds; later runs fetch only records entered or
    revised since the last successful run. NCBI_API_KEY raises the rate limit from 3 to 10
    requests/s; NCBI_EMAIL tells NCBI whom to contact. Exit code 3 means a partial run.

    Example: litdb refresh --query 'fibromyalgia[mh] AND positron-emission tomography[mh]'
    """
    from litdb.refresh import RefreshOptions, refresh

    resolved = settings(ctx, db)
    if query is not None:
        text = fold_query(query)
        check_query(text, where="--query")
    else:
        text = read_query_file(query_file or resolved.query_file or default_query_file())
    definitions = claim_set(ctx, claims)
    opened = database(ctx, db)
    client = eutils_client(resolved)
    options = RefreshOptions(
        text, full=full, batch_size=batch_size, claims=definitions, links=links
    )
    with progress_bar(quiet) as progress:
        report = refresh(opened, client, options, progress=progress)
    typer.echo(run_line(report), err=True)
    for alert in report.alerts:
        typer.echo(f"litdb: {alert_line(alert)}", err=True)
    if report.status != "success" and report.message:
        typer.echo(f"litdb: {report.status}: {report.message}", err=True)
    raise typer.Exit(report.exit_code)


@app.command("runs")
def runs_command(
    ctx: typer.Context,
    show: Annotated[
        int | None, typer.Option("--show", metavar="RUN", help="One run with every record event.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs to list.")] = 20,
    output: FormatOption = OutputFormat.text,
    db: DbOption = None,
) -> None:
    """The refresh history: when, which query, what it found and changed, how it ended.

    Example: litdb runs --show 3 --format json
    """
    opened = database(ctx, db)
    with opened.session() as session:
        if show is not None:
            run = run_log.get_run(session, show)
            if run is None:
                raise NotFoundError(f"there is no run {show} (see 'litdb runs')")
            events = run_log.run_events(session, show)
            data = run_json(run, events)
            if output is OutputFormat.json:
                typer.echo(to_json(data))
            else:
                typer.echo(runs_table([run]))
                for event in sorted({e.event for e in events}):
                    pmids = [str(e.pmid) for e in events if e.event == event]
                    typer.echo(f"{event} ({len(pmids)}): " + " ".join(pmids))
            return
        found = run_log.list_runs(session, limit)
    if output is OutputFormat.json:
        typer.echo(to_json([run_json(r) for r in found]))
    else:
        typer.echo(runs_table(found) if found else "no runs yet (run 'litdb refresh')")
