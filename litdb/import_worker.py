"""The child process of a large import: parse a file and send prepared batches to stdout.

Run by ``litdb.ingest`` as ``python -m litdb.import_worker PATH PART PARTS`` to read one share of
the file's records (see ``litdb.ingest.prepared_items``). Each item on stdout is one
``marshal``-encoded ``(kind, payload)`` pair: ``("chunk", rows)`` or ``("deletion", pmids)`` in
file order, then ``("done", None)`` or the error.
"""

from __future__ import annotations

import gc
import marshal
import sys
import traceback
from pathlib import Path

from litdb.errors import InputError
from litdb.ingest import PreparedChunk, prepared_items


def send(out, message: tuple) -> None:
    """One length-prefixed marshal frame (marshal.load on a pipe reads byte by byte: slow)."""
    data = marshal.dumps(message)
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)


def main(path: str, part: int, parts: int) -> int:
    gc.disable()  # a short-lived process that frees everything by reference counting
    out = sys.stdout.buffer
    try:
        for item in prepared_items(Path(path), part=part, parts=parts):
            if isinstance(item, PreparedChunk):
                send(out, ("chunk", item.to_wire()))
            else:
                send(out, ("deletion", (list(item.pmids), item.after)))
        send(out, ("done", None))
    except InputError as exc:
        send(out, ("input-error", str(exc)))
    except BrokenPipeError:
        return 1  # the parent stopped reading (an error on its side, or Ctrl-C)
    except Exception:
        send(out, ("crash", traceback.format_exc()))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
