"""Where the real NCBI responses live (``../shared/fixtures``), read in place, never copied."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from litdb.pubmed.xml_parser import parse_pubmed_xml
from litdb.records import Article

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT.parent / "shared" / "fixtures"

requires_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason=f"the shared NCBI fixtures are not at {FIXTURES} (a checkout outside the team machines)",
)


def fixture(relative: str) -> Path:
    path = FIXTURES / relative
    if not path.exists():
        pytest.skip(f"fixture {relative} is not at {FIXTURES}")
    return path


def efetch_files() -> list[Path]:
    """Every efetch XML fixture: the Biopython, metapub and hawc recordings."""
    folder = FIXTURES / "eutils" / "efetch"
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.xml")) + sorted((folder / "single").glob("*.xml"))


def medline_files() -> list[Path]:
    folder = FIXTURES / "medline"
    return sorted(folder.glob("*.txt")) if folder.is_dir() else []


def articles_in(data: bytes, keep=None) -> list[Article]:
    """The records of PubMed XML bytes, as litdb's parser reads them (``keep``: its share)."""
    stream = io.BufferedReader(io.BytesIO(data))
    return [r for r in parse_pubmed_xml(stream, "test", keep) if isinstance(r, Article)]
