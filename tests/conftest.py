from __future__ import annotations

import socket
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


_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to the E-utilities stand-in on 127.0.0.1 only: a connection anywhere else
    fails the way an unreachable server does, instead of reaching NCBI."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(address) -> None:
        if isinstance(address, tuple) and address[0] not in _LOOPBACK:
            raise ConnectionRefusedError(f"tests do not reach the network (asked for {address})")

    def guarded_connect(self, address):
        refuse(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        refuse(address)
        return connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "litdb.sqlite"


@pytest.fixture
def database(db_path: Path):
    opened = open_database(f"sqlite:///{db_path}")
    yield opened
    opened.close()
