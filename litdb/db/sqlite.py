"""Everything SQLite-only lives here, so the rest of litdb runs unchanged on PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for in-memory and non-SQLite databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def configure(engine: Engine) -> None:
    """Foreign keys on, WAL journal, a busy timeout, and transactions that really begin.

    NOTE: Python's sqlite3 module only opens a transaction before INSERT/UPDATE/DELETE, so reads
    and DDL would run outside it; the SQLAlchemy documentation's recipe ("Serializable isolation /
    Savepoints / Transactional DDL") hands transaction control to SQLAlchemy instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA cache_size=-16384")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


def set_foreign_keys(dbapi_connection, enabled: bool) -> None:
    """Switch foreign key enforcement; SQLite ignores this inside a transaction.

    Migrations switch it off: rebuilding a table in batch mode would otherwise cascade deletes
    into the tables that refer to it.
    """
    dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")


def foreign_key_violations(dbapi_connection) -> list[tuple]:
    return list(dbapi_connection.execute("PRAGMA foreign_key_check").fetchall())


def backup(path: Path, label: str) -> Path:
    """Copy a live SQLite database (WAL included) to ``<name>.<label>-<time>.bak`` beside it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
        return bool(row and row[0])
    finally:
        connection.close()
