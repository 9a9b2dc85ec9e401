"""A parser process: PubMed XML in, prepared rows out, as ``marshal`` frames on stdout.

Two modes, both started by litdb itself (see ``litdb.workers``):

``python -m litdb.parse_worker file PATH PART PARTS``
    read one share of a file's records (an import; see ``litdb.ingest.prepared_items``);
``python -m litdb.parse_worker bodies``
    read length-prefixed efetch answers from stdin, one chunk of rows per answer (a refresh).

In both, the first frame on stdin holds the claim definitions to tag with (empty: none).

The last frame is ``("done", None)``, or the error that stopped the process.
"""

from __future__ import annotations

import gc
import io
import sys
import traceback
from pathlib import Path

from litdb.claims.model import ClaimSet
from litdb.db.rows import prepare_batch
from litdb.errors import InputError
from litdb.ingest import prepared_items
from litdb.pubmed.xml_parser import parse_pubmed_xml
from litdb.records import Article
from litdb.workers import BadBody, PreparedChunk, encode_item, read_frame, send_frame


def parse_file(path: str, part: int, parts: int, claims: ClaimSet | None, out) -> None:
    for item in prepared_items(Path(path), part=part, parts=parts, claims=claims, compress=True):
        send_frame(out, encode_item(item))


def parse_bodies(source, claims: ClaimSet | None, out) -> None:
    number = 0
    while (body := read_frame(source)) is not None:
        try:
            stream = io.BufferedReader(io.BytesIO(body))
            records = [
                r for r in parse_pubmed_xml(stream, "efetch answer") if isinstance(r, Article)
            ]
        except InputError as exc:
            send_frame(out, encode_item(BadBody(number, str(exc))))
        else:
            chunk = PreparedChunk(prepare_batch(records, claims), number, number, number)
            send_frame(out, encode_item(chunk))
        out.flush()
        number += 1


def main(argv: list[str]) -> int:
    gc.disable()  # a short-lived process that frees everything by reference counting
    out = sys.stdout.buffer
    try:
        definitions = read_frame(sys.stdin.buffer)
        claims = ClaimSet.from_json(definitions.decode("utf-8")) if definitions else None
        if argv[0] == "file":
            parse_file(argv[1], int(argv[2]), int(argv[3]), claims, out)
        else:
            parse_bodies(sys.stdin.buffer, claims, out)
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
