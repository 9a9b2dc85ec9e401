"""Everything SQLite-only lives here, so the rest of litdb runs unchanged on PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from litdb.errors import UsageError


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


# -- full-text search (FTS5) --------------------------------------------------------------------

FTS_TABLE = "articles_fts"


def is_fts_table(name: str) -> bool:
    """The FTS5 table and its shadow tables, which the models do not describe."""
    return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")


def fts_replace(
    connection, rows: list[tuple[int, str, str, str, str]], indexed: set[int] | None = None
) -> None:
    """(Re)index records: (pmid, title, abstract, mesh, keywords); the rowid is the PMID.
    ``indexed``: the PMIDs among them that may be indexed already (None: any of them)."""
    if not rows:
        return
    stale = [(row[0],) for row in rows if indexed is None or row[0] in indexed]
    if stale:
        connection.exec_driver_sql(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", stale)
    connection.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE} (rowid, title, abstract, mesh, keywords) VALUES (?, ?, ?, ?, ?)",
        rows,
    )


_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*")|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_BAREWORD = re.compile(r"^[^\W_]\w*\*?$|^\w+\*?$", re.UNICODE)
_COLUMNS = ("title", "abstract", "mesh", "keywords")


def fts_query(text: str) -> str:
    """A user's search, as FTS5 expects it.

    Users type PubMed-like searches: words, "phrases", prefix* words, AND / OR / NOT,
    parentheses, and title: / abstract: / mesh: / keywords: before a word or phrase. Words
    FTS5 cannot take bare ("IL-6", "5-HT", "Tc-99m") become phrases, which match them as
    written. The result is always passed to SQL as a bound parameter.
    """
    parts: list[str] = []
    depth = 0
    position = 0
    text = text.strip()
    if not text:
        raise UsageError("the search text is empty")
    if text.count('"') % 2:
        raise UsageError(f"the search has a quotation mark that is not closed: {text!r}")
    while position < len(text):
        found = _TOKEN.match(text, position)
        if found is None or found.end() == position:
            raise UsageError(f"cannot read the search at character {position + 1}: {text!r}")
        position = found.end()
        if found.group("phrase"):
            if len(found.group("phrase")) <= 2:
                raise UsageError('the search has an empty phrase ""')
            parts.append(found.group("phrase"))
        elif found.group("paren"):
            depth += 1 if found.group("paren") == "(" else -1
            if depth < 0:
                raise UsageError(f"the search has an unmatched ')': {text!r}")
            parts.append(found.group("paren"))
        else:
            parts.append(_word(found.group("word")))
    if depth:
        raise UsageError(f"the search has {depth} '(' not closed: {text!r}")
    return " ".join(parts)


def _word(word: str) -> str:
    if word in ("AND", "OR", "NOT"):
        return word
    column, colon, rest = word.partition(":")
    if colon and column.lower() in _COLUMNS and rest:
        return f"{column.lower()} : {_word(rest)}"
    if "*" in word.rstrip("*") or word.startswith("*"):
        raise UsageError(f"a * may only end a word (as in glia*), not {word!r}")
    if _BAREWORD.match(word) and not word[:1].isdigit():
        return word
    bare = word.rstrip("*")
    quoted = '"' + bare.replace('"', '""') + '"'
    return quoted + ("*" if word.endswith("*") else "")
