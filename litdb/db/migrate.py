"""Alembic, driven from code: the migration scripts ship inside the package as litdb.migrations."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from litdb.db import sqlite


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("litdb.migrations")))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "litdb ships at least one migration"
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
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
