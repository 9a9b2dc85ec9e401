"""Open a file of PubMed records, whatever form it comes in: XML, gzipped XML or MEDLINE text."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from litdb.errors import InputError
from litdb.pubmed.medline_parser import parse_medline
from litdb.pubmed.xml_parser import parse_pubmed_xml
from litdb.records import Article, Deletion

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"


def sniff_format(path: Path) -> str | None:
    """``"xml"`` or ``"medline"`` from a file's first bytes (gzip looked inside), else None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            if head[:2] == _GZIP_MAGIC:
                handle.seek(0)
                with gzip.GzipFile(fileobj=handle) as unpacked:
                    head = unpacked.read(4096)
    except (OSError, EOFError, zlib.error):
        return None
    start = head.removeprefix(_BOM).lstrip()
    if start.startswith(b"<"):
        return "xml"
    if start.startswith(b"PMID-"):
        return "medline"
    return None


class RecordFile:
    """An open PubMed file: iterate it for records; ``position`` tells how far the reading got.

    ``keep`` selects records by their ordinal in an XML file (see ``parse_pubmed_xml``).
    """

    def __init__(self, path: Path, keep: Callable[[int], bool] | None = None) -> None:
        self.keep = keep
        self.path = path
        self.name = str(path)
        try:
            self._raw: IO[bytes] = open(path, "rb", buffering=1 << 16)  # noqa: SIM115 - closed by close()
            self.size = path.stat().st_size
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory, not a file of records") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None

    @property
    def position(self) -> int:
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> RecordFile:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def __iter__(self) -> Iterator[Article | Deletion]:
        try:
            yield from self._records()
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputError(f"{self.name}: damaged or truncated gzip data ({exc})") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{self.name}: not UTF-8 text (byte {exc.start} of a line cannot be decoded)"
            ) from None
        except OSError as exc:
            raise InputError(f"{self.name}: cannot read: {exc.strerror or exc}") from None

    def _records(self) -> Iterator[Article | Deletion]:
        stream = self._raw
        if stream.peek(2)[:2] == _GZIP_MAGIC:
            stream = io.BufferedReader(gzip.GzipFile(fileobj=stream), buffer_size=1 << 16)  # type: ignore[arg-type]
        head = stream.peek(4096)
        start = head.removeprefix(_BOM).lstrip()
        if not start:
            raise InputError(f"{self.name}: the file is empty")
        if start.startswith(b"<"):
            yield from parse_pubmed_xml(stream, self.name, self.keep)
        elif start.startswith(b"PMID-"):
            if self.keep is not None:
                raise ValueError("selecting records by ordinal works on XML files only")
            yield from parse_medline(io.TextIOWrapper(stream, encoding="utf-8-sig"), self.name)
        else:
            raise InputError(
                f"{self.name}: neither PubMed XML nor MEDLINE text "
                "(it should begin with '<' or 'PMID-')"
            )
