"""Options shared by several commands, and opening the database they name."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from litdb.claims.model import ClaimSet
from litdb.claims_file import load_claims
from litdb.config import Settings, resolve_settings
from litdb.db.engine import Database, open_database

if TYPE_CHECKING:
    from litdb.pubmed.eutils import EutilsClient

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH_OR_URL",
        help="Database file or SQLAlchemy URL (default: $LITDB_DB, then litdb.sqlite in your "
        "data directory).",
    ),
]

ClaimsOption = Annotated[
    Path | None,
    typer.Option(
        "--claims",
        metavar="FILE",
        help="Claim definitions (default: $LITDB_CLAIMS, then the built-in data/claims.toml).",
    ),
]

QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar; only the final summary.")
]


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


def settings(ctx: typer.Context, db: str | None) -> Settings:
    root_db = (ctx.find_root().obj or {}).get("db")
    return resolve_settings(db=db or root_db)


def claim_set(ctx: typer.Context, claims: Path | None) -> ClaimSet:
    """The claims to tag with; a broken file stops the command before it changes anything."""
    return load_claims(claims or settings(ctx, None).claims_file)


def eutils_client(resolved: Settings) -> EutilsClient:
    from litdb.pubmed.eutils import EutilsClient
    from litdb.pubmed.http import Identity, RetryPolicy

    identity = Identity(
        tool=resolved.ncbi_tool, email=resolved.ncbi_email, api_key=resolved.ncbi_api_key
    )
    return EutilsClient(
        resolved.eutils_url,
        identity,
        retry=RetryPolicy(attempts=resolved.retries),
        timeout=(min(10.0, resolved.timeout_seconds), resolved.timeout_seconds),
    )


def database(ctx: typer.Context, db: str | None, *, upgrade: bool = True) -> Database:
    """Open (and migrate) the database for this command; it is closed when the command ends."""
    opened = open_database(settings(ctx, db).db_url, upgrade=upgrade)
    ctx.call_on_close(opened.close)
    if opened.backup_path is not None:
        typer.echo(
            f"litdb: upgraded the database schema; the previous file is saved as "
            f"{opened.backup_path}",
            err=True,
        )
    return opened
