"""Records stored before litdb kept raw XML as sent: told apart from changed records, and given
the form they were sent in.

Earlier versions stored a record's XML as lxml serialised its tree, and hashed that. The same
record fetched again now hashes differently, though nothing in it changed. Such a record is
recognised by serialising the new bytes the old way: if that gives the stored hash, the record
is unchanged, and only its raw form and hash are replaced (no event, no other row touched).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from lxml import etree
from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from litdb.db.models import ArticleRow, RawRecordRow
from litdb.db.rows import PreparedBatch, compress_raw, decompress
from litdb.pubmed.xml_parser import serialised_hash

_ARTICLES = ArticleRow.__table__
_RAW = RawRecordRow.__table__


def serialised_earlier(
    batch: PreparedBatch, stored: Mapping[int, tuple[str, str, bool, str]], candidates: set[int]
) -> set[int]:
    """The ``candidates`` (records whose hash differs from the stored one) whose stored hash is
    that of the new XML serialised the old way. ``stored``: hash, status, retracted and raw
    format by PMID."""
    found: set[int] = set()
    for row in batch.parts["raw_records"]:
        pmid, raw_format = row[0], row[1]
        if pmid not in candidates or raw_format != "xml":
            continue
        stored_hash, status, _retracted, stored_format = stored[pmid]
        if status != "active" or stored_format != "xml":
            continue
        sent = decompress(row[2], row[3]) if batch.raw_compressed else row[2]
        if hashlib.sha256(sent).hexdigest() == stored_hash:
            continue  # the same bytes are stored already: something else changed
        try:
            if serialised_hash(sent) == stored_hash:
                found.add(pmid)
        except etree.XMLSyntaxError:
            continue
    return found


def store_as_sent(session: Session, batch: PreparedBatch, pmids: set[int]) -> None:
    """Replace the raw form and hash of ``pmids`` with the ones in ``batch``."""
    rows = [row for row in batch.parts["raw_records"] if row[0] in pmids]
    if not batch.raw_compressed:
        rows = compress_raw(rows)
    values = [
        {"b_pmid": pmid, "compression": compression, "compressed": data, "content_hash": digest}
        for pmid, _format, compression, data, digest in rows
    ]
    session.execute(
        update(_RAW)
        .where(_RAW.c.pmid == bindparam("b_pmid"))
        .values(
            compression=bindparam("compression"),
            compressed=bindparam("compressed"),
            content_hash=bindparam("content_hash"),
        ),
        values,
    )
    session.execute(
        update(_ARTICLES)
        .where(_ARTICLES.c.pmid == bindparam("b_pmid"))
        .values(content_hash=bindparam("content_hash")),
        [{"b_pmid": v["b_pmid"], "content_hash": v["content_hash"]} for v in values],
    )
