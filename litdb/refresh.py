"""``litdb refresh``: keep the corpus current with PubMed, economically and without losing work.

One run: take the lock, search (everything on the first run or with ``full``; otherwise only
records entered or revised since the last successful run, with a few days of overlap), fetch
what the search lists in batches, store each batch in its own transaction with a per-record
event, and record how the run ended. The watermark for the next incremental run moves only when
a run succeeds; an interrupted run's committed batches are not fetched again by the next one.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from litdb.claims.model import ClaimSet
from litdb.db import articles as repo
from litdb.db import citations, runs
from litdb.db.alerts import Alert, run_alerts
from litdb.db.engine import Database
from litdb.db.rows import PreparedBatch, prepare_batch
from litdb.db.types import utcnow
from litdb.errors import PubMedError
from litdb.progress import Progress, ProgressCallback, ignore_progress
from litdb.pubmed.answers import split_answer
from litdb.pubmed.eutils import EutilsClient, HistoryExpired, SearchResult
from litdb.pubmed.query import check_query
from litdb.records import Article, Deletion
from litdb.workers import BadBody, BodyEnd, ParserProcess, PreparedChunk

DEFAULT_BATCH_SIZE = 500
# Parser processes for a refresh of several batches: two keep up with NCBI's 3 requests/s
# of 500 records each on a two-core machine (benchmarks/refresh.py).
PARSER_PROCESSES = 2
# Records per chunk of an efetch answer: the writer stores each chunk as it comes, while the
# parser reads the rest, so an answer is written soon after it arrives. Large enough that a
# chunk's statements cost little beside its rows.
BODY_CHUNK = 100
OVERLAP_DAYS = 3
EARLIEST_DATE = date(1000, 1, 1)
# NOTE: esearch datetype values for "entered" and "revised" (E-utilities help, ESearch).
INCREMENTAL_DATETYPES = ("edat", "mdat")
EXIT_CODES = {"success": 0, "partial": 3, "failed": 1, "interrupted": 130}
# PMIDs per elink request, each as its own id= so every answer maps to its record
LINK_BATCH_SIZE = 100


@dataclass(frozen=True)
class RefreshOptions:
    query: str
    full: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE
    claims: ClaimSet | None = None  # tag what is written with these claims
    links: bool = True  # fetch citation links for records written now or linked long ago
    link_batch_size: int = LINK_BATCH_SIZE


@dataclass
class RunReport:
    run_id: int
    status: str
    mode: str
    query: str
    found: int
    counts: dict[str, int]
    requests: int
    seconds: float
    window: tuple[str | None, str | None]
    message: str | None = None
    alerts: list[Alert] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


@dataclass
class SearchPart:
    """One esearch whose results can all be paged: the term, its date window, its answer."""

    result: SearchResult
    datetype: str | None = None
    mindate: str | None = None
    maxdate: str | None = None


@dataclass
class SearchPlan:
    total: int
    parts: list[SearchPart]
    complete: bool = True

    @property
    def ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for part in self.parts:
            seen.update(dict.fromkeys(part.result.ids))
        return list(seen)


def ncbi_date(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def _parse_ncbi_date(text: str | None, default: date) -> date:
    if not text:
        return default
    year, month, day = (int(p) for p in text.split("/"))
    return date(year, month, day)


def search_all(
    client: EutilsClient,
    term: str,
    *,
    datetype: str | None = None,
    mindate: str | None = None,
    maxdate: str | None = None,
    today: date,
) -> SearchPlan:
    """Every PMID a search finds: split by date range, recursively, until each part can be paged.

    The union of the parts is checked against the count of the whole search.
    """
    whole = client.esearch(term, datetype=datetype, mindate=mindate, maxdate=maxdate)
    if whole.count <= client.max_pageable:
        return SearchPlan(whole.count, [SearchPart(whole, datetype, mindate, maxdate)])
    low = _parse_ncbi_date(mindate, EARLIEST_DATE)
    high = _parse_ncbi_date(maxdate, today + timedelta(days=1))
    parts: list[SearchPart] = []
    complete = _split(client, term, datetype or "edat", low, high, parts)
    plan = SearchPlan(whole.count, parts, complete)
    if len(plan.ids) < whole.count:
        plan.complete = False
    return plan


def _split(
    client: EutilsClient,
    term: str,
    datetype: str,
    low: date,
    high: date,
    parts: list[SearchPart],
) -> bool:
    result = client.esearch(
        term, datetype=datetype, mindate=ncbi_date(low), maxdate=ncbi_date(high)
    )
    if result.count <= client.max_pageable or low >= high:
        parts.append(SearchPart(result, datetype, ncbi_date(low), ncbi_date(high)))
        return result.count <= client.max_pageable  # one day of more than 9,999: not all listed
    middle = low + (high - low) // 2
    first = _split(client, term, datetype, low, middle, parts)
    second = _split(client, term, datetype, middle + timedelta(days=1), high, parts)
    return first and second


class _Run:
    """The state of one refresh while it runs."""

    def __init__(
        self,
        database: Database,
        client: EutilsClient,
        options: RefreshOptions,
        progress: ProgressCallback,
        today: date,
    ) -> None:
        self.database = database
        self.client = client
        self.options = options
        self.progress = progress
        self.today = today
        self.stored = 0
        self.total = 0
        self.failed: list[str] = []
        self.query_id = 0
        self.run_id = 0
        self.lock: runs.Lock | None = None
        self.matched: set[str] = set()
        self.total_found = 0
        self.written: set[int] = set()  # added or updated by this run
        # called in each batch's transaction with the PMIDs it stored (snowballing notes origins)
        self.after_store: Callable[[Session, int, list[int]], None] | None = None

    # -- storing ----------------------------------------------------------------------------

    def store(self, records: Sequence[Article], expected: Sequence[str] | None = None) -> list[str]:
        """Write one fetched batch in one transaction; return the PMIDs that were asked for but
        did not come back."""
        return self.store_batches([prepare_batch(records, self.options.claims)], expected)

    def store_batches(
        self, batches: Iterable[PreparedBatch], expected: Sequence[str] | None = None
    ) -> list[str]:
        """Write the chunks of one fetched batch in one transaction, each as soon as it comes;
        return the PMIDs that were asked for but did not come back."""
        got: set[str] = set()
        outcomes: list[repo.Outcome] = []
        now = utcnow()
        with self.database.session() as session, session.begin():
            for batch in batches:
                outcomes += repo.write_batch(session, batch, now)
                got.update(str(r.pmid) for r in batch.records)
            events = [(o.pmid, o.event) for o in outcomes]
            events += [(o.pmid, "retracted") for o in outcomes if o.retracted_now]
            # a new RetractionIn is the "retracted" event; other new notices are "corrected"
            events += [
                (o.pmid, "corrected")
                for o in outcomes
                if any(kind != "RetractionIn" for kind, _ in o.corrected_now)
            ]
            runs.record_events(session, self.run_id, events)
            if self.query_id:
                runs.record_matches(
                    session, self.query_id, self.run_id, [int(p) for p in got if p in self.matched]
                )
            if self.after_store is not None:
                self.after_store(session, self.run_id, sorted(int(p) for p in got))
            self._update_counts(session)
        self.stored += len(got)
        self.written.update(o.pmid for o in outcomes if o.event in (repo.ADDED, repo.UPDATED))
        self.progress(Progress("fetching", self.stored, self.total, "records"))
        return [p for p in expected if p not in got] if expected is not None else []

    def fetch_links(self) -> int:
        """Ask elink what each record written now, or not linked for ``LINKS_MAX_AGE``, cites
        and is cited by; store each answered batch in its own transaction. Return how many
        records were linked."""
        with self.database.session() as session:
            stale = citations.stale_links(session, utcnow())
        wanted = sorted(self.written | set(stale))
        size = self.options.link_batch_size
        done = 0
        self.progress(Progress("linking", 0, len(wanted), "records"))
        for start in range(0, len(wanted), size):
            asked = [str(p) for p in wanted[start : start + size]]
            answers = self.client.elink(asked, list(citations.LINKNAMES))
            with self.database.session() as session, session.begin():
                stored = citations.store_links(session, answers, utcnow())
                runs.record_events(session, self.run_id, [(p, "linked") for p in stored])
                self._update_counts(session)
            done += len(asked)
            self.progress(Progress("linking", done, len(wanted), "records"))
        return done

    def _update_counts(self, session, **extra) -> None:
        counts = runs.event_counts(session, self.run_id)
        runs.update_run(session, self.run_id, requests=self.client.requests_sent, **counts, **extra)
        if self.lock is not None:
            self.lock.beat(session)

    # -- fetching ---------------------------------------------------------------------------

    def fetch_ids(self, pmids: Sequence[str]) -> list[str]:
        """POST the PMIDs in batches, in this process; return those PubMed did not send."""
        missing: list[str] = []
        size = self.options.batch_size
        for start in range(0, len(pmids), size):
            asked = pmids[start : start + size]
            missing += self.store(self.client.efetch_ids(asked), asked)
        return missing

    def fetch(self, steps: list[FetchStep]) -> list[str]:
        """Fetch and store every step; return the PMIDs that did not come back.

        With more than one step, a thread downloads while a parser process reads the answers
        and this thread writes them, so waiting on NCBI's rate limit and parsing overlap.
        """
        if len(steps) <= 1:
            missing: list[str] = []
            for step in steps:
                missing += self.store(efetch(self.client, step), step.expected())
            return missing
        return _Pipeline(self, steps).run()


@dataclass
class FetchStep:
    """One efetch: a page of a search on the history server, or a POSTed list of PMIDs."""

    part: SearchPart | None = None
    retstart: int = 0
    size: int = 0
    pmids: list[str] = field(default_factory=list)

    def expected(self) -> list[str]:
        if self.part is None:
            return self.pmids
        return list(self.part.result.ids[self.retstart : self.retstart + self.size])


def efetch(client: EutilsClient, step: FetchStep, as_body: bool = False):
    """One step's records (or, with ``as_body``, the answer's bytes). A page of a search whose
    WebEnv expired runs the search again and asks for the same page."""
    if step.part is None:
        return client.efetch_ids_body(step.pmids) if as_body else client.efetch_ids(step.pmids)
    part = step.part
    for _renewal in range(3):
        try:
            if as_body:
                return client.efetch_history_body(part.result, step.retstart, step.size)
            return client.efetch_history(part.result, step.retstart, step.size)
        except HistoryExpired:
            part.result = client.esearch(
                part.result.term, datetype=part.datetype, mindate=part.mindate, maxdate=part.maxdate
            )
    raise HistoryExpired("NCBI kept losing the search; gave up after three new searches")


class _Pipeline:
    """Downloader thread -> parser processes -> this thread writing, in the steps' order.

    Each answer is cut between records into one part per parser (``split_answer``), so every
    parser reads a share of every answer: the cores stay busy to the end, and the last answer
    is read in a fraction of the time. The parts are written in order, as one transaction per
    answer, chunk by chunk while the parsers read the rest. Parts wait in a queue per parser,
    so a busy parser never holds up the next request to NCBI.
    """

    def __init__(self, state: _Run, steps: list[FetchStep]) -> None:
        self.state = state
        self.steps = steps
        count = max(1, min(PARSER_PROCESSES, len(steps), os.cpu_count() or 1))
        claims = state.options.claims
        self.parsers = [
            ParserProcess(["bodies", str(BODY_CHUNK)], "efetch answers", claims)
            for _ in range(count)
        ]
        # per answer, in order: the PMIDs it should hold and the parsers that have its parts
        self.answers: queue.Queue[tuple[list[str], list[int]] | None] = queue.Queue()
        self.failure: BaseException | None = None
        self.stopping = threading.Event()

    def _download(self) -> None:
        client = self.state.client
        try:
            for number, step in enumerate(self.steps):
                if self.stopping.is_set():
                    return
                body = efetch(client, step, as_body=True)
                parts = split_answer(body, len(self.parsers))
                turns = [(number + i) % len(self.parsers) for i in range(len(parts))]
                self.answers.put((step.expected(), turns))
                for turn, part in zip(turns, parts, strict=True):
                    self.parsers[turn].send(part)
        except BaseException as exc:  # handed to the writing thread, which raises it
            self.failure = exc
        finally:
            self.answers.put(None)
            for parser in self.parsers:
                with contextlib.suppress(OSError):
                    parser.finish_sending()

    def run(self) -> list[str]:
        downloader = threading.Thread(target=self._download, daemon=True)
        downloader.start()
        missing: list[str] = []
        try:
            while (answer := self.answers.get()) is not None:
                expected, turns = answer
                first = self._receive(turns[0])
                missing += self.state.store_batches(self._chunks(turns, first), expected)
        finally:
            self.stopping.set()
            for parser in self.parsers:
                parser.close()
            downloader.join()
        if self.failure is not None:
            raise self.failure
        return missing

    def _receive(self, turn: int) -> PreparedChunk | Deletion | BadBody | BodyEnd:
        item = self.parsers[turn].receive()
        if item is None:
            raise RuntimeError("a parser process ended before the last efetch answer")
        return item

    def _chunks(
        self, turns: list[int], item: PreparedChunk | Deletion | BadBody | BodyEnd
    ) -> Iterator[PreparedBatch]:
        """The chunks of one answer's parts, each from its first item to its BodyEnd (or
        BadBody: what the answer lacks is asked for again, in this process, at the end)."""
        for index, turn in enumerate(turns):
            if index:
                item = self._receive(turn)
            while isinstance(item, PreparedChunk):
                yield item.batch
                item = self._receive(turn)
            if not isinstance(item, BadBody | BodyEnd):
                raise RuntimeError(f"a parser process sent {item!r} inside an efetch answer")


def refresh(
    database: Database,
    client: EutilsClient,
    options: RefreshOptions,
    *,
    progress: ProgressCallback = ignore_progress,
    today: date | None = None,
) -> RunReport:
    """Run one refresh and return its report (the run log holds the same, and every event)."""
    check_query(options.query, where="the query")
    today = today or datetime.now(UTC).date()
    started = time.monotonic()
    state = _Run(database, client, options, progress, today)
    lock, orphan = runs.acquire_lock(database)
    state.lock = lock
    with _ended_on_failure(state):
        with database.session() as session, session.begin():
            if orphan is not None:
                _mark_orphan(session, orphan)
            state.query_id = runs.query_id(session, options.query, utcnow())
            last_ok = runs.last_successful_run(session, state.query_id)
            unfinished = runs.unfinished_runs_since(
                session, state.query_id, last_ok.id if last_ok else None
            )
            already = runs.fetched_pmids(session, [r.id for r in unfinished])
            incremental = last_ok is not None and not options.full
            window = (
                (
                    ncbi_date(
                        date.fromisoformat(last_ok.search_date) - timedelta(days=OVERLAP_DAYS)
                    ),
                    ncbi_date(today + timedelta(days=1)),
                )
                if incremental and last_ok is not None
                else (None, None)
            )
            mode = "incremental" if incremental else "full"
            if already:
                mode = f"{mode}+resume"
            run = runs.start_run(
                session,
                query_id=state.query_id,
                query=options.query,
                mode=mode,
                status="running",
                started_at=utcnow(),
                search_date=today.isoformat(),
                window_start=window[0],
                window_end=window[1],
            )
            state.run_id = run.id
            lock.attach_run(session, run.id)
        status, message = _execute(state, incremental, window, already)
    return _report(state, status, message, mode, started, window)


def _execute(
    state: _Run,
    incremental: bool,
    window: tuple[str | None, str | None],
    already: set[int],
) -> tuple[str, str | None]:
    """Search and fetch; return the run's status and message. PubMed errors end the run."""
    client, options = state.client, state.options
    try:
        if incremental:
            plans = [
                search_all(
                    client,
                    options.query,
                    datetype=kind,
                    mindate=window[0],
                    maxdate=window[1],
                    today=state.today,
                )
                for kind in INCREMENTAL_DATETYPES
            ]
        else:
            plans = [search_all(client, options.query, today=state.today)]
    except PubMedError as exc:
        return "failed", f"the search failed: {exc}"
    ids = list(dict.fromkeys(pmid for plan in plans for pmid in plan.ids))
    complete = all(plan.complete for plan in plans)
    state.total_found = len(ids)
    state.matched = set(ids)
    with state.database.session() as session, session.begin():
        runs.update_run(session, state.run_id, found=len(ids))
        # records already fetched by the interrupted run(s) still match the query
        runs.record_matches(
            session, state.query_id, state.run_id, [int(p) for p in ids if int(p) in already]
        )
    pending = [p for p in ids if int(p) not in already]
    state.total = len(pending)
    state.progress(Progress("fetching", 0, state.total, "records"))
    missing: list[str] = []
    try:
        size = options.batch_size
        if (
            not incremental
            and not already
            and len(plans) == 1
            and all(part.result.webenv for part in plans[0].parts)
        ):
            steps = [
                FetchStep(part=part, retstart=start, size=size)
                for part in plans[0].parts
                for start in range(0, len(part.result.ids), size)
            ]
        else:
            steps = [
                FetchStep(pmids=pending[start : start + size])
                for start in range(0, len(pending), size)
            ]
        missing += state.fetch(steps)
        if missing:
            # a batch came back short: ask once more for exactly what is missing
            missing = state.fetch_ids(missing)
        if options.full and complete:
            _mark_dropped(state, set(int(p) for p in ids))
    except PubMedError as exc:
        stored_any = state.stored > 0
        return ("partial" if stored_any else "failed"), f"fetching stopped: {exc}"
    problems = []
    if options.links:
        try:
            state.fetch_links()
        except PubMedError as exc:
            problems.append(f"citation links stopped (records are kept): {exc}")
    problem = _record_failed(state, missing, "record(s) the search listed never came back")
    if problem:
        problems.append(problem)
    if not complete:
        problems.append(f"the search could not list every record it counted ({len(ids)} listed)")
    return ("partial", "; ".join(problems)) if problems else ("success", None)


def _mark_dropped(state: _Run, found: set[int]) -> None:
    """Records the query returned before but not now: still in PubMed (dropped from the query)
    or gone from PubMed (deleted). Neither is removed from the database."""
    with state.database.session() as session:
        absent = sorted(runs.matches_missing_from(session, state.query_id, found))
    if not absent:
        return
    gone = set(state.fetch_ids([str(p) for p in absent]))
    now = utcnow()
    with state.database.session() as session, session.begin():
        deleted = repo.mark_deleted(session, gone, now)
        runs.record_events(
            session,
            state.run_id,
            [(p, "dropped") for p in absent] + [(o.pmid, "deleted") for o in deleted],
        )
        runs.mark_dropped(session, state.query_id, state.run_id, absent)
        state._update_counts(session)


def _record_failed(state: _Run, missing: list[str], what: str) -> str | None:
    """Log a ``failed`` event per PMID that never came back; the run's message for them."""
    if not missing:
        return None
    with state.database.session() as session, session.begin():
        runs.record_events(session, state.run_id, [(int(p), "failed") for p in missing])
    shown = ", ".join(missing[:10]) + ("..." if len(missing) > 10 else "")
    return f"{len(missing)} {what}: {shown}"


@contextlib.contextmanager
def _ended_on_failure(state: _Run):
    """Record how a run ended when it ends by an exception, and always release its lock."""
    try:
        yield
    except KeyboardInterrupt:
        _finish(state, "interrupted", "interrupted by the user; committed batches are kept")
        raise
    except BaseException as exc:
        if state.run_id:
            _finish(state, "failed", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        if state.lock is not None:
            state.lock.release()


def _report(
    state: _Run,
    status: str,
    message: str | None,
    mode: str,
    started: float,
    window: tuple[str | None, str | None],
) -> RunReport:
    """Record how the run ended and return its report, with its alerts."""
    _finish(state, status, message)
    with state.database.session() as session:
        counts = runs.event_counts(session, state.run_id)
        alerts = run_alerts(session, state.run_id)
    return RunReport(
        run_id=state.run_id,
        status=status,
        mode=mode,
        query=state.options.query,
        found=state.total_found,
        counts=counts,
        requests=state.client.requests_sent,
        seconds=time.monotonic() - started,
        window=window,
        message=message,
        alerts=alerts,
    )


def _mark_orphan(session: Session, run_id: int) -> None:
    runs.update_run(
        session,
        run_id,
        status="interrupted",
        finished_at=utcnow(),
        message="the process running it stopped",
    )


def _finish(state: _Run, status: str, message: str | None) -> None:
    with state.database.session() as session, session.begin():
        state._update_counts(session, status=status, message=message, finished_at=utcnow())


def fetch_pmids(
    database: Database,
    client: EutilsClient,
    pmids: Sequence[int],
    *,
    description: str,
    mode: str,
    claims: ClaimSet | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    after_store: Callable[[Session, int, list[int]], None] | None = None,
    progress: ProgressCallback = ignore_progress,
) -> RunReport:
    """Fetch and store the records of ``pmids`` as a run of its own (``litdb runs`` lists it),
    under the refresh lock, batch by batch; ``after_store(session, run_id, pmids)`` runs in
    each batch's transaction."""
    started = time.monotonic()
    options = RefreshOptions(description, batch_size=batch_size, claims=claims, links=False)
    state = _Run(database, client, options, progress, datetime.now(UTC).date())
    state.after_store = after_store
    lock, orphan = runs.acquire_lock(database)
    state.lock = lock
    wanted = [str(p) for p in dict.fromkeys(pmids)]
    with _ended_on_failure(state):
        with database.session() as session, session.begin():
            if orphan is not None:
                _mark_orphan(session, orphan)
            run = runs.start_run(
                session,
                kind=mode,
                query_id=None,
                query=description,
                mode=mode,
                status="running",
                started_at=utcnow(),
                search_date=state.today.isoformat(),
                found=len(wanted),
            )
            state.run_id = run.id
            lock.attach_run(session, run.id)
        state.total_found = state.total = len(wanted)
        state.progress(Progress("fetching", 0, state.total, "records"))
        try:
            missing = state.fetch_ids(wanted)
        except PubMedError as exc:
            status = "partial" if state.stored else "failed"
            message: str | None = f"fetching stopped: {exc}"
        else:
            problem = _record_failed(state, missing, "PMID(s) PubMed sent no record for")
            status, message = ("partial", problem) if problem else ("success", None)
    return _report(state, status, message, mode, started, (None, None))
