"""Bibliography formats: each a pure function from records to text, found by name here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from litdb.export.bibtex import to_bibtex
from litdb.export.csljson import to_csljson
from litdb.export.csv_table import to_csv
from litdb.export.ris import to_ris
from litdb.records import Article


@dataclass(frozen=True)
class ExportOptions:
    style: str = "vancouver"
    claims: Mapping[str, Sequence[tuple[str, str | None, str]]] = field(default_factory=dict)


def _formatted(output: str) -> Callable[[Sequence[Article], ExportOptions], str]:
    def render(articles: Sequence[Article], options: ExportOptions) -> str:
        from litdb.export.formatted import to_formatted

        return to_formatted(articles, options.style, output)

    return render


FORMATS: dict[str, Callable[[Sequence[Article], ExportOptions], str]] = {
    "bibtex": lambda articles, options: to_bibtex(articles),
    "ris": lambda articles, options: to_ris(articles),
    "csljson": lambda articles, options: to_csljson(articles),
    "csv": lambda articles, options: to_csv(articles, options.claims),
    "text": _formatted("text"),
    "markdown": _formatted("markdown"),
    "html": _formatted("html"),
}


def export(articles: Sequence[Article], format_name: str, options: ExportOptions) -> str:
    return FORMATS[format_name](articles, options)
