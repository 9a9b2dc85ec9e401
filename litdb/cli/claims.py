"""``litdb claims``, ``tag``, ``untag`` and ``retag``: the evidence for each claim, and the
curator's word on it."""

from __future__ import annotations

import difflib
from typing import Annotated

import typer

from litdb.claims.model import STANCES, ClaimSet
from litdb.cli.app import app
from litdb.cli.options import (
    ClaimsOption,
    DbOption,
    FormatOption,
    OutputFormat,
    QuietOption,
    claim_set,
    database,
    settings,
)
from litdb.cli.progress import progress_bar
from litdb.cli.records import parse_pmid
from litdb.cli.render import (
    claim_detail_json,
    claim_detail_text,
    claims_json,
    claims_table,
    to_json,
)
from litdb.db import claims as claim_repo
from litdb.db.models import ArticleRow
from litdb.db.types import utcnow
from litdb.errors import NotFoundError, UsageError

claims_app = typer.Typer(invoke_without_command=True)
app.add_typer(claims_app, name="claims")


@claims_app.callback()
def claims_list(
    ctx: typer.Context,
    output: FormatOption = OutputFormat.text,
    claims: ClaimsOption = None,
    db: DbOption = None,
) -> None:
    """Each claim: its label, the records that bear on it, by stance; curated and automatic.

    Example: litdb claims --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    definitions = claim_set(ctx, claims)
    opened = database(ctx, db)
    with opened.session() as session:
        counts = claim_repo.claim_counts(session, definitions)
    if output is OutputFormat.json:
        typer.echo(to_json(claims_json(definitions, counts)))
    else:
        typer.echo(claims_table(definitions, counts))
    stale = sum(c.stale for c in counts.values())
    if stale:
        typer.echo(
            f"litdb: {stale} automatic tag(s) were made with other claim definitions; "
            "run 'litdb retag'",
            err=True,
        )


@claims_app.command("show")
def claims_show(
    ctx: typer.Context,
    claim: Annotated[str, typer.Argument(help="The claim's id, as 'litdb claims' lists it.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many records to show.")] = 10,
    output: FormatOption = OutputFormat.text,
    claims: ClaimsOption = None,
    db: DbOption = None,
) -> None:
    """One claim: its definition, the sentence of the article it checks, its strongest evidence.

    Example: litdb claims show white-matter
    """
    definitions = claim_set(ctx, claims)
    found = known_claim(definitions, claim)
    opened = database(ctx, db)
    with opened.session() as session:
        counts = claim_repo.claim_counts(session, definitions).get(found)
        evidence = claim_repo.strongest_evidence(session, found, limit)
    definition = definitions.get(found)
    assert definition is not None and counts is not None
    if output is OutputFormat.json:
        typer.echo(to_json(claim_detail_json(definition, definitions, counts, evidence)))
    else:
        typer.echo(claim_detail_text(definition, counts, evidence))


def known_claim(definitions: ClaimSet, claim: str) -> str:
    if definitions.get(claim) is not None:
        return claim
    close = difflib.get_close_matches(claim, definitions.ids, n=2)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise NotFoundError(
        f"no claim {claim!r} in {definitions.source} (claims: {', '.join(definitions.ids)}){hint}"
    )


StanceOption = Annotated[
    str | None,
    typer.Option(
        "--stance",
        help="supports, contradicts, mixed or unclear (default: the tagger's suggestion).",
    ),
]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why; kept with the decision.")]


def _curate(ctx, pmid: str, claim: str, decision: str, stance, note, claims, db) -> None:
    number = parse_pmid(pmid)
    if stance is not None and stance not in STANCES:
        raise UsageError(f"--stance must be one of {', '.join(STANCES)} (got {stance!r})")
    definitions = claim_set(ctx, claims)
    found = known_claim(definitions, claim)
    curator = settings(ctx, db).curator
    opened = database(ctx, db)
    with opened.session() as session, session.begin():
        if session.get(ArticleRow, number) is None:
            raise NotFoundError(
                f"PMID {number} is not in the database (add it with 'litdb import' or "
                "'litdb refresh')"
            )
        if decision == "tag" and stance is None:
            auto = claim_repo.auto_tag(session, number, found)
            stance = auto[1] if auto and auto[0] else "unclear"
        claim_repo.curate(
            session,
            number,
            found,
            decision=decision,
            stance=stance if decision == "tag" else None,
            note=note,
            curator=curator,
            now=utcnow(),
        )
    what = f"tagged {found} ({stance})" if decision == "tag" else f"untagged {found}"
    typer.echo(f"PMID {number}: {what} by {curator}" + (f": {note}" if note else ""), err=True)


@app.command("tag")
def tag_command(
    ctx: typer.Context,
    pmid: Annotated[str, typer.Argument(help="The record's PubMed ID.")],
    claim: Annotated[str, typer.Argument(help="The claim's id.")],
    stance: StanceOption = None,
    note: NoteOption = None,
    claims: ClaimsOption = None,
    db: DbOption = None,
) -> None:
    """Record a curator's decision that a record bears on a claim (it wins over the tagger).

    The curator is $LITDB_CURATOR, or your user name.

    Example: litdb tag 30223011 inflammation --stance supports --note "TSPO PET, glial activation"
    """
    _curate(ctx, pmid, claim, "tag", stance, note, claims, db)


@app.command("untag")
def untag_command(
    ctx: typer.Context,
    pmid: Annotated[str, typer.Argument(help="The record's PubMed ID.")],
    claim: Annotated[str, typer.Argument(help="The claim's id.")],
    note: NoteOption = None,
    claims: ClaimsOption = None,
    db: DbOption = None,
) -> None:
    """Record a curator's decision that a record does not bear on a claim.

    Example: litdb untag 12345678 blood-flow --note "perfusion is only a covariate here"
    """
    _curate(ctx, pmid, claim, "untag", None, note, claims, db)


@app.command("retag")
def retag_command(
    ctx: typer.Context,
    claims: ClaimsOption = None,
    db: DbOption = None,
    quiet: QuietOption = False,
) -> None:
    """Recompute every automatic tag, after the claims file changed (curated tags stay).

    Example: litdb retag --claims my-claims.toml
    """
    definitions = claim_set(ctx, claims)
    opened = database(ctx, db)
    with progress_bar(quiet) as progress, opened.session() as session, session.begin():
        report = claim_repo.retag(session, definitions, progress=progress)
    typer.echo(
        f"retagged {report.records} records with claims version {report.version}: "
        f"{report.applied_now} tags apply (were {report.applied_before}); "
        f"{report.newly_applied} new, {report.no_longer_applied} gone, "
        f"{report.stance_changed} changed stance",
        err=True,
    )
