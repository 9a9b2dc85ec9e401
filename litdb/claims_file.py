"""Reading claim definitions from disk: the built-in data/claims.toml, or a user's file."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from litdb.claims.loader import ClaimsError, parse_claims
from litdb.claims.model import ClaimSet


def default_claims_file() -> Path:
    return Path(str(files("litdb.data") / "claims.toml"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ClaimsError(f"{path}: cannot read the claims file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ClaimsError(f"{path}: the claims file is not UTF-8 text") from None


def load_claims(path: Path | None = None) -> ClaimSet:
    """The claims litdb tags with: the built-in ones, or ``path`` (replacing or extending them)."""
    default_path = default_claims_file()
    default = parse_claims(_read(default_path), str(default_path))
    if path is None or path.resolve() == default_path.resolve():
        return default
    return parse_claims(_read(path), str(path), base=default)
