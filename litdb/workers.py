"""Parser processes: the pipe protocol between litdb and ``python -m litdb.parse_worker``.

Parsing PubMed XML and preparing rows is most of the CPU work of an import or a refresh; a child
process does it while the parent writes to the database, so both cores of a small machine work.
Messages are length-prefixed ``marshal`` frames of plain tuples, lists and dicts.

NOTE: a plain subprocess rather than multiprocessing: multiprocessing's "spawn" re-imports the
caller's __main__ module, which breaks scripts that use litdb as a library without a
``__main__`` guard, and "fork" is unsafe beside database connections and progress threads.
"""

from __future__ import annotations

import contextlib
import marshal
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from litdb.claims.model import ClaimSet
from litdb.db.rows import PreparedBatch, RecordSummary
from litdb.errors import InputError
from litdb.records import Deletion

# Answers queued for one parser process before send() waits (each is a few megabytes).
INBOX_BODIES = 4
# Pipe capacity asked for (Linux): megabyte frames then cross in a few system calls rather than
# dozens, and each call is a turn for the parent's threads to pass the interpreter lock around.
PIPE_BYTES = 1 << 20


@dataclass
class PreparedChunk:
    """Rows for a batch of records, where the batch starts in its source, how far it reaches."""

    batch: PreparedBatch
    position: int
    size: int
    start: int = 0  # the ordinal in the file (or the body number) of the chunk's first record

    @property
    def pmids(self) -> list[str]:
        return [str(r.pmid) for r in self.batch.records]

    def to_wire(self) -> tuple:
        records = [(r.pmid, r.content_hash, r.retracted) for r in self.batch.records]
        return (
            records,
            self.batch.articles,
            self.batch.parts,
            self.batch.raw_compressed,
            self.position,
            self.size,
            self.start,
        )

    @classmethod
    def from_wire(cls, wire: tuple) -> PreparedChunk:
        records, articles, parts, compressed, position, size, start = wire
        batch = PreparedBatch([RecordSummary(*r) for r in records], articles, parts, compressed)
        return cls(batch, position, size, start)


@dataclass(frozen=True)
class BadBody:
    """An E-utilities answer the parser process could not read to its end (the refresh asks
    again for what it did not get); any chunks of the records before the fault came first."""

    number: int
    reason: str


@dataclass(frozen=True)
class BodyEnd:
    """Every chunk of an E-utilities answer has been sent."""

    number: int


def send_frame(out: BinaryIO, message: tuple) -> None:
    """One length-prefixed marshal frame (marshal.load on a pipe reads byte by byte: slow)."""
    data = marshal.dumps(message)
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)


def read_frame(stream: BinaryIO) -> bytes | None:
    header = stream.read(8)
    if len(header) < 8:
        return None
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    return data if len(data) == size else None


def encode_item(item: PreparedChunk | Deletion | BadBody | BodyEnd) -> tuple:
    if isinstance(item, PreparedChunk):
        return ("chunk", item.to_wire())
    if isinstance(item, Deletion):
        return ("deletion", (list(item.pmids), item.after))
    if isinstance(item, BodyEnd):
        return ("body-end", item.number)
    return ("bad-body", (item.number, item.reason))


class ParserProcess:
    """One ``python -m litdb.parse_worker ...`` child and a thread that drains its output."""

    def __init__(self, args: list[str], label: str, claims: ClaimSet | None = None) -> None:
        self.label = label
        self.child = subprocess.Popen(
            [sys.executable, "-m", "litdb.parse_worker", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for pipe in (self.child.stdin, self.child.stdout):
            _widen(pipe)
        # the first frame on stdin: the claim definitions to tag with (empty: no tagging)
        self._write(claims.to_json().encode("utf-8") if claims is not None else b"")
        self.frames: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()
        self.inbox: queue.Queue[bytes | None] = queue.Queue(maxsize=INBOX_BODIES)
        self.feeder: threading.Thread | None = None

    def _drain(self) -> None:
        """Move whole frames off the pipe so the child never waits on a full pipe."""
        try:
            assert self.child.stdout is not None
            while (frame := read_frame(self.child.stdout)) is not None:
                self.frames.put(frame)
        finally:
            self.frames.put(None)

    def _write(self, body: bytes) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(len(body).to_bytes(8, "little"))
        self.child.stdin.write(body)
        self.child.stdin.flush()

    def _feed(self) -> None:
        """Hand queued answers to the child as it takes them, then close its input."""
        try:
            while (body := self.inbox.get()) is not None:
                self._write(body)
        except (BrokenPipeError, ValueError):
            pass  # the child stopped; receive() reports why
        finally:
            self._close_input()

    def send(self, body: bytes) -> None:
        """Queue one E-utilities answer for a bodies-mode child. Returns at once unless
        ``INBOX_BODIES`` answers are already waiting, so a busy parser does not hold up the
        next request."""
        if self.feeder is None:
            self.feeder = threading.Thread(target=self._feed, daemon=True)
            self.feeder.start()
        self.inbox.put(body)

    def finish_sending(self) -> None:
        if self.feeder is None:
            self._close_input()
        else:
            self.inbox.put(None)

    def _close_input(self) -> None:
        if self.child.stdin is not None and not self.child.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.child.stdin.close()

    def receive(self) -> PreparedChunk | Deletion | BadBody | BodyEnd | None:
        """The child's next item, or None once it has sent everything."""
        frame = self.frames.get()
        if frame is None:
            code = self.child.wait()
            assert self.child.stderr is not None
            detail = self.child.stderr.read().decode("utf-8", "replace").strip().splitlines()
            raise InputError(
                f"{self.label}: the parser process stopped unexpectedly (exit code {code}"
                + (f": {detail[-1]}" if detail else "")
                + ")"
            )
        kind, payload = marshal.loads(frame)
        if kind == "chunk":
            return PreparedChunk.from_wire(payload)
        if kind == "deletion":
            pmids, after = payload
            return Deletion(tuple(pmids), after)
        if kind == "bad-body":
            return BadBody(*payload)
        if kind == "body-end":
            return BodyEnd(payload)
        if kind == "done":
            return None
        if kind == "input-error":
            raise InputError(payload)
        raise RuntimeError(f"the parser process failed:\n{payload}")

    def close(self) -> None:
        if self.feeder is None:
            self._close_input()
        if self.child.poll() is None:
            self.child.kill()
        self.child.wait()
        if self.feeder is not None:
            while self.feeder.is_alive():  # a killed child breaks its pipe; unblock a full inbox
                with contextlib.suppress(queue.Empty):
                    self.inbox.get_nowait()
                with contextlib.suppress(queue.Full):
                    self.inbox.put_nowait(None)
                self.feeder.join(timeout=0.05)
        while self.reader.is_alive():  # unblock a reader waiting to hand over a last frame
            with contextlib.suppress(queue.Empty):
                self.frames.get(timeout=0.05)
        for stream in (self.child.stdout, self.child.stderr):
            if stream is not None:
                stream.close()


def _widen(pipe) -> None:
    """Ask for ``PIPE_BYTES`` of pipe capacity where the system allows it; else keep its own."""
    setter = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if pipe is None or setter is None or not PIPE_BYTES:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), setter, PIPE_BYTES)
