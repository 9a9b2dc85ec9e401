"""Repository functions for refresh runs: queries, the run log, per-record events, the lock."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from litdb.db.articles import bulk_insert, chunked
from litdb.db.engine import Database
from litdb.db.models import LockRow, QueryMatchRow, QueryRow, RunEventRow, RunRow
from litdb.db.types import utcnow
from litdb.errors import LitdbError

COUNTED_EVENTS = (
    "added",
    "updated",
    "unchanged",
    "deleted",
    "dropped",
    "retracted",
    "corrected",
    "linked",
    "failed",
)
FETCHED_EVENTS = ("added", "updated", "unchanged")
LOCK_STALE_AFTER = timedelta(minutes=10)


class RefreshLocked(LitdbError):
    """Another refresh holds the database."""


def query_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def query_id(session: Session, text: str, now: datetime) -> int:
    digest = query_hash(text)
    found = session.scalar(select(QueryRow.id).where(QueryRow.hash == digest))
    if found is not None:
        return found
    session.add(row := QueryRow(hash=digest, text=text, created_at=now))
    session.flush()
    return row.id


def last_successful_run(session: Session, query: int) -> RunRow | None:
    return session.scalars(
        select(RunRow)
        .where(RunRow.query_id == query, RunRow.status == "success")
        .order_by(RunRow.id.desc())
        .limit(1)
    ).first()


def unfinished_runs_since(session: Session, query: int, after_run: int | None) -> list[RunRow]:
    """Runs of ``query`` after the last success that did not finish (interrupted, partial...)."""
    conditions = [RunRow.query_id == query, RunRow.status != "success"]
    if after_run is not None:
        conditions.append(RunRow.id > after_run)
    return list(session.scalars(select(RunRow).where(*conditions).order_by(RunRow.id)))


def fetched_pmids(session: Session, run_ids: Sequence[int]) -> set[int]:
    if not run_ids:
        return set()
    return set(
        session.scalars(
            select(RunEventRow.pmid).where(
                RunEventRow.run_id.in_(run_ids), RunEventRow.event.in_(FETCHED_EVENTS)
            )
        )
    )


def start_run(session: Session, **values) -> RunRow:
    run = RunRow(host=socket.gethostname(), pid=os.getpid(), **values)
    session.add(run)
    session.flush()
    return run


def record_events(session: Session, run_id: int, events: Iterable[tuple[int, str]]) -> None:
    rows = [(run_id, pmid, event) for pmid, event in set(events)]
    if rows:
        bulk_insert(session.connection(), RunEventRow.__table__, rows)


def update_run(session: Session, run_id: int, **values) -> None:
    session.execute(update(RunRow).where(RunRow.id == run_id).values(**values))


def event_counts(session: Session, run_id: int) -> dict[str, int]:
    rows = session.execute(
        select(RunEventRow.event, func.count())
        .where(RunEventRow.run_id == run_id)
        .group_by(RunEventRow.event)
    )
    counts = dict.fromkeys(COUNTED_EVENTS, 0)
    counts.update({event: n for event, n in rows})
    return counts


def record_matches(session: Session, query: int, run_id: int, pmids: Iterable[int]) -> None:
    """Note that ``query`` returned ``pmids`` in ``run_id`` (clearing any earlier drop)."""
    wanted = sorted(set(pmids))
    for chunk in chunked(wanted):
        known = set(
            session.scalars(
                select(QueryMatchRow.pmid).where(
                    QueryMatchRow.query_id == query, QueryMatchRow.pmid.in_(chunk)
                )
            )
        )
        if known:
            session.execute(
                update(QueryMatchRow)
                .where(QueryMatchRow.query_id == query, QueryMatchRow.pmid.in_(known))
                .values(last_run_id=run_id, dropped_run_id=None)
            )
        fresh = [p for p in chunk if p not in known]
        if fresh:
            session.execute(
                insert(QueryMatchRow),
                [
                    {"query_id": query, "pmid": p, "first_run_id": run_id, "last_run_id": run_id}
                    for p in fresh
                ],
            )


def matches_missing_from(session: Session, query: int, found: set[int]) -> set[int]:
    """Records ``query`` returned before, not marked dropped, that are not in ``found`` now."""
    members = session.scalars(
        select(QueryMatchRow.pmid).where(
            QueryMatchRow.query_id == query, QueryMatchRow.dropped_run_id.is_(None)
        )
    )
    return {pmid for pmid in members if pmid not in found}


def mark_dropped(session: Session, query: int, run_id: int, pmids: Iterable[int]) -> None:
    for chunk in chunked(sorted(set(pmids))):
        session.execute(
            update(QueryMatchRow)
            .where(QueryMatchRow.query_id == query, QueryMatchRow.pmid.in_(chunk))
            .values(dropped_run_id=run_id)
        )


# -- reading the log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunEvent:
    pmid: int
    event: str


def list_runs(session: Session, limit: int = 20) -> list[RunRow]:
    return list(session.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)))


def get_run(session: Session, run_id: int) -> RunRow | None:
    return session.get(RunRow, run_id)


def run_events(session: Session, run_id: int) -> list[RunEvent]:
    rows = session.execute(
        select(RunEventRow.pmid, RunEventRow.event)
        .where(RunEventRow.run_id == run_id)
        .order_by(RunEventRow.event, RunEventRow.pmid)
    )
    return [RunEvent(pmid, event) for pmid, event in rows]


# -- the lock ------------------------------------------------------------------------------------


@dataclass
class Lock:
    """Held while a refresh runs; ``beat`` keeps it fresh, ``release`` frees it."""

    database: Database
    name: str

    def beat(self, session: Session) -> None:
        session.execute(
            update(LockRow)
            .where(LockRow.name == self.name, LockRow.pid == os.getpid())
            .values(heartbeat_at=utcnow())
        )

    def attach_run(self, session: Session, run_id: int) -> None:
        session.execute(update(LockRow).where(LockRow.name == self.name).values(run_id=run_id))

    def release(self) -> None:
        with self.database.session() as session, session.begin():
            session.execute(
                delete(LockRow).where(
                    LockRow.name == self.name,
                    LockRow.host == socket.gethostname(),
                    LockRow.pid == os.getpid(),
                )
            )


def acquire_lock(database: Database, name: str = "refresh") -> tuple[Lock, int | None]:
    """Take the lock, or raise ``RefreshLocked`` naming who holds it.

    A lock left by a process that died (same host, PID gone; or no heartbeat for ten minutes) is
    taken over; the run it belonged to is returned so the caller can mark it interrupted.
    """
    now = utcnow()
    host, pid = socket.gethostname(), os.getpid()
    with database.session() as session:
        try:
            with session.begin():
                session.add(
                    LockRow(name=name, host=host, pid=pid, acquired_at=now, heartbeat_at=now)
                )
            return Lock(database, name), None
        except IntegrityError:
            pass
        with session.begin():
            holder = session.get(LockRow, name)
            if holder is None:  # released meanwhile
                session.add(
                    LockRow(name=name, host=host, pid=pid, acquired_at=now, heartbeat_at=now)
                )
                return Lock(database, name), None
            if not _is_stale(holder, now):
                raise RefreshLocked(
                    f"another refresh is running on this database (pid {holder.pid} on "
                    f"{holder.host}, since {holder.acquired_at:%Y-%m-%d %H:%M} UTC"
                    + (f", run {holder.run_id}" if holder.run_id else "")
                    + "); wait for it to finish"
                )
            orphan = holder.run_id
            holder.host, holder.pid, holder.run_id = host, pid, None
            holder.acquired_at = holder.heartbeat_at = now
            return Lock(database, name), orphan


def _is_stale(holder: LockRow, now: datetime) -> bool:
    if holder.host == socket.gethostname() and holder.pid != os.getpid():
        return not _pid_alive(holder.pid)
    return now - holder.heartbeat_at > LOCK_STALE_AFTER


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
