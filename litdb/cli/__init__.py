"""litdb's command line: parses options, calls the core, renders what it returns."""

from litdb.cli import (  # noqa: F401 - registers the commands
    citations,
    claims,
    database,
    query,
    records,
    refresh,
)
from litdb.cli.app import app, main

__all__ = ["app", "main"]
