"""litdb's command line: parses options, calls the core, renders what it returns."""

from litdb.cli import claims, database, query, records, refresh  # noqa: F401 - registers the commands
from litdb.cli.app import app, main

__all__ = ["app", "main"]
