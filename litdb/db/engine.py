"""Opening a database: engine, SQLite settings, and bringing the schema to head before use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from litdb.db import migrate, sqlite
from litdb.errors import DatabaseError


@dataclass
class Database:
    url: str
    engine: Engine
    upgraded: bool = False
    upgraded_from: str | None = None  # the revision before the upgrade (None: an empty database)
    backup_path: Path | None = None

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()


def create_db_engine(url: str) -> Engine:
    if sqlite.is_sqlite(url):
        path = sqlite.sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise DatabaseError(f"cannot use database {safe_url(url)}: {exc}") from exc
    if sqlite.is_sqlite(url):
        sqlite.configure(engine)
    return engine


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """Open the database at ``url``, upgrading its schema to head first unless told not to.

    A non-empty SQLite file is backed up beside itself before an upgrade changes it.
    """
    engine = create_db_engine(url)
    database = Database(url=url, engine=engine)
    try:
        current = migrate.current_revision(engine)
        if current is not None and current not in migrate.known_revisions():
            raise DatabaseError(
                f"database {safe_url(url)} is at schema revision {current}, which this litdb "
                "does not know; it was written by a newer litdb"
            )
        if upgrade and current != migrate.head_revision():
            path = sqlite.sqlite_path(url)
            if path is not None and sqlite.has_tables(path):
                database.backup_path = sqlite.backup(path, f"before-{migrate.head_revision()}")
            migrate.upgrade(engine)
            database.upgraded = True
            database.upgraded_from = current
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open database {safe_url(url)}: {_reason(exc)}") from exc
    except DatabaseError:
        engine.dispose()
        raise
    return database


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).splitlines()[0]
