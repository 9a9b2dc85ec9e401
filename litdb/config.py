"""Settings resolved once per command: flags, then LITDB_* / NCBI_* environment, then defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
DEFAULT_TOOL = "litdb"


@dataclass(frozen=True)
class Settings:
    db_url: str
    eutils_url: str = DEFAULT_EUTILS_URL
    ncbi_api_key: str | None = None
    ncbi_email: str | None = None
    ncbi_tool: str = DEFAULT_TOOL


def default_db_path() -> Path:
    return platformdirs.user_data_path("litdb") / "litdb.sqlite"


def database_url(value: str) -> str:
    """Turn what a user typed after --db (a file path or an SQLAlchemy URL) into a URL."""
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def resolve_settings(db: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    db_value = db or env.get("LITDB_DB") or str(default_db_path())
    eutils_url = env.get("LITDB_EUTILS_URL") or DEFAULT_EUTILS_URL
    if not eutils_url.endswith("/"):
        eutils_url += "/"
    return Settings(
        db_url=database_url(db_value),
        eutils_url=eutils_url,
        ncbi_api_key=env.get("NCBI_API_KEY") or None,
        ncbi_email=env.get("NCBI_EMAIL") or None,
        ncbi_tool=env.get("NCBI_TOOL") or DEFAULT_TOOL,
    )
