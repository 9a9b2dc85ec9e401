"""Each record of a PubMed XML stream as the bytes it was sent as, cut out while the XML parser
reads the stream: what litdb stores as a record's raw form and hashes to tell changes."""

from __future__ import annotations

import re
from typing import IO

_TAGS = {
    tag: (b"<" + tag.encode(), b"</" + tag.encode())
    for tag in ("PubmedArticle", "PubmedBookArticle")
}
_SPACE = frozenset(b" \t\r\n")
_AFTER_NAME = _SPACE | {ord(">")}
_CLOSE = ord(">")
_DECLARED = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)")
_UTF8 = (b"utf-8", b"utf8", b"us-ascii", b"ascii")


def is_utf8(head: bytes) -> bool:
    """Whether a document starting with ``head`` is UTF-8 (or ASCII), so that its records'
    bytes can be stored as they are."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    declared = _DECLARED.match(head)
    return declared is None or declared.group(1).lower() in _UTF8


class RecordBytes:
    """The stream an XML parser reads, keeping what it read since the last record was taken.

    When the parser reports a record's end, it has read past the record's end tag, so ``take``
    can cut the record out. The buffer drops what was taken once that passes 64 KB: growing
    it further makes every append copy more.
    """

    _COMPACT_AFTER = 1 << 16

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buffer = bytearray()
        self.taken = 0  # where in the buffer the next record is looked for
        self.lost = False  # once a record's bytes cannot be told, no later ones are either

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if not self.lost:
            self.buffer += data
        return data

    def take(self, tag: str, wanted: bool = True) -> bytes | None:
        """The bytes of the ``tag`` record that just ended, from its start tag to its end tag
        (None if not ``wanted``: the record is only passed over); None too when they cannot be
        told, for this record and all that follow (the caller then serialises them).

        A record's tags written inside a comment or a CDATA section would be taken for tags;
        PubMed XML has neither, and looking for them costs more than cutting the record out.
        """
        if self.lost:
            return None
        buffer = self.buffer
        start_tag, end_tag = _TAGS[tag]
        start = buffer.find(start_tag, self.taken)
        while start >= 0 and buffer[start + len(start_tag)] not in _AFTER_NAME:
            start = buffer.find(start_tag, start + 1)  # a longer name: <PubmedArticleSet>
        end = buffer.find(end_tag, start) if start >= 0 else -1
        if end < 0:
            return self._lose()
        end += len(end_tag)
        while end < len(buffer) and buffer[end] in _SPACE:
            end += 1
        if (
            end == len(buffer)
            or buffer[end] != _CLOSE
            or buffer.find(start_tag, start + 1, end) >= 0
        ):
            return self._lose()
        end += 1
        record = None
        if wanted:
            with memoryview(buffer) as view:
                record = bytes(view[start:end])
        self.taken = end
        if end > self._COMPACT_AFTER:
            del buffer[:end]
            self.taken = 0
        return record

    def _lose(self) -> None:
        self.lost = True
        self.buffer.clear()
