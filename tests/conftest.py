from __future__ import annotations

from pathlib import Path

import pytest

from litdb.db.engine import open_database


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's database, NCBI identity or data directory."""
    for name in ("LITDB_DB", "LITDB_EUTILS_URL", "NCBI_API_KEY", "NCBI_EMAIL", "LITDB_CLAIMS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "litdb.sqlite"


@pytest.fixture
def database(db_path: Path):
    opened = open_database(f"sqlite:///{db_path}")
    yield opened
    opened.close()
