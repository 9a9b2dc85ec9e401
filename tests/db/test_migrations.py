"""Alembic is the only way the schema changes: the migrations build exactly the models' schema."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from litdb.db import migrate
from litdb.db.articles import load_article
from litdb.db.engine import create_db_engine, open_database
from litdb.db.models import Base
from litdb.db.sqlite import is_fts_table


def schema_diff(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, *_: (
                    not (type_ == "table" and is_fts_table(name))
                ),
            },
        )
        return compare_metadata(context, Base.metadata)


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_empty_database_upgraded_to_head_has_exactly_the_models_schema(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    assert schema_diff(database.engine) == []
    # Alembic cannot compare indexes on expressions in SQLite; check those by name
    expected = {
        index.name
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if any(
            not hasattr(e, "name") or e.__class__.__name__ != "Column" for e in index.expressions
        )
    }
    with database.engine.connect() as connection:
        present = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index'"
            ).scalars()
        )
    assert expected and expected <= present
    assert database.backup_path is None  # nothing to back up in a new file


def test_head_to_base_to_head(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'cycle.sqlite'}")
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert schema_diff(engine) == []


def test_every_step_down_and_up_again(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'steps.sqlite'}")
    for revision in revisions_oldest_first():
        migrate.upgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
    for revision in reversed(revisions_oldest_first()[:-1]):
        migrate.downgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
    migrate.upgrade(engine)
    assert schema_diff(engine) == []


def test_upgrading_a_database_that_holds_data_from_the_first_revision_keeps_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_db_engine(f"sqlite:///{path}")
    first = revisions_oldest_first()[0]
    migrate.upgrade(engine, first)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO articles (pmid, version, kind, status, title, retracted, raw_format,"
                " content_hash, first_seen_at, updated_at, year)"
                " VALUES (12345678, '1', 'article', 'active', 'A record stored at the first"
                " revision', 0, 'xml', 'abc', '2024-01-01 00:00:00', '2024-01-01 00:00:00', 2001)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO authors (pmid, role, position, last_name, valid)"
                " VALUES (12345678, 'author', 0, 'Keeper', 1)"
            )
        )
    engine.dispose()
    database = open_database(f"sqlite:///{path}")
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    with database.session() as session:
        stored = load_article(session, 12345678)
    assert stored is not None
    assert stored.article.title == "A record stored at the first revision"
    assert [a.last_name for a in stored.article.authors] == ["Keeper"]


def test_opening_an_out_of_date_file_makes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "stale.sqlite"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")  # leaves the alembic_version table: a non-empty file
    engine.dispose()
    database = open_database(f"sqlite:///{path}")
    assert database.backup_path is not None and database.backup_path.exists()
    assert database.backup_path.name.startswith("stale.sqlite.before-")
    assert migrate.current_revision(database.engine) == migrate.head_revision()


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'pragma.sqlite'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_curated_records_from_before_search_and_citations_survive_and_become_searchable(
    tmp_path: Path,
) -> None:
    """A database of the claims revision (0003), with a record, its references and a
    curator's decision, upgraded through the full-text index and citation revisions."""
    from litdb.db.citations import cites
    from litdb.db.search import Selection, search

    path = tmp_path / "claims-era.sqlite"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO articles (pmid, version, kind, status, title, retracted, raw_format,"
                " content_hash, first_seen_at, updated_at, year)"
                " VALUES (23456789, '1', 'article', 'active', 'Periventricular hyperintensities"
                " in fibromyalgia', 0, 'xml', 'abc', '2024-01-01 00:00:00',"
                " '2024-01-01 00:00:00', 2019)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO article_references (pmid, position, citation, cited_pmid)"
                " VALUES (23456789, 0, 'Pain. 2001;1:1', 11111111)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO curations (pmid, claim_id, decision, stance, note, curator,"
                " created_at) VALUES (23456789, 'white-matter', 'tag', 'supports',"
                " 'FLAIR lesions counted by two readers', 'ada', '2024-02-02 00:00:00')"
            )
        )
        curations_before = connection.execute(text("SELECT count(*) FROM curations")).scalar()
    engine.dispose()

    database = open_database(f"sqlite:///{path}")
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    with database.engine.connect() as connection:
        curations = connection.execute(
            text("SELECT pmid, claim_id, decision, stance, note, curator FROM curations")
        ).all()
    assert curations_before == 1
    assert [tuple(row) for row in curations] == [
        (
            23456789,
            "white-matter",
            "tag",
            "supports",
            "FLAIR lesions counted by two readers",
            "ada",
        )
    ]
    with database.session() as session:
        # the index was filled from the records already there
        found = search(session, Selection(text="hyperintensities"))
        assert [hit.pmid for hit in found.hits] == [23456789]
        assert [link.pmid for link in cites(session, 23456789)] == [11111111]
