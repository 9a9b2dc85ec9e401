"""The Typer application and the one place where errors become messages and exit codes."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from litdb import __version__
from litdb.errors import LitdbError

INTERRUPTED = 130


class LitdbGroup(TyperGroup):
    """Runs a command; turns litdb's expected failures into one line on stderr and an exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LitdbError as exc:
            if _debug(ctx):
                raise
            typer.echo(f"litdb: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            typer.echo("litdb: interrupted; work committed so far is kept", err=True)
            raise typer.Exit(INTERRUPTED) from None


def _debug(ctx: typer.Context) -> bool:
    return bool(ctx.params.get("debug")) or bool(ctx.obj and ctx.obj.get("debug"))


app = typer.Typer(
    cls=LitdbGroup,
    name="litdb",
    help="A citation-tracking literature database for checking health claims against PubMed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"litdb {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help="Database file or SQLAlchemy URL for every command (default: $LITDB_DB, then "
            "litdb.sqlite in your data directory).",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """litdb keeps PubMed records about a question and the evidence they hold for health claims.

    Example: litdb import pubmed_result.xml && litdb stats
    """
    ctx.obj = {"db": db, "debug": debug}


def main() -> None:
    """Console entry point."""
    sys.exit(app(prog_name="litdb", standalone_mode=True))
