"""NCBI E-utilities for PubMed: esearch, efetch and elink, with retries that survive NCBI.

Every answer is checked before it is trusted: HTTP 429 waits for ``Retry-After``; 5xx, dropped
connections, timeouts, bodies that are not XML or are cut short, and ``<ERROR>`` envelopes sent
with status 200 are retried with exponential backoff and jitter. Errors that retrying cannot mend
(a bad request, a query PubMed does not understand) raise at once.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import requests
from lxml import etree

from litdb.errors import InputError, PubMedError
from litdb.pubmed.http import Identity, RateLimiter, RetryPolicy, make_session
from litdb.pubmed.xml_parser import error_message, parse_pubmed_xml, root_tag
from litdb.records import Article, Deletion

# NOTE: PubMed's esearch lists at most 9,999 IDs of a result and refuses a retstart past it
# ("Position 15000 is out of acceptable range [9999,9998]", NCBI's answer seen in Biopython
# issue #4189); bigger results must be split into smaller searches.
MAX_PAGEABLE = 9_999
# An answer is read in pieces this large: efetch answers run to megabytes, and every piece read
# is a turn of Python code that competes with the thread writing to the database.
READ_CHUNK = 1 << 20
T = TypeVar("T")


class RetryableResponse(Exception):
    """An answer that is wrong in a way a new attempt may mend."""


class HistoryExpired(PubMedError):
    """NCBI no longer knows the WebEnv / query_key: the search must run again."""


@dataclass(frozen=True)
class SearchResult:
    term: str
    count: int
    ids: tuple[str, ...]
    webenv: str | None = None
    query_key: str | None = None
    translation: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkSet:
    """One elink LinkSet: for each link name, the PMIDs that ``sources`` link to.

    Asked with one ``id=`` per PMID, NCBI answers with one LinkSet per PMID; asked with several
    IDs in one parameter, it merges their links into one set, which can then not be told apart.
    """

    sources: tuple[str, ...]
    links: dict[str, tuple[str, ...]]


class EutilsClient:
    """A polite E-utilities client; ``requests_sent`` counts every request, retries included."""

    def __init__(
        self,
        base_url: str,
        identity: Identity,
        *,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = (10.0, 120.0),
        sleep: Callable[[float], None] = time.sleep,
        max_pageable: int = MAX_PAGEABLE,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.identity = identity
        self.session = session or make_session(identity)
        self.limiter = limiter or RateLimiter(identity.rate)
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.sleep = sleep
        self.max_pageable = max_pageable
        self.requests_sent = 0

    # -- the three calls litdb makes ----------------------------------------------------------

    def esearch(
        self,
        term: str,
        *,
        datetype: str | None = None,
        mindate: str | None = None,
        maxdate: str | None = None,
        retmax: int | None = None,
        usehistory: bool = True,
    ) -> SearchResult:
        """Search PubMed; the IDs come back too (up to ``retmax``, at most 9,999)."""
        params: dict[str, str] = {
            "db": "pubmed",
            "term": term,
            "retmax": str(self.max_pageable if retmax is None else retmax),
        }
        if usehistory:
            params["usehistory"] = "y"
        if datetype:
            params["datetype"] = datetype
        if mindate:
            params["mindate"] = mindate
        if maxdate:
            params["maxdate"] = maxdate
        return self._call("esearch.fcgi", params, lambda body: parse_esearch(body, term))

    def efetch_history(self, search: SearchResult, retstart: int, retmax: int) -> list[Article]:
        """Records ``retstart`` .. ``retstart + retmax`` of a search on NCBI's history server."""
        return self._call("efetch.fcgi", _history_params(search, retstart, retmax), parse_efetch)

    def efetch_ids(self, pmids: Sequence[str]) -> list[Article]:
        """The records for ``pmids`` (POSTed); PMIDs PubMed does not have are left out."""
        return self._call("efetch.fcgi", _id_params(pmids), parse_efetch)

    def efetch_history_body(self, search: SearchResult, retstart: int, retmax: int) -> bytes:
        """Like ``efetch_history``, but the answer's bytes, checked only for completeness, so
        another process can parse them."""
        return self._call("efetch.fcgi", _history_params(search, retstart, retmax), check_efetch)

    def efetch_ids_body(self, pmids: Sequence[str]) -> bytes:
        """Like ``efetch_ids``, but the answer's bytes (see ``efetch_history_body``)."""
        return self._call("efetch.fcgi", _id_params(pmids), check_efetch)

    def elink(self, pmids: Sequence[str], linknames: Sequence[str]) -> list[LinkSet]:
        """Links for each PMID; one ``id=`` per PMID so each link set maps to its source."""
        params: list[tuple[str, str]] = [
            ("dbfrom", "pubmed"),
            ("db", "pubmed"),
            ("linkname", ",".join(linknames)),
        ]
        params += [("id", pmid) for pmid in pmids]
        return self._call("elink.fcgi", params, parse_elink)

    # -- one request, retried ----------------------------------------------------------------

    def _call(self, endpoint: str, params, parse: Callable[[bytes], T]) -> T:
        data = list(params.items()) if isinstance(params, dict) else list(params)
        data += list(self.identity.params().items())
        url = self.base_url + endpoint
        problem = "no attempt made"
        for attempt in range(self.retry.attempts):
            self.limiter.wait()
            self.requests_sent += 1
            try:
                with self.session.post(
                    url, data=data, timeout=self.timeout, stream=True
                ) as response:
                    body = b"".join(response.iter_content(READ_CHUNK))
            except (
                requests.exceptions.InvalidURL,
                requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema,
            ) as exc:
                raise PubMedError(
                    f"the E-utilities address {self.base_url!r} is not usable: {exc}"
                ) from None
            except requests.RequestException as exc:
                problem = _describe(exc)
            else:
                status = response.status_code
                if status == 429:
                    wait = _retry_after(response.headers.get("Retry-After"))
                    self.limiter.hold(wait)
                    problem = "HTTP 429 Too Many Requests"
                    continue
                if status >= 500 or status == 408:
                    problem = f"HTTP {status} {response.reason}"
                elif status >= 400:
                    raise PubMedError(
                        f"NCBI refused the {endpoint.split('.')[0]} request: "
                        f"HTTP {status} {response.reason}"
                    )
                else:
                    try:
                        return parse(body)
                    except RetryableResponse as exc:
                        problem = str(exc)
            if attempt + 1 < self.retry.attempts:
                self.sleep(self.retry.delay(attempt))
        raise PubMedError(
            f"NCBI {endpoint.split('.')[0]} failed {self.retry.attempts} times; last: {problem}"
        )


def _history_params(search: SearchResult, retstart: int, retmax: int) -> dict[str, str]:
    if search.webenv is None or search.query_key is None:
        raise ValueError("fetching from the history server needs a search run with usehistory")
    return {
        "db": "pubmed",
        "retmode": "xml",
        "WebEnv": search.webenv,
        "query_key": search.query_key,
        "retstart": str(retstart),
        "retmax": str(retmax),
    }


def _id_params(pmids: Sequence[str]) -> dict[str, str]:
    return {"db": "pubmed", "retmode": "xml", "id": ",".join(pmids)}


def _describe(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "the request timed out"
    if isinstance(exc, requests.ConnectionError):
        return f"cannot connect to NCBI ({type(exc).__name__})"
    return f"the answer broke off ({type(exc).__name__})"


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, min(float(value), 300.0)) if value else 1.0
    except ValueError:
        return 1.0


# -- reading the answers ------------------------------------------------------------------------


def _xml(body: bytes, expected_root: str) -> etree._Element:
    root = root_tag(body[:4096])
    if root is None:
        raise RetryableResponse("the answer is not XML")
    try:
        element = etree.fromstring(
            body, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        )
    except etree.XMLSyntaxError as exc:
        raise RetryableResponse(f"the answer is cut short or malformed XML ({exc.msg})") from None
    message = error_message(body[:8192]) if element.find("ERROR") is not None else None
    if element.tag == "ERROR":
        message = " ".join((element.text or "").split()) or "unspecified error"
    if message:
        if "unable to obtain query" in message.lower() or "webenv" in message.lower():
            raise HistoryExpired(f"NCBI no longer holds the search: {message}")
        raise RetryableResponse(f"NCBI answered with an error: {message}")
    if element.tag != expected_root:
        raise RetryableResponse(f"the answer is <{element.tag}>, not <{expected_root}>")
    return element


def parse_esearch(body: bytes, term: str = "") -> SearchResult:
    root = _xml(body, "eSearchResult")
    errors = root.find("ErrorList")
    if errors is not None:
        unknown_fields = [e.text for e in errors.iterfind("FieldNotFound") if e.text]
        if unknown_fields:
            raise PubMedError(
                "PubMed does not know the search field(s) "
                + ", ".join(f"[{f}]" for f in unknown_fields)
                + " in the query"
            )
    count_text = root.findtext("Count")
    if count_text is None or not count_text.strip().isdigit():
        raise RetryableResponse("the esearch answer has no Count")
    warnings = [
        f"{e.tag}: {' '.join(''.join(e.itertext()).split())}"
        for e in [*(errors if errors is not None else []), *root.iterfind("WarningList/*")]
    ]
    return SearchResult(
        term=term,
        count=int(count_text),
        ids=tuple(i.text.strip() for i in root.iterfind("IdList/Id") if i.text),
        webenv=root.findtext("WebEnv"),
        query_key=root.findtext("QueryKey"),
        translation=root.findtext("QueryTranslation"),
        warnings=tuple(w for w in warnings if w),
    )


def check_efetch(body: bytes) -> bytes:
    """An efetch answer that is PubMed XML and complete to its closing tag, else an error."""
    root = root_tag(body[:8192])
    if root in ("eFetchResult", "ERROR"):
        _xml(body, "PubmedArticleSet")  # raises with NCBI's message
    if root is None:
        raise RetryableResponse(
            "the answer is empty" if not body.strip() else "the answer is not XML"
        )
    if root != "PubmedArticleSet":
        raise RetryableResponse(f"the answer is <{root}>, not <PubmedArticleSet>")
    if not body.rstrip().endswith(b"</PubmedArticleSet>"):
        raise RetryableResponse("the answer is cut short (no closing </PubmedArticleSet>)")
    return body


def parse_efetch(body: bytes) -> list[Article]:
    check_efetch(body)
    try:
        items = list(parse_pubmed_xml(io.BufferedReader(io.BytesIO(body)), "efetch answer"))
    except InputError as exc:
        raise RetryableResponse(str(exc)) from None
    return [item for item in items if not isinstance(item, Deletion)]


def parse_elink(body: bytes) -> list[LinkSet]:
    root = _xml(body, "eLinkResult")
    sets = []
    for link_set in root.iterfind("LinkSet"):
        source = [i.text.strip() for i in link_set.iterfind("IdList/Id") if i.text]
        links: dict[str, tuple[str, ...]] = {}
        for db in link_set.iterfind("LinkSetDb"):
            name = db.findtext("LinkName") or ""
            links[name] = tuple(i.text.strip() for i in db.iterfind("Link/Id") if i.text)
        sets.append(LinkSet(tuple(source), links))
    return sets
