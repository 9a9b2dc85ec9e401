"""Parser for MEDLINE text (the PubMed website's "Save as PubMed format", ``.nbib``).

Field values come from Biopython's ``Bio.Medline``; litdb adds what that reader leaves out: which
affiliation and ORCID belong to which author (MEDLINE gives them in line order after the author).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from Bio import Medline

from litdb.errors import InputError
from litdb.pubmed.dates import iso_date, parse_medline_dp, sortable
from litdb.records import (
    Abstract,
    AbstractSection,
    Article,
    ArticleId,
    Author,
    Book,
    Chemical,
    Correction,
    DatedEvent,
    ELocationId,
    Grant,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    Pagination,
    PublicationType,
)

# MEDLINE tag -> CommentsCorrections RefType, as the PubMed help's MEDLINE element list maps them.
CORRECTION_TAGS = {
    "CIN": "CommentIn",
    "CON": "CommentOn",
    "CRI": "CorrectedandRepublishedIn",
    "CRF": "CorrectedandRepublishedFrom",
    "ECI": "ExpressionOfConcernIn",
    "ECF": "ExpressionOfConcernFor",
    "EIN": "ErratumIn",
    "EFR": "ErratumFor",
    "ORI": "OriginalReportIn",
    "RPI": "RepublishedIn",
    "RPF": "RepublishedFrom",
    "RIN": "RetractionIn",
    "ROF": "RetractionOf",
    "RRI": "RetractedandRepublishedIn",
    "RRF": "RetractedandRepublishedFrom",
    "SPIN": "SummaryForPatientsIn",
    "UIN": "UpdateIn",
    "UOF": "UpdateOf",
}
_HISTORY_TAGS = {"EDAT": "entrez", "MHDA": "medline", "CRDT": "pubmed"}
_BRACKETED = re.compile(r"^(.*?)\s*\[([^\]]+)\]\s*$")
_PARENTHESISED = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")
_CORRECTION_PMID = re.compile(r"^(.*?)\s*PMID:\s*(\d+)\s*$")
_SECTION_LABEL = re.compile(r"(?:(?<=^)|(?<=\s))([A-Z][A-Z ,/&-]{2,}[A-Z]):\s")


def parse_medline(lines: Iterable[str], name: str = "<stream>") -> Iterator[Article]:
    """Yield each record of a MEDLINE text stream."""
    seen_any = False
    for record_lines in _split_records(lines, name):
        seen_any = True
        yield parse_medline_record(record_lines, name)
    if not seen_any:
        raise InputError(f"{name}: the file is empty")


def _split_records(lines: Iterable[str], name: str) -> Iterator[list[str]]:
    current: list[str] = []
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n").lstrip("\ufeff") if number == 1 else line.rstrip("\r\n")
        if not line.strip():
            if current:
                yield current
                current = []
            continue
        if not current and not line.startswith("PMID-"):
            raise InputError(
                f"{name}: not MEDLINE text (line {number} should start a record with 'PMID- ')"
            )
        current.append(line)
    if current:
        yield current


def parse_medline_record(lines: list[str], name: str = "<stream>") -> Article:
    record = Medline.read([line + "\n" for line in lines])
    pmid = (record.get("PMID") or "").strip()
    if not pmid.isdigit():
        raise InputError(f"{name}: a MEDLINE record without a valid PMID ({pmid!r})")
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    pub_date = parse_medline_dp(record.get("DP"))
    year, sort_date = sortable(pub_date)
    issn, issn_type, issn_linking = _issns(record.get("IS", []))
    is_book = "BTI" in record and "JT" not in record
    authors = _authors(lines, record, "FAU", "AU", with_collective=True)
    title = _one(record, "TI") or _one(record, "BTI") or ""
    return Article(
        pmid=pmid,
        kind="book" if is_book else "article",
        title=_squash(title),
        vernacular_title=_squash(_one(record, "TT")) or None,
        abstract=_abstract(_one(record, "AB"), _one(record, "CI")),
        authors=authors,
        investigators=_authors(lines, record, "FIR", "IR", with_collective=False),
        journal=None
        if is_book
        else Journal(
            title=_one(record, "JT"),
            iso_abbreviation=_one(record, "TA"),
            issn=issn,
            issn_type=issn_type,
            issn_linking=issn_linking,
            nlm_unique_id=_one(record, "JID"),
            medline_ta=_one(record, "TA"),
            country=_one(record, "PL"),
            volume=_one(record, "VI"),
            issue=_one(record, "IP"),
        ),
        pagination=Pagination(medline_pgn=_one(record, "PG")),
        elocation_ids=tuple(
            ELocationId(kind, value)
            for value, kind in _bracketed(record.get("LID", []))
            if kind in ("doi", "pii")
        ),
        pub_date=pub_date,
        year=year,
        sort_date=sort_date,
        pub_model=_one(record, "PUBM"),
        article_dates=tuple(
            DatedEvent("Electronic", iso_date(d[:4], d[4:6], d[6:8]) or d)
            for d in _many(record, "DEP")
        ),
        languages=tuple(_many(record, "LA")),
        publication_types=tuple(PublicationType(p) for p in _many(record, "PT")),
        mesh=tuple(_mesh(value) for value in _many(record, "MH")),
        keywords=tuple(
            Keyword(k.lstrip("*"), _one(record, "OTO"), k.startswith("*"))
            for k in _many(record, "OT")
        ),
        chemicals=tuple(_chemical(value) for value in _many(record, "RN")),
        grants=tuple(_grant(value) for value in _many(record, "GR")),
        article_ids=_article_ids(record),
        history=_history(record),
        publication_status=_one(record, "PST"),
        corrections=tuple(
            _correction(ref_type, value)
            for tag, ref_type in CORRECTION_TAGS.items()
            for value in _many(record, tag)
        ),
        book=Book(
            title=_squash(_one(record, "BTI") or ""),
            publisher=_one(record, "PB"),
            publisher_location=_one(record, "PL"),
            collection_title=_one(record, "CTI"),
            edition=_one(record, "EN"),
            isbns=tuple(_many(record, "ISBN")),
            editors=_authors(lines, record, "FED", "ED", with_collective=False),
        )
        if is_book
        else None,
        medline_status=_one(record, "STAT"),
        owner=_one(record, "OWN"),
        date_completed=_compact_date(_one(record, "DCOM")),
        date_revised=_compact_date(_one(record, "LR")),
        coi_statement=_one(record, "COIS"),
        raw_format="medline",
        raw=raw,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


# -- fields ---------------------------------------------------------------------------------------


def _many(record: Medline.Record, tag: str) -> list[str]:
    value = record.get(tag, [])
    values = [value] if isinstance(value, str) else value
    return [_squash(v) for v in values if v and v.strip()]


def _one(record: Medline.Record, tag: str) -> str | None:
    values = _many(record, tag)
    return " ".join(values) if values else None


def _squash(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


def _compact_date(value: str | None) -> str | None:
    if not value or len(value) < 4:
        return value
    return iso_date(value[:4], value[4:6] or None, value[6:8] or None)


def _bracketed(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        found = _BRACKETED.match(value.strip())
        if found:
            pairs.append((found.group(1).strip(), found.group(2).strip()))
    return pairs


def _issns(values: list[str]) -> tuple[str | None, str | None, str | None]:
    issn = issn_type = linking = None
    for value in values:
        found = _PARENTHESISED.match(value.strip())
        number, kind = (found.group(1), found.group(2)) if found else (value.strip(), None)
        if kind == "Linking":
            linking = number
        elif issn is None:
            issn, issn_type = number, kind
    return issn, issn_type, linking


def _abstract(text: str | None, copyright_text: str | None) -> Abstract | None:
    if not text:
        return None
    # NOTE: MEDLINE flattens structured abstracts to "BACKGROUND: ... RESULTS: ..." (see the
    # Biopython MEDLINE fixtures); the labels are recovered so sections match the XML form.
    matches = list(_SECTION_LABEL.finditer(text))
    if not matches or matches[0].start() != 0:
        return Abstract((AbstractSection(text),), copyright_text)
    sections = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        sections.append(AbstractSection(text[match.end() : end].strip(), label=match.group(1)))
    return Abstract(tuple(sections), copyright_text)


def _mesh(value: str) -> MeshHeading:
    descriptor, *qualifiers = value.split("/")
    return MeshHeading(
        descriptor=descriptor.lstrip("*").strip(),
        major=descriptor.startswith("*"),
        qualifiers=tuple(
            MeshQualifier(q.lstrip("*").strip(), major=q.startswith("*")) for q in qualifiers
        ),
    )


def _chemical(value: str) -> Chemical:
    found = _PARENTHESISED.match(value)
    if not found:
        return Chemical(name=value)
    number = found.group(1).strip()
    return Chemical(name=found.group(2).strip(), registry_number=number or None)


def _grant(value: str) -> Grant:
    parts = value.split("/")
    if len(parts) >= 4:
        return Grant(
            grant_id=parts[0] or None,
            acronym=parts[1] or None,
            agency="/".join(parts[2:-1]) or None,
            country=parts[-1] or None,
        )
    return Grant(grant_id=value)


def _article_ids(record: Medline.Record) -> tuple[ArticleId, ...]:
    ids = {"pubmed": ArticleId("pubmed", record["PMID"].strip())}
    for value, kind in _bracketed(_many(record, "AID")):
        ids.setdefault(kind, ArticleId(kind, value))
    pmc = _one(record, "PMC")
    if pmc:
        ids.setdefault("pmc", ArticleId("pmc", pmc))
    return tuple(ids.values())


def _history(record: Medline.Record) -> tuple[DatedEvent, ...]:
    events = [
        DatedEvent(kind, _slashed(value)) for value, kind in _bracketed(_many(record, "PHST"))
    ]
    known = {e.kind for e in events}
    for tag, kind in _HISTORY_TAGS.items():
        value = _one(record, tag)
        if value and kind not in known:
            events.append(DatedEvent(kind, _slashed(value)))
    return tuple(events)


def _slashed(value: str) -> str:
    date, _, time = value.partition(" ")
    parts = date.split("/")
    iso = iso_date(*(parts + [None] * (3 - len(parts)))[:3]) or date
    return f"{iso} {time}" if time else iso


def _correction(ref_type: str, value: str) -> Correction:
    found = _CORRECTION_PMID.match(value)
    if found:
        return Correction(ref_type, source=found.group(1).strip() or None, pmid=found.group(2))
    return Correction(ref_type, source=value)


_PERSON_TAGS = frozenset({"FAU", "AU", "CN", "FIR", "IR", "FED", "ED"})


def _authors(
    lines: list[str],
    record: Medline.Record,
    full_tag: str,
    short_tag: str,
    with_collective: bool,
) -> tuple[Author, ...]:
    """Authors (or investigators, or editors) with their affiliations and ORCIDs, in order.

    MEDLINE lists ``FAU``/``AU`` (or ``CN`` for a group) for each author, followed by that author's
    ``AUID`` and ``AD`` lines; older records carry a single ``AD`` before the author list, which
    belongs to the first author.
    """
    people: list[dict] = []
    counters: dict[str, int] = {}
    pending: list[str] = []
    active = False  # whether AD/AUID lines now belong to the last person of this role
    anyone_seen = False
    previous = ""
    for line in lines:
        if line.startswith("      "):
            continue
        tag = line[:4].rstrip()
        index = counters.get(tag, 0)
        counters[tag] = index + 1
        if tag == full_tag:
            people.append({"full": _value(record, tag, index), "affiliations": []})
        elif tag == short_tag and previous == full_tag and people:
            people[-1]["short"] = _value(record, tag, index)
        elif tag == short_tag:
            people.append({"short": _value(record, tag, index), "affiliations": []})
        elif tag == "CN" and with_collective:
            people.append({"collective": _value(record, tag, index), "affiliations": []})
        elif tag == "AD" and active:
            people[-1]["affiliations"].append(_value(record, tag, index))
        elif tag == "AD" and not anyone_seen and with_collective:
            pending.append(_value(record, tag, index))
        elif tag == "AUID" and active:
            people[-1]["orcid"] = _orcid(_value(record, tag, index))
        if tag in _PERSON_TAGS:
            anyone_seen = True
            active = tag in (full_tag, short_tag) or (tag == "CN" and with_collective)
        previous = tag
    if people and pending and not any(p["affiliations"] for p in people):
        people[0]["affiliations"] = pending
    return tuple(_author(p) for p in people)


def _value(record: Medline.Record, tag: str, index: int) -> str:
    values = record.get(tag, [])
    if isinstance(values, str):
        values = [values]
    return _squash(values[index]) if index < len(values) else ""


def _orcid(value: str) -> str | None:
    found = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value)
    return found.group(1) if found else None


def _author(person: dict) -> Author:
    affiliations = tuple(a for a in person["affiliations"] if a)
    if "collective" in person:
        return Author(collective_name=person["collective"], affiliations=affiliations)
    last = fore = initials = None
    if person.get("full"):
        last, _, fore = (p.strip() for p in person["full"].partition(","))
    if person.get("short"):
        short_last, _, short_initials = person["short"].rpartition(" ")
        last = last or short_last or person["short"]
        initials = short_initials if short_last else None
    return Author(
        last_name=last or None,
        fore_name=fore or None,
        initials=initials,
        orcid=person.get("orcid"),
        affiliations=affiliations,
    )
