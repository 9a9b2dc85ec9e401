"""A parsed PubMed record as plain frozen dataclasses: no ORM, no I/O.

Parsers produce these, the repository stores and loads them, the CLI and the exporters render them.
Every field PubMed gives is kept as given; derived fields (``year``, ``sort_date``) sit beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RETRACTION_TYPE = "Retracted Publication"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date in one of PubMed's forms: Year/Month/Day, Year/Season, or a free MedlineDate."""

    year: str | None = None
    month: str | None = None
    day: str | None = None
    season: str | None = None
    medline_date: str | None = None

    def display(self) -> str | None:
        if self.medline_date:
            return self.medline_date
        parts = [p for p in (self.year, self.season or self.month, self.day) if p]
        return " ".join(parts) or None


@dataclass(frozen=True, slots=True)
class DatedEvent:
    """A dated event in a record's life: a PubMed history status or an electronic article date."""

    kind: str
    date: str


@dataclass(frozen=True, slots=True)
class Author:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    suffix: str | None = None
    collective_name: str | None = None
    orcid: str | None = None
    affiliations: tuple[str, ...] = ()
    valid: bool = True
    equal_contrib: bool | None = None

    def display(self) -> str:
        if self.collective_name:
            return self.collective_name
        name = " ".join(p for p in (self.last_name, self.initials) if p)
        return f"{name} {self.suffix}" if self.suffix else name


@dataclass(frozen=True, slots=True)
class AbstractSection:
    text: str
    label: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Abstract:
    sections: tuple[AbstractSection, ...]
    copyright: str | None = None
    type: str | None = None  # None for the main abstract; OtherAbstract's Type otherwise
    language: str | None = None

    @property
    def text(self) -> str:
        """Plain text, one paragraph per section, labelled sections as ``LABEL: text``."""
        return "\n\n".join(
            f"{s.label}: {s.text}" if s.label else s.text for s in self.sections if s.text
        )


@dataclass(frozen=True, slots=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major: bool = False


@dataclass(frozen=True, slots=True)
class MeshHeading:
    descriptor: str
    ui: str | None = None
    major: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Keyword:
    keyword: str
    owner: str | None = None
    major: bool = False


@dataclass(frozen=True, slots=True)
class Chemical:
    name: str
    ui: str | None = None
    registry_number: str | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    grant_id: str | None = None
    acronym: str | None = None
    agency: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class PublicationType:
    name: str
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleId:
    id_type: str
    value: str


@dataclass(frozen=True, slots=True)
class ELocationId:
    id_type: str
    value: str
    valid: bool = True


@dataclass(frozen=True, slots=True)
class Correction:
    """One CommentsCorrections entry: an erratum, retraction, comment, update ... of any RefType."""

    ref_type: str
    source: str | None = None
    pmid: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    citation: str | None
    article_ids: tuple[ArticleId, ...] = ()

    @property
    def pmid(self) -> str | None:
        return next((i.value for i in self.article_ids if i.id_type == "pubmed"), None)


@dataclass(frozen=True, slots=True)
class Journal:
    title: str | None = None
    iso_abbreviation: str | None = None
    issn: str | None = None
    issn_type: str | None = None
    issn_linking: str | None = None
    nlm_unique_id: str | None = None
    medline_ta: str | None = None
    country: str | None = None
    volume: str | None = None
    issue: str | None = None
    cited_medium: str | None = None


@dataclass(frozen=True, slots=True)
class Pagination:
    start_page: str | None = None
    end_page: str | None = None
    medline_pgn: str | None = None

    def display(self) -> str | None:
        if self.medline_pgn:
            return self.medline_pgn
        if self.start_page and self.end_page:
            return f"{self.start_page}-{self.end_page}"
        return self.start_page


@dataclass(frozen=True, slots=True)
class Book:
    """What a PubmedBookArticle says about the book (the record's own title is the chapter's)."""

    title: str
    publisher: str | None = None
    publisher_location: str | None = None
    volume: str | None = None
    volume_title: str | None = None
    edition: str | None = None
    collection_title: str | None = None
    medium: str | None = None
    report_number: str | None = None
    location_labels: tuple[str, ...] = ()
    isbns: tuple[str, ...] = ()
    editors: tuple[Author, ...] = ()
    contribution_date: str | None = None
    beginning_date: str | None = None
    ending_date: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    pmid: str
    version: str = "1"
    kind: str = "article"  # or "book"
    title: str = ""
    vernacular_title: str | None = None
    abstract: Abstract | None = None
    other_abstracts: tuple[Abstract, ...] = ()
    authors: tuple[Author, ...] = ()
    investigators: tuple[Author, ...] = ()
    journal: Journal | None = None
    pagination: Pagination = field(default_factory=Pagination)
    elocation_ids: tuple[ELocationId, ...] = ()
    pub_date: PartialDate = field(default_factory=PartialDate)
    year: int | None = None
    sort_date: str | None = None
    pub_model: str | None = None
    article_dates: tuple[DatedEvent, ...] = ()
    languages: tuple[str, ...] = ()
    publication_types: tuple[PublicationType, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    chemicals: tuple[Chemical, ...] = ()
    grants: tuple[Grant, ...] = ()
    article_ids: tuple[ArticleId, ...] = ()
    history: tuple[DatedEvent, ...] = ()
    publication_status: str | None = None
    corrections: tuple[Correction, ...] = ()
    references: tuple[Reference, ...] = ()
    book: Book | None = None
    medline_status: str | None = None
    owner: str | None = None
    date_completed: str | None = None
    date_revised: str | None = None
    coi_statement: str | None = None
    raw_format: str = "xml"  # or "medline"
    raw: bytes = b""
    content_hash: str = ""

    def article_id(self, id_type: str) -> str | None:
        return next((i.value for i in self.article_ids if i.id_type == id_type), None)

    @property
    def doi(self) -> str | None:
        return self.article_id("doi") or next(
            (e.value for e in self.elocation_ids if e.id_type == "doi" and e.valid), None
        )

    @property
    def pmcid(self) -> str | None:
        return self.article_id("pmc")

    @property
    def retracted(self) -> bool:
        return any(t.name == RETRACTION_TYPE for t in self.publication_types) or any(
            c.ref_type == "RetractionIn" for c in self.corrections
        )


@dataclass(frozen=True, slots=True)
class Deletion:
    """A DeleteCitation block of a baseline or update file: these PMIDs were withdrawn.

    ``after`` counts the records that precede the block in its file, so a reader that handles
    records out of order can still apply the deletion at the right moment.
    """

    pmids: tuple[str, ...]
    after: int = 0
