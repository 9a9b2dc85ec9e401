"""``litdb db``: the database's schema revision, and upgrading it explicitly."""

from __future__ import annotations

import typer

from litdb.cli.app import app
from litdb.cli.options import DbOption, database, settings
from litdb.db import migrate
from litdb.db.engine import safe_url

db_app = typer.Typer(help="Inspect and upgrade the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command()
def upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """Bring the database schema to the newest revision (every command also does this first).

    Example: litdb db upgrade --db corpus.sqlite
    """
    opened = database(ctx, db)
    revision = migrate.current_revision(opened.engine)
    if not opened.upgraded:
        before = "already at"
    else:
        before = f"upgraded from {opened.upgraded_from or 'an empty database'} to"
    typer.echo(f"{safe_url(opened.url)}: {before} revision {revision} (head)")


@db_app.command()
def current(ctx: typer.Context, db: DbOption = None) -> None:
    """Print the database's schema revision without changing anything.

    Example: litdb db current
    """
    opened = database(ctx, db, upgrade=False)
    revision = migrate.current_revision(opened.engine)
    head = migrate.head_revision()
    state = "head" if revision == head else f"behind head {head}; run 'litdb db upgrade'"
    typer.echo(f"{safe_url(settings(ctx, db).db_url)}: revision {revision or 'none'} ({state})")
