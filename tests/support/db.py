"""Looking at a database file the way a user would compare two copies of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(path: Path) -> str:
    """Every row of every table, as SQL text: equal dumps mean nothing changed."""
    if not path.exists():
        return ""
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def count(path: Path, sql: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()
