"""Settings resolved once per command: flags, then LITDB_* / NCBI_* environment, then defaults."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import platformdirs

from litdb.errors import UsageError

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
DEFAULT_TOOL = "litdb"


@dataclass(frozen=True)
class Settings:
    db_url: str
    eutils_url: str = DEFAULT_EUTILS_URL
    ncbi_api_key: str | None = None
    ncbi_email: str | None = None
    ncbi_tool: str = DEFAULT_TOOL
    query_file: Path | None = None
    retries: int = 6
    timeout_seconds: float = 120.0
    claims_file: Path | None = None
    curator: str = "unknown"


def default_query_file() -> Path:
    """The corpus query shipped in ``data/`` (inside the package once installed)."""
    return Path(str(files("litdb.data") / "corpus-query.txt"))


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
        query_file=Path(env["LITDB_QUERY_FILE"]) if env.get("LITDB_QUERY_FILE") else None,
        retries=_number(env, "LITDB_RETRIES", 6, int, minimum=1),
        timeout_seconds=_number(env, "LITDB_TIMEOUT", 120.0, float, minimum=0.1),
        claims_file=Path(env["LITDB_CLAIMS"]) if env.get("LITDB_CLAIMS") else None,
        curator=env.get("LITDB_CURATOR") or _os_user(),
    )


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _number(env: Mapping[str, str], name: str, default, kind, minimum):
    value = env.get(name)
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise UsageError(f"{name}={value!r} is not a number") from None
    if number < minimum:
        raise UsageError(f"{name} must be at least {minimum}")
    return number
