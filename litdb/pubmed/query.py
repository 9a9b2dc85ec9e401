"""PubMed query text: read from a commented file, folded to one line, checked before sending."""

from __future__ import annotations

from pathlib import Path

from litdb.errors import InputError, UsageError


def fold_query(text: str) -> str:
    """Drop ``#`` comment lines and fold the rest into one line of single spaces."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return " ".join(" ".join(lines).split())


def read_query_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the query file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the query file is not UTF-8 text") from None
    query = fold_query(text)
    if not query:
        raise InputError(f"{path}: the query file holds no query (only comments?)")
    try:
        check_query(query, where=str(path))
    except UsageError as exc:
        raise InputError(str(exc)) from None
    return query


def check_query(query: str, where: str = "the query") -> None:
    """Catch what PubMed would misread silently: empty text, unbalanced parentheses or quotes,
    an empty field tag."""
    if not query.strip():
        raise UsageError(f"{where} is empty")
    depth = 0
    quoted = False
    for position, char in enumerate(query, start=1):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise UsageError(f"{where}: unmatched ')' at character {position}")
        elif char == "[" and query[position : position + 1] == "]":
            raise UsageError(f"{where}: empty field tag '[]' at character {position}")
    if quoted:
        raise UsageError(f"{where}: a quotation mark is not closed")
    if depth > 0:
        raise UsageError(f"{where}: {depth} '(' not closed")
