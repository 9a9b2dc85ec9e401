"""A parser process: PubMed XML in, prepared rows out, as ``marshal`` frames on stdout.

Two modes, both started by litdb itself (see ``litdb.workers``):

``python -m litdb.parse_worker file PATH PART PARTS``
    read one share of a file's records (an import; see ``litdb.chunks.prepared_items``);
``python -m litdb.parse_worker bodies CHUNK``
    read length-prefixed efetch answers from stdin; send each one's rows in chunks of CHUNK
    records, then the answer's end (a refresh).

In both, the first frame on stdin holds the claim definitions to tag with (empty: none).

The last frame is ``("done", None)``, or the error that stopped the process.
"""

from __future__ import annotations

import gc
import io
import os
import sys
import traceback
from pathlib import Path

from litdb.chunks import prepared_items
from litdb.claims.model import ClaimSet
from litdb.claims.tagger import compile_claims
from litdb.db.rows import prepare_batch
from litdb.errors import InputError
from litdb.pubmed.xml_parser import parse_pubmed_xml
from litdb.records import Article
from litdb.workers import (
    BadBody,
    BodyEnd,
    PreparedChunk,
    encode_item,
    read_frame,
    send_frame,
)

# Parser processes run below the parent: the writer is the one part of a refresh or an import
# that cannot be shared out, so it should never wait for a core.
NICENESS = 5


def parse_file(path: str, part: int, parts: int, claims: ClaimSet | None, out) -> None:
    for item in prepared_items(Path(path), part=part, parts=parts, claims=claims, compress=True):
        send_frame(out, encode_item(item))


def parse_bodies(source, claims: ClaimSet | None, out, chunk_size: int) -> None:
    """Rows for each answer in chunks of ``chunk_size`` records, sent as soon as each is ready
    (the writer stores them while the rest is parsed), then ``BodyEnd``; or, for an answer that
    cannot be read to its end, the records before the fault and then ``BadBody``."""
    number = 0
    while (body := read_frame(source)) is not None:
        records: list[Article] = []
        try:
            for record in parse_pubmed_xml(io.BufferedReader(io.BytesIO(body)), "efetch answer"):
                if isinstance(record, Article):
                    records.append(record)
                    if len(records) == chunk_size:
                        _send_records(out, records, claims, number)
                        records = []
        except InputError as exc:
            end: BadBody | BodyEnd = BadBody(number, str(exc))
        else:
            end = BodyEnd(number)
        if records:
            _send_records(out, records, claims, number)
        send_frame(out, encode_item(end))
        out.flush()
        number += 1


def _send_records(out, records: list[Article], claims: ClaimSet | None, number: int) -> None:
    batch = prepare_batch(records, claims, compress=True)
    send_frame(out, encode_item(PreparedChunk(batch, number, 0, number)))
    out.flush()


def main(argv: list[str]) -> int:
    gc.disable()  # a short-lived process that frees everything by reference counting
    if hasattr(os, "nice"):
        os.nice(NICENESS)
    out = sys.stdout.buffer
    try:
        definitions = read_frame(sys.stdin.buffer)
        claims = ClaimSet.from_json(definitions.decode("utf-8")) if definitions else None
        if claims is not None:
            compile_claims(claims)  # now, while the first answer is still on its way
        if argv[0] == "file":
            parse_file(argv[1], int(argv[2]), int(argv[3]), claims, out)
        else:
            parse_bodies(sys.stdin.buffer, claims, out, int(argv[1]))
        send_frame(out, ("done", None))
    except InputError as exc:
        send_frame(out, ("input-error", str(exc)))
    except BrokenPipeError:
        return 1  # the parent stopped reading (an error on its side, or Ctrl-C)
    except Exception:
        send_frame(out, ("crash", traceback.format_exc()))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
