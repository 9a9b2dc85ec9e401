"""``litdb cites``, ``litdb cited-by`` and ``litdb snowball``: follow citations."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from litdb.cli.app import app
from litdb.cli.options import (
    ClaimsOption,
    DbOption,
    QuietOption,
    claim_set,
    database,
    eutils_client,
    settings,
)
from litdb.errors import NotFoundError


class LinkFormat(enum.StrEnum):
    table = "table"
    json = "json"
    pmid = "pmid"


PmidArgument = Annotated[str, typer.Argument(metavar="PMID", help="A PubMed ID.")]
InCorpusOption = Annotated[
    bool, typer.Option("--in-corpus", help="Only records the database holds (active ones).")
]
LinkFormatOption = Annotated[
    LinkFormat, typer.Option("--format", "-f", help="table, json or pmid.", case_sensitive=False)
]


def _links(ctx, text: str, in_corpus: bool, output: LinkFormat, db, direction: str) -> None:
    from litdb.cli.records import parse_pmid
    from litdb.cli.render import link_json, links_table, to_json
    from litdb.db import citations
    from litdb.db.search import summaries

    pmid = parse_pmid(text)
    opened = database(ctx, db)
    with opened.session() as session:
        if not citations.is_known(session, pmid):
            raise NotFoundError(
                f"PMID {pmid} is not in the database and no stored citation links to it"
            )
        found = (
            citations.cites(session, pmid)
            if direction == "cites"
            else citations.cited_by(session, pmid)
        )
        held = summaries(session, [link.pmid for link in found if link.pmid is not None])
    active = {p for p, s in held.items() if s.status == "active"}
    if in_corpus:
        found = [link for link in found if link.pmid in active]
    if output is LinkFormat.json:
        typer.echo(to_json([link_json(link, held.get(link.pmid), active) for link in found]))
    elif output is LinkFormat.pmid:
        for link in found:
            if link.pmid is not None:
                typer.echo(link.pmid)
    elif found:
        typer.echo(links_table(found, held, active))
    inside = sum(1 for link in found if link.pmid in active)
    unresolved = sum(1 for link in found if link.pmid is None)
    what = "reference(s) of" if direction == "cites" else "record(s) citing"
    note = f"litdb: {len(found)} {what} {pmid}: {inside} in the corpus"
    if not in_corpus:
        note += f", {len(found) - inside - unresolved} outside it"
        if unresolved:
            note += f", {unresolved} without a PMID"
    typer.echo(note, err=True)


@app.command("cites")
def cites_command(
    ctx: typer.Context,
    pmid: PmidArgument,
    in_corpus: InCorpusOption = False,
    output: LinkFormatOption = LinkFormat.table,
    db: DbOption = None,
) -> None:
    """What a record cites: from its ReferenceList, its CommentsCorrections (Cites) and elink,
    in the corpus or not, with titles where the database holds them.

    Example: litdb cites 30223011 --format json
    """
    _links(ctx, pmid, in_corpus, output, db, "cites")


@app.command("cited-by")
def cited_by_command(
    ctx: typer.Context,
    pmid: PmidArgument,
    in_corpus: InCorpusOption = False,
    output: LinkFormatOption = LinkFormat.table,
    db: DbOption = None,
) -> None:
    """What cites a record (which need not be in the corpus itself): corpus records whose
    references list it, and what elink says cites it.

    Example: litdb cited-by 22094201 --in-corpus
    """
    _links(ctx, pmid, in_corpus, output, db, "cited-by")


class Direction(enum.StrEnum):
    both = "both"
    references = "references"
    citations = "citations"


@app.command("snowball")
def snowball_command(
    ctx: typer.Context,
    claim: Annotated[
        str | None,
        typer.Option("--claim", help="Start from this claim's records (default: every record)."),
    ] = None,
    direction: Annotated[
        Direction,
        typer.Option(
            "--direction",
            help="references (what the seeds cite), citations (what cites them) or both.",
            case_sensitive=False,
        ),
    ] = Direction.both,
    min_links: Annotated[
        int, typer.Option("--min-links", min=1, help="Only PMIDs this many seeds link to.")
    ] = 1,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="At most this many candidates (0: all).")
    ] = 0,
    output: LinkFormatOption = LinkFormat.table,
    fetch: Annotated[
        bool,
        typer.Option(
            "--fetch", help="Fetch the candidates from PubMed, tag them and note their origin."
        ),
    ] = False,
    db: DbOption = None,
    claims: ClaimsOption = None,
    quiet: QuietOption = False,
) -> None:
    """PMIDs one citation step from the corpus (or a claim's records) that the database does
    not hold yet, ranked by how many of those records link to them.

    Example: litdb snowball --claim white-matter --min-links 2 --fetch
    """
    from litdb.cli.render import candidates_table, run_line, to_json
    from litdb.db import citations

    definitions = claim_set(ctx, claims)
    if claim is not None:
        from litdb.cli.claims import known_claim

        known_claim(definitions, claim)
    opened = database(ctx, db)
    with opened.session() as session:
        found = citations.snowball(session, claim, direction.value)
        found = [c for c in found if c.links >= min_links]
        if limit:
            found = found[:limit]
        texts = citations.reference_texts(session, [c.pmid for c in found])
    seeds = f"claim {claim}" if claim else "the corpus"
    if not fetch:
        if output is LinkFormat.json:
            typer.echo(
                to_json(
                    [
                        {
                            "pmid": str(c.pmid),
                            "links": c.links,
                            "cited_by_seeds": c.cited_by_seeds,
                            "cites_seeds": c.cites_seeds,
                            "reference": texts.get(c.pmid),
                        }
                        for c in found
                    ]
                )
            )
        elif output is LinkFormat.pmid:
            for c in found:
                typer.echo(c.pmid)
        elif found:
            typer.echo(candidates_table(found, texts))
        typer.echo(
            f"litdb: {len(found)} candidate(s) one citation step from {seeds}, not in the "
            "database (--fetch pulls them in)",
            err=True,
        )
        return
    if not found:
        typer.echo(f"litdb: nothing to fetch: no candidate one step from {seeds}", err=True)
        return
    from litdb.cli.progress import progress_bar
    from litdb.cli.render import alert_line
    from litdb.snowball import fetch_candidates

    client = eutils_client(settings(ctx, db))
    with progress_bar(quiet) as progress:
        report = fetch_candidates(
            opened, client, found, claim=claim, claims=definitions, progress=progress
        )
    typer.echo(run_line(report), err=True)
    for alert in report.alerts:
        typer.echo(f"litdb: {alert_line(alert)}", err=True)
    if report.status != "success" and report.message:
        typer.echo(f"litdb: {report.status}: {report.message}", err=True)
    raise typer.Exit(report.exit_code)
