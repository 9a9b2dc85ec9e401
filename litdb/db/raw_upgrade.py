"""Telling a record whose XML is written differently from one whose content changed.

A record's content hash is that of its bytes as sent. The same record can come written another
way: from another source (a character as a reference in one, as UTF-8 in the other), or stored
by an earlier version of litdb, which kept and hashed the XML as lxml serialised it. Such a
record, whose hash differs but whose XML serialises the same, is unchanged: nothing is
rewritten, and no event recorded. A record in an earlier version's form is the one exception:
its raw form and hash are replaced by the bytes as sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from lxml import etree
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from litdb.db.models import ArticleRow, RawRecordRow
from litdb.db.rows import PreparedBatch, compress_raw, decompress
from litdb.pubmed.xml_parser import serialised

_ARTICLES = ArticleRow.__table__
_RAW = RawRecordRow.__table__


def same_content(
    session: Session,
    batch: PreparedBatch,
    stored: Mapping[int, tuple[str, str, bool, str]],
    candidates: set[int],
) -> tuple[set[int], set[int]]:
    """Of the ``candidates`` (records whose new hash differs from the stored one): those whose
    XML serialises as the stored one does, and among them those stored in the serialised form.
    ``stored``: hash, status, retracted and raw format by PMID."""
    same: set[int] = set()
    earlier: set[int] = set()
    compare: dict[int, bytes] = {}
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
            form = serialised(sent)
        except etree.XMLSyntaxError:
            continue
        if hashlib.sha256(form).hexdigest() == stored_hash:
            earlier.add(pmid)
        else:
            compare[pmid] = form
    if compare:
        rows = session.execute(
            select(_RAW.c.pmid, _RAW.c.compression, _RAW.c.compressed).where(
                _RAW.c.pmid.in_(sorted(compare))
            )
        )
        for pmid, compression, data in rows:
            try:
                if serialised(decompress(compression, data)) == compare[pmid]:
                    same.add(pmid)
            except etree.XMLSyntaxError:
                continue
    return same | earlier, earlier


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
