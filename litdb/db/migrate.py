"""Alembic, driven from code: the migration scripts ship inside the package as litdb.migrations.

Every command opens the database and checks its revision first, so that check avoids importing
Alembic (a tenth of a second): the revision is read with one SELECT and the head from the
migration files' ``revision`` lines; Alembic itself loads only to upgrade.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from litdb.db import sqlite

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r'^revision(?::\s*str)?\s*=\s*["\']([^"\']+)["\']', re.M)
_DOWN = re.compile(r'^down_revision(?::[^=]+)?=\s*(?:["\']([^"\']+)["\']|None)', re.M)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("litdb.migrations")))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _revisions() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files."""
    found: dict[str, str | None] = {}
    for path in Path(str(files("litdb.migrations"))).joinpath("versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision and down:
            found[revision.group(1)] = down.group(1)
    return found


def head_revision() -> str:
    revisions = _revisions()
    heads = set(revisions) - {down for down in revisions.values() if down}
    assert len(heads) == 1, f"litdb's migrations must have one head, not {sorted(heads)}"
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revisions())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None  # no alembic_version table: a new, empty database


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    _run(engine, lambda config: command.downgrade(config, revision))


def _run(engine: Engine, action) -> None:
    with engine.connect() as connection:
        on_sqlite = connection.dialect.name == "sqlite"
        if on_sqlite:
            sqlite.set_foreign_keys(connection.connection.dbapi_connection, enabled=False)
        try:
            action(alembic_config(connection))
            connection.commit()
        finally:
            if on_sqlite:
                raw = connection.connection.dbapi_connection
                violations = sqlite.foreign_key_violations(raw)
                sqlite.set_foreign_keys(raw, enabled=True)
                if violations:
                    raise RuntimeError(f"migration left foreign key violations: {violations[:5]}")
