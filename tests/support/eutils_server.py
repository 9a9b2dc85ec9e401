"""A stand-in for NCBI E-utilities: a real HTTP server on 127.0.0.1 that answers like NCBI.

It serves real PubMed records (read from ../shared/fixtures), answers esearch, efetch and elink
the way NCBI does (usehistory with WebEnv/query_key, retstart/retmax, datetype with
mindate/maxdate, POSTed ID lists, the 9,999 paging limit, <ERROR> envelopes with status 200),
enforces the rate limit with 429 and Retry-After, logs every request, and injects faults on
demand: 429, 5xx HTML pages, <ERROR> bodies, truncated XML, complete answers with a broken
record inside, non-XML bodies, dropped connections, timeouts, short batches and expired WebEnvs.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml
from lxml import etree

PUBMED_HEADER = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
ESEARCH_HEADER = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD '
    b'esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
ELINK_HEADER = (
    b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink '
    b'20101123//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">\n'
)
ERROR_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    b"<h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>"
)


@dataclass
class Record:
    pmid: str
    xml: bytes
    edat: date
    mdat: date


@dataclass
class Fault:
    """Break the next ``times`` requests to ``endpoint`` (after letting ``skip`` through)."""

    endpoint: str  # "esearch", "efetch", "elink" or "*"
    kind: str
    times: int = 1
    skip: int = 0
    retry_after: int = 1
    delay: float = 2.0
    record: int = 0  # "garbled": the record of the answer (0, 1, ...) that is broken


@dataclass
class Logged:
    endpoint: str
    method: str
    params: dict[str, list[str]]
    at: float
    status: int


@dataclass
class StandIn:
    records: dict[str, Record] = field(default_factory=dict)
    searches: dict[str, list[str]] = field(default_factory=dict)
    default_search: list[str] | None = None
    links: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    max_pageable: int = 9_999
    rate_without_key: int = 3
    rate_with_key: int = 10
    enforce_rate: bool = True

    def __post_init__(self) -> None:
        self.faults: list[Fault] = []
        self.log: list[Logged] = []
        self.history: dict[str, list[str]] = {}
        self._recent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- set-up ------------------------------------------------------------------------------

    def add_efetch_file(self, path: Path) -> list[str]:
        """Serve every record of a recorded efetch response; returns their PMIDs in order."""
        return self.add_efetch_body(path.read_bytes())

    def add_efetch_body(self, body: bytes) -> list[str]:
        pmids = []
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        for element in root:
            if element.tag not in ("PubmedArticle", "PubmedBookArticle"):
                continue
            pmid = element.findtext(".//PMID").strip()
            self.records[pmid] = Record(
                pmid, etree.tostring(element, encoding="utf-8"), *_record_dates(element)
            )
            pmids.append(pmid)
        return pmids

    def add_cassette(self, path: Path) -> None:
        """Serve a whole recorded session: its searches' ID lists and its fetched records."""
        for interaction in yaml.safe_load(path.read_text())["interactions"]:
            request, response = interaction["request"], interaction["response"]
            body = response["body"]["string"]
            body = body.encode("utf-8") if isinstance(body, str) else body
            fields = parse_qs(request.get("body") or "", keep_blank_values=True)
            if request["uri"].endswith("esearch.fcgi") and b"<IdList>" in body:
                ids = re.findall(rb"<Id>(\d+)</Id>", body)
                self.searches[fields["term"][0]] = [i.decode() for i in ids]
            elif request["uri"].endswith("efetch.fcgi"):
                self.add_efetch_body(body)

    def add_elink_file(self, path: Path) -> None:
        """Serve the links of a recorded elink response, per source PMID and link name."""
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for link_set in root.iterfind("LinkSet"):
            sources = [i.text.strip() for i in link_set.iterfind("IdList/Id")]
            for db in link_set.iterfind("LinkSetDb"):
                targets = [i.text.strip() for i in db.iterfind("Link/Id")]
                for source in sources:
                    self.links[(source, db.findtext("LinkName"))] = targets

    def set_dates(self, pmid: str, edat: date | None = None, mdat: date | None = None) -> None:
        record = self.records[pmid]
        record.edat = edat or record.edat
        record.mdat = mdat or record.mdat

    def expire_history(self) -> None:
        self.history.clear()

    def requests(self, endpoint: str | None = None) -> list[Logged]:
        return [r for r in self.log if endpoint is None or r.endpoint == endpoint]

    # -- running -----------------------------------------------------------------------------

    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"stand_in": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_port}/entrez/eutils/"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- answering ---------------------------------------------------------------------------

    def take_fault(self, endpoint: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.endpoint not in (endpoint, "*") or fault.times <= 0:
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                fault.times -= 1
                return fault
        return None

    def over_rate(self, params: dict[str, list[str]]) -> int | None:
        """The limit this request exceeds (counted over the last second), or None."""
        if not self.enforce_rate:
            return None
        key = params.get("api_key", ["ip"])[0]
        limit = self.rate_with_key if key != "ip" else self.rate_without_key
        now = time.monotonic()
        with self._lock:
            recent = self._recent.setdefault(key, deque())
            while recent and now - recent[0] >= 1.0:
                recent.popleft()
            if len(recent) >= limit:
                return limit
            recent.append(now)
        return None

    def esearch(self, params: dict[str, list[str]]) -> bytes:
        term = _one(params, "term") or ""
        ids = self.searches.get(term, self.default_search)
        if ids is None:
            return (
                ESEARCH_HEADER
                + (
                    "<eSearchResult><Count>0</Count><RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"
                    f"<TranslationSet/><QueryTranslation>{_escape(term)}</QueryTranslation><ErrorList>"
                    f"<PhraseNotFound>{_escape(term)}</PhraseNotFound></ErrorList><WarningList>"
                    "<OutputMessage>No items found.</OutputMessage></WarningList></eSearchResult>"
                ).encode()
            )
        ids = [p for p in ids if p in self.records and self._in_window(self.records[p], params)]
        retstart = int(_one(params, "retstart") or 0)
        retmax = int(_one(params, "retmax") or 20)
        if retstart >= self.max_pageable:
            return (
                ESEARCH_HEADER
                + (
                    "<eSearchResult><ERROR>Search Backend failed: Exception:\n"
                    f"Position {retstart} is out of acceptable range [{self.max_pageable},"
                    f"{self.max_pageable - 1}]</ERROR></eSearchResult>"
                ).encode()
            )
        warning = ""
        if retstart + retmax > self.max_pageable:
            retmax = self.max_pageable - retstart
            warning = (
                "<WarningList><OutputMessage>Restrictions achieved. start and count adjusted to "
                f"{retstart}, {retmax}</OutputMessage></WarningList>"
            )
        history = ""
        if _one(params, "usehistory") == "y":
            webenv = "MCID_" + secrets.token_hex(12)
            self.history[webenv] = ids
            history = f"<QueryKey>1</QueryKey><WebEnv>{webenv}</WebEnv>"
        listed = "".join(f"<Id>{p}</Id>" for p in ids[retstart : retstart + retmax])
        return (
            ESEARCH_HEADER
            + (
                f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{min(retmax, len(ids))}</RetMax>"
                f"<RetStart>{retstart}</RetStart>{history}<IdList>{listed}</IdList><TranslationSet/>"
                f"<QueryTranslation>{_escape(term)}</QueryTranslation>{warning}</eSearchResult>"
            ).encode()
        )

    def efetch(self, params: dict[str, list[str]], short: int = 0) -> bytes:
        if "WebEnv" in params:
            ids = self.history.get(_one(params, "WebEnv") or "")
            if ids is None or _one(params, "query_key") != "1":
                return (
                    b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n\t<ERROR>Unable to '
                    b"obtain query #"
                    + (_one(params, "query_key") or "").encode()
                    + b"</ERROR>\n</eFetchResult>\n"
                )
            retstart = int(_one(params, "retstart") or 0)
            retmax = int(_one(params, "retmax") or 20)
            wanted = ids[retstart : retstart + retmax]
        else:
            wanted = [p for value in params.get("id", []) for p in value.split(",") if p]
        found = [self.records[p].xml for p in wanted if p in self.records]
        if short:
            found = found[: max(0, len(found) - short)]
        return (
            PUBMED_HEADER + b"<PubmedArticleSet>\n" + b"\n".join(found) + b"\n</PubmedArticleSet>\n"
        )

    def elink(self, params: dict[str, list[str]]) -> bytes:
        names = [n for value in params.get("linkname", []) for n in value.split(",") if n]
        sets = []
        for value in params.get("id", []):
            sources = [p for p in value.split(",") if p]
            dbs = []
            for name in names:
                targets: list[str] = []
                for source in sources:
                    targets += [t for t in self.links.get((source, name), []) if t not in targets]
                if targets:
                    links = "".join(f"<Link><Id>{t}</Id></Link>" for t in targets)
                    dbs.append(
                        f"<LinkSetDb><DbTo>pubmed</DbTo><LinkName>{name}</LinkName>{links}"
                        "</LinkSetDb>"
                    )
            ids = "".join(f"<Id>{s}</Id>" for s in sources)
            sets.append(
                f"<LinkSet><DbFrom>pubmed</DbFrom><IdList>{ids}</IdList>{''.join(dbs)}</LinkSet>"
            )
        return ELINK_HEADER + f"<eLinkResult>{''.join(sets)}</eLinkResult>".encode()

    def _in_window(self, record: Record, params: dict[str, list[str]]) -> bool:
        datetype = _one(params, "datetype")
        if not datetype:
            return True
        value = {"edat": record.edat, "mdat": record.mdat, "pdat": record.edat}[datetype]
        low = _ncbi_date(_one(params, "mindate"), date.min)
        high = _ncbi_date(_one(params, "maxdate"), date.max)
        return low <= value <= high


class _Handler(BaseHTTPRequestHandler):
    stand_in: StandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args) -> None:
        return None

    def do_GET(self) -> None:
        self._answer(parse_qs(urlparse(self.path).query, keep_blank_values=True))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        params = parse_qs(urlparse(self.path).query, keep_blank_values=True)
        for key, values in parse_qs(body, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
        self._answer(params)

    def _answer(self, params: dict[str, list[str]]) -> None:
        stand_in = self.stand_in
        name = urlparse(self.path).path.rsplit("/", 1)[-1].split(".")[0]
        limit = stand_in.over_rate(params)
        if limit is not None:
            body = (
                f'{{"error":"API rate limit exceeded","count":"{limit + 1}","limit":"{limit}"}}'
            ).encode()
            return self._send(name, params, 429, body, "application/json", {"Retry-After": "1"})
        fault = stand_in.take_fault(name)
        kind = fault.kind if fault else None
        if kind == "429":
            headers = {"Retry-After": str(fault.retry_after)}
            return self._send(
                name,
                params,
                429,
                b'{"error":"API rate limit exceeded"}',
                "application/json",
                headers,
            )
        if kind in ("500", "502", "503"):
            return self._send(name, params, int(kind), ERROR_PAGE, "text/html")
        if kind == "not-xml":
            return self._send(name, params, 200, ERROR_PAGE, "text/html")
        if kind == "error":
            root = {"esearch": "eSearchResult", "elink": "eLinkResult"}.get(name, "eFetchResult")
            body = (
                f'<?xml version="1.0" encoding="UTF-8" ?>\n<{root}>\n\t<ERROR>Search Backend '
                f"failed: temporarily unavailable</ERROR>\n</{root}>\n"
            ).encode()
            return self._send(name, params, 200, body, "text/xml")
        if kind == "drop":
            stand_in.log.append(Logged(name, self.command, params, time.monotonic(), 0))
            self.close_connection = True
            self.connection.close()
            return None
        if kind == "timeout":
            time.sleep(fault.delay)
        if kind == "expire":
            stand_in.expire_history()
        if name == "esearch":
            body = stand_in.esearch(params)
        elif name == "efetch":
            body = stand_in.efetch(params, short=1 if kind == "short" else 0)
        elif name == "elink":
            body = stand_in.elink(params)
        else:
            return self._send(name, params, 404, b"unknown E-utility", "text/plain")
        if kind == "truncated":
            body = body[: len(body) // 2]
        if kind == "garbled":
            body = garble(body, fault.record)
        return self._send(name, params, 200, body, "text/xml; charset=UTF-8")

    def _send(self, name, params, status, body, content_type, headers=None) -> None:
        self.stand_in.log.append(Logged(name, self.command, params, time.monotonic(), status))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def garble(body: bytes, record: int) -> bytes:
    """A whole answer, closing tag and all, whose ``record``-th record is not well-formed."""
    start = -1
    for _ in range(record + 1):
        start = body.index(b"<PubmedArticle>", start + 1)
    opened = start + len(b"<PubmedArticle>")
    return body[:opened] + b"</Garbled>" + body[opened:]


def _one(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key)
    return values[0] if values else None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ncbi_date(text: str | None, default: date) -> date:
    if not text:
        return default
    parts = [int(p) for p in text.split("/")]
    while len(parts) < 3:
        parts.append(1)
    return date(*parts)


def _record_dates(element: etree._Element) -> tuple[date, date]:
    """Entrez date from the record's history, modification date from DateRevised."""

    def read(node) -> date | None:
        if node is None:
            return None
        try:
            return date(
                int(node.findtext("Year")),
                int(node.findtext("Month") or 1),
                int(node.findtext("Day") or 1),
            )
        except (TypeError, ValueError):
            return None

    entrez = read(element.find(".//History/PubMedPubDate[@PubStatus='entrez']"))
    revised = read(element.find(".//DateRevised"))
    entered = entrez or revised or date(2000, 1, 1)
    return entered, max(revised or entered, entered)
