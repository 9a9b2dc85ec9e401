"""Streaming parser for PubMed XML: efetch responses, baseline and update files.

Bytes in, ``Article`` and ``Deletion`` records out, one at a time; memory stays flat however large
the file is, because each record's element is cleared once it has been read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import IO

from lxml import etree

from litdb.errors import InputError
from litdb.pubmed.dates import iso_date, sortable
from litdb.pubmed.record_bytes import RecordBytes, is_utf8
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
    Deletion,
    ELocationId,
    Grant,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    Pagination,
    PartialDate,
    PublicationType,
    Reference,
)

PUBMED_ROOTS = frozenset({"PubmedArticleSet", "PubmedBookArticleSet"})
_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
_ORCID = re.compile(r"(\d{4}-?\d{4}-?\d{4}-?\d{3}[\dXx])")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_SNIFF_BYTES = 65536
_PARSING = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
}


def parse_pubmed_xml(
    stream: IO[bytes], name: str = "<stream>", keep: Callable[[int], bool] | None = None
) -> Iterator[Article | Deletion]:
    """Yield each record of a PubMed XML stream in document order.

    ``keep``, given a record's ordinal in the file (0, 1, ...), says whether to read it; the others
    are checked for well-formedness only. Parallel imports split a file between processes so.

    Raises ``InputError`` naming ``name`` (and the line and column where the parser knows them)
    for an empty stream, XML that is not well formed or is cut short, and XML that is not PubMed's.
    """
    head = _peek(stream)
    root = root_tag(head)
    if root is None:
        if not head.strip():
            raise InputError(f"{name}: the file is empty")
        raise InputError(f"{name}: not XML (no root element found)")
    if root not in PUBMED_ROOTS:
        message = error_message(head) if root in ("eFetchResult", "ERROR") else None
        if message:
            raise InputError(f"{name}: NCBI returned an error instead of records: {message}")
        raise InputError(
            f"{name}: not PubMed XML (root element <{root}>, expected <PubmedArticleSet>)"
        )
    sent = RecordBytes(stream) if is_utf8(head) else None
    events = etree.iterparse(sent or stream, events=("end",), tag=_RECORD_TAGS, **_PARSING)
    ordinal = 0
    try:
        for _, element in events:
            if element.tag == "DeleteCitation":
                pmids = tuple(p.text.strip() for p in element.iterfind("PMID") if p.text)
                yield Deletion(pmids, after=ordinal)
            else:
                wanted = keep is None or keep(ordinal)
                raw = sent.take(element.tag, wanted) if sent is not None else None
                if wanted:
                    yield _parse_record(element, name, raw)
                ordinal += 1
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        where = f" (line {line}, column {column})" if line else ""
        reason = exc.msg.split(",")[0] if exc.msg else "not well-formed XML"
        raise InputError(f"{name}: malformed or truncated XML{where}: {reason}") from exc


def _parse_record(element: etree._Element, name: str, raw: bytes | None) -> Article:
    try:
        if element.tag == "PubmedArticle":
            return parse_article(element, raw)
        return parse_book_article(element, raw)
    except InputError as exc:
        raise InputError(f"{name}: {exc} (line {element.sourceline})") from None


def _peek(stream: IO[bytes]) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is None:
        raise TypeError("parse_pubmed_xml needs a buffered stream (with peek)")
    head = peek(_SNIFF_BYTES)
    return head[:_SNIFF_BYTES]


def root_tag(head: bytes) -> str | None:
    """The name of the first element in ``head``, skipping the prolog, DOCTYPE and comments."""
    position = 0
    length = len(head)
    while position < length:
        start = head.find(b"<", position)
        if start < 0:
            return None
        if head.startswith(b"<?", start):
            position = head.find(b"?>", start) + 2
        elif head.startswith(b"<!--", start):
            position = head.find(b"-->", start) + 3
        elif head.startswith(b"<!", start):
            bracket = head.find(b"[", start)
            close = head.find(b">", start)
            if 0 <= bracket < close:
                close = head.find(b"]>", bracket) + 1
            position = close + 1
        else:
            found = _ROOT_TAG.match(head, start)
            return found.group(1).decode("ascii", "replace") if found else None
        if position <= start:
            return None
    return None


def error_message(body: bytes) -> str | None:
    """The text of an ``<ERROR>`` element that NCBI sends, often with status 200, or None."""
    found = re.search(rb"<ERROR>(.*?)</ERROR>", body, re.S)
    if not found:
        return None
    return " ".join(found.group(1).decode("utf-8", "replace").split()) or "unspecified error"


# -- text ------------------------------------------------------------------------------------------


def _clean(text: str | None) -> str | None:
    """Whitespace collapsed; None for nothing. Most PubMed text needs only a strip."""
    if not text:
        return None
    if "\n" in text or "\t" in text or "  " in text or "\r" in text:
        return " ".join(text.split()) or None
    return text.strip() or None


def flat_text(element: etree._Element | None) -> str:
    """All the text of an element with inline markup and MathML flattened, whitespace collapsed."""
    if element is None:
        return ""
    if len(element) == 0:
        return _clean(element.text) or ""
    parts: list[str] = []
    _collect_text(element, parts)
    return " ".join("".join(parts).split())


def _collect_text(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            if tag.endswith("}math") or tag == "math":
                # MathML is pretty-printed token by token; the spaces between tokens are layout.
                parts.append("".join(t.strip() for t in child.itertext()))
            else:
                _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def _text(element: etree._Element, path: str) -> str | None:
    """The flattened text of a child that may hold inline markup (titles, abstracts, ...)."""
    found = element.find(path)
    if found is None:
        return None
    if len(found) == 0:
        return _clean(found.text)
    return flat_text(found) or None


def _leaf(element: etree._Element, path: str) -> str | None:
    """The text of a child that holds text only (names, numbers, codes)."""
    return _clean(element.findtext(path))


def _yes(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.upper() == "Y"


# -- parts shared by journal articles and books ---------------------------------------------------
# NOTE: these functions walk each element's children once and dispatch on the tag; that is two to
# three times faster than one find() per field (measured with benchmarks/ingest.py).


def _children(element: etree._Element) -> dict[str, etree._Element]:
    """The first child of each tag (for elements whose children do not repeat)."""
    found: dict[str, etree._Element] = {}
    for child in element:
        found.setdefault(child.tag, child)
    return found


def _child_text(children: dict[str, etree._Element], tag: str) -> str | None:
    child = children.get(tag)
    if child is None:
        return None
    return _clean(child.text) if len(child) == 0 else (flat_text(child) or None)


def parse_author(element: etree._Element) -> Author:
    last = fore = initials = suffix = collective = orcid = None
    affiliations: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "LastName":
            last = _clean(child.text)
        elif tag == "ForeName":
            fore = _clean(child.text)
        elif tag == "Initials":
            initials = _clean(child.text)
        elif tag == "AffiliationInfo":
            for part in child:
                if part.tag == "Affiliation" and (text := flat_text(part)):
                    affiliations.append(text)
        elif tag == "Identifier":
            if orcid is None and (child.get("Source") or "").upper() == "ORCID" and child.text:
                found = _ORCID.search(child.text.replace(" ", ""))
                orcid = _format_orcid(found.group(1)) if found else child.text.strip()
        elif tag == "Suffix":
            suffix = flat_text(child) or None
        elif tag == "CollectiveName":
            collective = flat_text(child) or None
    equal = element.get("EqualContrib")
    return Author(
        last_name=last,
        fore_name=fore,
        initials=initials,
        suffix=suffix,
        collective_name=collective,
        orcid=orcid,
        affiliations=tuple(affiliations),
        valid=_yes(element.get("ValidYN"), default=True),
        equal_contrib=None if equal is None else _yes(equal),
    )


def parse_authors(author_list: etree._Element | None) -> tuple[Author, ...]:
    if author_list is None:
        return ()
    return tuple(parse_author(a) for a in author_list if a.tag in ("Author", "Investigator"))


def _format_orcid(digits: str) -> str:
    bare = digits.replace("-", "").upper()
    return "-".join(bare[i : i + 4] for i in range(0, 16, 4))


def parse_abstract(element: etree._Element | None, kind: str | None = None) -> Abstract | None:
    if element is None:
        return None
    sections = []
    copyright_text = None
    for child in element:
        if child.tag == "AbstractText":
            sections.append(
                AbstractSection(
                    text=flat_text(child),
                    label=child.get("Label") or None,
                    category=child.get("NlmCategory") or None,
                )
            )
        elif child.tag == "CopyrightInformation":
            copyright_text = _clean(child.text)
    return Abstract(
        sections=tuple(sections),
        copyright=copyright_text,
        type=kind,
        language=element.get("Language") if kind else None,
    )


def parse_partial_date(element: etree._Element | None) -> PartialDate:
    if element is None:
        return PartialDate()
    parts = {child.tag: _clean(child.text) for child in element}
    return PartialDate(
        year=parts.get("Year"),
        month=parts.get("Month"),
        day=parts.get("Day"),
        season=parts.get("Season"),
        medline_date=parts.get("MedlineDate"),
    )


def _ymd(element: etree._Element | None, with_time: bool = False) -> str | None:
    """``YYYY-MM-DD`` (and `` HH:MM`` when asked and given) from Year/Month/Day children."""
    if element is None:
        return None
    parts = {child.tag: child.text for child in element}
    value = iso_date(parts.get("Year"), parts.get("Month") or None, parts.get("Day"))
    if value is None:
        return flat_text(element) or None
    hour = parts.get("Hour")
    if with_time and hour is not None and hour.strip().isdigit():
        minute = parts.get("Minute") or "0"
        value += f" {int(hour):02d}:{int(minute) if minute.strip().isdigit() else 0:02d}"
    return value


def parse_history(history: etree._Element | None) -> tuple[DatedEvent, ...]:
    if history is None:
        return ()
    return tuple(
        DatedEvent(date.get("PubStatus") or "unknown", _ymd(date, with_time=True) or "")
        for date in history
        if date.tag == "PubMedPubDate"
    )


def parse_article_ids(*lists: etree._Element | None) -> tuple[ArticleId, ...]:
    seen: dict[tuple[str, str], ArticleId] = {}
    for id_list in lists:
        if id_list is None:
            continue
        for item in id_list:
            value = item.text
            if value and (value := value.strip()):
                key = (item.get("IdType") or "unknown", value)
                if key not in seen:
                    seen[key] = ArticleId(*key)
    return tuple(seen.values())


def parse_references(reference_lists: list[etree._Element]) -> tuple[Reference, ...]:
    references = []
    for container in reference_lists:
        for reference in container.iter("Reference"):
            citation = None
            ids: tuple[ArticleId, ...] = ()
            for child in reference:
                if child.tag == "Citation":
                    citation = _clean(child.text) if len(child) == 0 else (flat_text(child) or None)
                elif child.tag == "ArticleIdList":
                    ids = parse_article_ids(child)
            references.append(Reference(citation, ids))
    return tuple(references)


def _elocation(element: etree._Element) -> ELocationId | None:
    value = _clean(element.text)
    if not value:
        return None
    return ELocationId(
        id_type=element.get("EIdType") or "unknown",
        value=value,
        valid=_yes(element.get("ValidYN"), default=True),
    )


def _keywords(keyword_list: etree._Element) -> list[Keyword]:
    owner = keyword_list.get("Owner")
    return [
        Keyword(text, owner, _yes(k.get("MajorTopicYN")))
        for k in keyword_list
        if k.tag == "Keyword" and (text := flat_text(k))
    ]


def parse_grants(grant_list: etree._Element | None) -> tuple[Grant, ...]:
    if grant_list is None:
        return ()
    grants = []
    for grant in grant_list:
        parts = _children(grant)
        grants.append(
            Grant(
                grant_id=_child_text(parts, "GrantID"),
                acronym=_child_text(parts, "Acronym"),
                agency=_child_text(parts, "Agency"),
                country=_child_text(parts, "Country"),
            )
        )
    return tuple(grants)


def _publication_type(element: etree._Element) -> PublicationType | None:
    name = _clean(element.text)
    return PublicationType(name, element.get("UI")) if name else None


def _pagination(element: etree._Element | None) -> Pagination:
    if element is None:
        return Pagination()
    parts = _children(element)
    return Pagination(
        start_page=_child_text(parts, "StartPage"),
        end_page=_child_text(parts, "EndPage"),
        medline_pgn=_child_text(parts, "MedlinePgn"),
    )


def _raw(element: etree._Element, sent: bytes | None) -> tuple[bytes, str]:
    """The record's raw form (the bytes it was sent as, else its tree serialised) and hash."""
    raw = sent if sent is not None else _serialised(element)
    return raw, hashlib.sha256(raw).hexdigest()


def _serialised(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="utf-8", with_tail=False)


def serialised(raw: bytes) -> bytes:
    """A record's XML as lxml serialises its tree: the same for any two writings of the same
    content (a character as a reference or as UTF-8, say), and the form earlier versions of
    litdb stored and hashed."""
    return _serialised(etree.fromstring(raw, etree.XMLParser(**_PARSING)))


# -- journal articles -----------------------------------------------------------------------------


def parse_article(element: etree._Element, raw: bytes | None = None) -> Article:
    """One ``<PubmedArticle>`` element as an ``Article``; ``raw``: the bytes it was sent as."""
    top = _children(element)
    citation = top.get("MedlineCitation")
    if citation is None:
        raise InputError("a PubmedArticle without MedlineCitation")
    pubmed_data = top.get("PubmedData")

    pmid_element = article = journal_info = None
    date_completed = date_revised = coi = None
    mesh: list[MeshHeading] = []
    keywords: list[Keyword] = []
    chemicals: list[Chemical] = []
    corrections: list[Correction] = []
    other_abstracts: list[Abstract] = []
    investigators: tuple[Author, ...] = ()
    for child in citation:
        tag = child.tag
        if tag == "Article":
            article = child
        elif tag == "PMID":
            pmid_element = child
        elif tag == "MeshHeadingList":
            mesh = [_parse_mesh(h) for h in child]
        elif tag == "MedlineJournalInfo":
            journal_info = _children(child)
        elif tag == "KeywordList":
            keywords.extend(_keywords(child))
        elif tag == "ChemicalList":
            chemicals = [_parse_chemical(c) for c in child]
        elif tag == "CommentsCorrectionsList":
            corrections = [_parse_correction(c) for c in child]
        elif tag == "DateCompleted":
            date_completed = _ymd(child)
        elif tag == "DateRevised":
            date_revised = _ymd(child)
        elif tag == "OtherAbstract":
            other = parse_abstract(child, kind=child.get("Type") or "unknown")
            if other is not None:
                other_abstracts.append(other)
        elif tag == "CoiStatement":
            coi = flat_text(child) or None
        elif tag == "InvestigatorList":
            investigators += parse_authors(child)
    if pmid_element is None or not (pmid_element.text or "").strip() or article is None:
        raise InputError("a PubmedArticle without PMID or Article")

    journal = title = vernacular = abstract = pagination = grants = None
    authors: tuple[Author, ...] = ()
    elocations: list[ELocationId] = []
    languages: list[str] = []
    publication_types: list[PublicationType] = []
    article_dates: list[DatedEvent] = []
    for child in article:
        tag = child.tag
        if tag == "Journal":
            journal = child
        elif tag == "ArticleTitle":
            title = flat_text(child)
        elif tag == "Abstract":
            abstract = parse_abstract(child)
        elif tag == "AuthorList":
            authors = parse_authors(child)
        elif tag == "ELocationID":
            if (location := _elocation(child)) is not None:
                elocations.append(location)
        elif tag == "Pagination":
            pagination = _pagination(child)
        elif tag == "Language":
            if language := _clean(child.text):
                languages.append(language)
        elif tag == "PublicationTypeList":
            publication_types = [t for p in child if (t := _publication_type(p))]
        elif tag == "ArticleDate":
            article_dates.append(
                DatedEvent(child.get("DateType") or "Electronic", _ymd(child) or "")
            )
        elif tag == "GrantList":
            grants = parse_grants(child)
        elif tag == "VernacularTitle":
            vernacular = flat_text(child) or None

    history = ()
    publication_status = None
    id_lists: list[etree._Element] = []
    reference_lists: list[etree._Element] = []
    if pubmed_data is not None:
        for child in pubmed_data:
            tag = child.tag
            if tag == "ReferenceList":
                reference_lists.append(child)
            elif tag == "ArticleIdList":
                id_lists.append(child)
            elif tag == "History":
                history = parse_history(child)
            elif tag == "PublicationStatus":
                publication_status = _clean(child.text)

    parsed_journal, pub_date = _parse_journal(journal, journal_info or {})
    year, sort_date = sortable(pub_date)
    raw, content_hash = _raw(element, raw)
    return Article(
        pmid=pmid_element.text.strip(),
        version=pmid_element.get("Version") or "1",
        kind="article",
        title=title or "",
        vernacular_title=vernacular,
        abstract=abstract,
        other_abstracts=tuple(other_abstracts),
        authors=authors,
        investigators=investigators,
        journal=parsed_journal,
        pagination=pagination or Pagination(),
        elocation_ids=tuple(elocations),
        pub_date=pub_date,
        year=year,
        sort_date=sort_date,
        pub_model=article.get("PubModel"),
        article_dates=tuple(article_dates),
        languages=tuple(languages),
        publication_types=tuple(publication_types),
        mesh=tuple(mesh),
        keywords=tuple(keywords),
        chemicals=tuple(chemicals),
        grants=grants or (),
        article_ids=parse_article_ids(*id_lists),
        history=history,
        publication_status=publication_status,
        corrections=tuple(corrections),
        references=parse_references(reference_lists),
        medline_status=citation.get("Status"),
        owner=citation.get("Owner"),
        date_completed=date_completed,
        date_revised=date_revised,
        coi_statement=coi,
        raw_format="xml",
        raw=raw,
        content_hash=content_hash,
    )


def _parse_journal(
    journal: etree._Element | None, info: dict[str, etree._Element]
) -> tuple[Journal, PartialDate]:
    issn = issue = None
    parts: dict[str, etree._Element] = {}
    if journal is not None:
        parts = _children(journal)
        issn = parts.get("ISSN")
        issue = parts.get("JournalIssue")
    issue_parts = _children(issue) if issue is not None else {}
    parsed = Journal(
        title=_child_text(parts, "Title"),
        iso_abbreviation=_child_text(parts, "ISOAbbreviation"),
        issn=_clean(issn.text) if issn is not None else None,
        issn_type=issn.get("IssnType") if issn is not None else None,
        issn_linking=_child_text(info, "ISSNLinking"),
        nlm_unique_id=_child_text(info, "NlmUniqueID"),
        medline_ta=_child_text(info, "MedlineTA"),
        country=_child_text(info, "Country"),
        volume=_child_text(issue_parts, "Volume"),
        issue=_child_text(issue_parts, "Issue"),
        cited_medium=issue.get("CitedMedium") if issue is not None else None,
    )
    return parsed, parse_partial_date(issue_parts.get("PubDate"))


def _parse_mesh(heading: etree._Element) -> MeshHeading:
    descriptor = None
    qualifiers = []
    for child in heading:
        if child.tag == "DescriptorName":
            descriptor = child
        elif child.tag == "QualifierName":
            qualifiers.append(
                MeshQualifier(
                    _clean(child.text) or "", child.get("UI"), _yes(child.get("MajorTopicYN"))
                )
            )
    if descriptor is None:
        return MeshHeading(descriptor="", qualifiers=tuple(qualifiers))
    return MeshHeading(
        descriptor=_clean(descriptor.text) or "",
        ui=descriptor.get("UI"),
        major=_yes(descriptor.get("MajorTopicYN")),
        qualifiers=tuple(qualifiers),
        type=descriptor.get("Type"),
    )


def _parse_chemical(chemical: etree._Element) -> Chemical:
    parts = _children(chemical)
    substance = parts.get("NameOfSubstance")
    return Chemical(
        name=_child_text(parts, "NameOfSubstance") or "",
        ui=substance.get("UI") if substance is not None else None,
        registry_number=_child_text(parts, "RegistryNumber"),
    )


def _parse_correction(correction: etree._Element) -> Correction:
    parts = _children(correction)
    return Correction(
        ref_type=correction.get("RefType") or "unknown",
        source=_child_text(parts, "RefSource"),
        pmid=_child_text(parts, "PMID"),
        note=_child_text(parts, "Note"),
    )


# -- books ----------------------------------------------------------------------------------------


def parse_book_article(element: etree._Element, raw: bytes | None = None) -> Article:
    """One ``<PubmedBookArticle>`` (a book or a chapter, such as a GeneReviews entry)."""
    top = _children(element)
    document = top.get("BookDocument")
    if document is None:
        raise InputError("a PubmedBookArticle without BookDocument")
    book_data = top.get("PubmedBookData")
    parts = _children(document)
    book = parts.get("Book")
    pmid_element = parts.get("PMID")
    if book is None or pmid_element is None or not (pmid_element.text or "").strip():
        raise InputError("a PubmedBookArticle without PMID or Book")
    book_parts = _children(book)

    authors: list[Author] = []
    editors: list[Author] = []
    for author_list in [*book.iterchildren("AuthorList"), *document.iterchildren("AuthorList")]:
        target = editors if author_list.get("Type") == "editors" else authors
        target.extend(parse_authors(author_list))
    pub_date = parse_partial_date(book_parts.get("PubDate"))
    year, sort_date = sortable(pub_date)
    book_title = flat_text(book_parts.get("BookTitle"))
    data_parts = _children(book_data) if book_data is not None else {}
    raw, content_hash = _raw(element, raw)
    return Article(
        pmid=pmid_element.text.strip(),
        version=pmid_element.get("Version") or "1",
        kind="book",
        title=flat_text(parts.get("ArticleTitle")) or book_title,
        vernacular_title=_child_text(parts, "VernacularTitle"),
        abstract=parse_abstract(parts.get("Abstract")),
        authors=tuple(authors),
        investigators=parse_authors(parts.get("InvestigatorList")),
        pagination=_pagination(parts.get("Pagination")),
        elocation_ids=tuple(e for x in book.iterchildren("ELocationID") if (e := _elocation(x))),
        pub_date=pub_date,
        year=year,
        sort_date=sort_date,
        languages=tuple(t for x in document.iterchildren("Language") if (t := _clean(x.text))),
        publication_types=tuple(
            t for x in document.iterchildren("PublicationType") if (t := _publication_type(x))
        ),
        keywords=tuple(k for x in document.iterchildren("KeywordList") for k in _keywords(x)),
        grants=parse_grants(parts.get("GrantList")),
        article_ids=parse_article_ids(parts.get("ArticleIdList"), data_parts.get("ArticleIdList")),
        history=parse_history(data_parts.get("History")),
        publication_status=_child_text(data_parts, "PublicationStatus"),
        references=parse_references(list(document.iterchildren("ReferenceList"))),
        book=Book(
            title=book_title,
            publisher=_text(book, "Publisher/PublisherName"),
            publisher_location=_leaf(book, "Publisher/PublisherLocation"),
            volume=_child_text(book_parts, "Volume"),
            volume_title=_child_text(book_parts, "VolumeTitle"),
            edition=_child_text(book_parts, "Edition"),
            collection_title=_child_text(book_parts, "CollectionTitle"),
            medium=_child_text(book_parts, "Medium"),
            report_number=_child_text(book_parts, "ReportNumber"),
            location_labels=tuple(
                t for x in document.iterchildren("LocationLabel") if (t := flat_text(x))
            ),
            isbns=tuple(t for x in book.iterchildren("Isbn") if (t := _clean(x.text))),
            editors=tuple(editors),
            contribution_date=_ymd(parts.get("ContributionDate")),
            beginning_date=_ymd(book_parts.get("BeginningDate")),
            ending_date=_ymd(book_parts.get("EndingDate")),
        ),
        date_revised=_ymd(parts.get("DateRevised")),
        raw_format="xml",
        raw=raw,
        content_hash=content_hash,
    )
