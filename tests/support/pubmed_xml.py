"""PubMed XML that tests build themselves, always checked against the DTD Biopython ships.

Only for situations the recorded fixtures do not contain (a DeleteCitation, a retraction notice,
a MedlineDate, an OtherAbstract, ...). The text in these records is written for litdb's tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from xml.sax.saxutils import escape

import Bio.Entrez
from lxml import etree

DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)


@cache
def pubmed_dtd() -> etree.DTD:
    path = os.path.join(os.path.dirname(Bio.Entrez.__file__), "DTDs", "pubmed_250101.dtd")
    return etree.DTD(path)


def validate(document: bytes) -> bytes:
    """Return ``document`` if it is valid PubMed XML; fail the test with the DTD's errors if not."""
    tree = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    dtd = pubmed_dtd()
    if not dtd.validate(tree):
        errors = "; ".join(str(e) for e in dtd.error_log.filter_from_errors()[:5])
        raise AssertionError(f"test XML does not validate against pubmed_250101.dtd: {errors}")
    return document


@dataclass
class Record:
    """A small journal article record; every field has a plain default."""

    pmid: str
    title: str = "A test record"
    abstract: list[tuple[str | None, str]] = field(default_factory=list)  # (label, text)
    authors: list[tuple[str, str, str]] = field(default_factory=lambda: [("Tester", "Ann", "A")])
    year: str | None = "2020"
    month: str | None = "Mar"
    medline_date: str | None = None
    journal: str = "Journal of Test Records"
    iso: str = "J Test Rec"
    volume: str = "1"
    issue: str = "2"
    pages: str = "10-20"
    doi: str | None = None
    languages: list[str] = field(default_factory=lambda: ["eng"])
    publication_types: list[str] = field(default_factory=lambda: ["Journal Article"])
    mesh: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, UI, major)
    keywords: list[str] = field(default_factory=list)
    corrections: list[tuple[str, str, str]] = field(default_factory=list)  # (type, source, pmid)
    other_abstract: tuple[str, str, str] | None = None  # (type, language, text)
    references: list[tuple[str, str | None]] = field(default_factory=list)  # (citation, pmid)
    revised: str = "2024-01-15"

    def xml(self) -> str:
        e = escape
        date = (
            f"<MedlineDate>{e(self.medline_date)}</MedlineDate>"
            if self.medline_date
            else f"<Year>{self.year}</Year>"
            + (f"<Month>{self.month}</Month>" if self.month else "")
        )
        abstract = ""
        if self.abstract:
            parts = "".join(
                f'<AbstractText Label="{e(label)}">{e(text)}</AbstractText>'
                if label
                else f"<AbstractText>{e(text)}</AbstractText>"
                for label, text in self.abstract
            )
            abstract = f"<Abstract>{parts}</Abstract>"
        authors = "".join(
            f'<Author ValidYN="Y"><LastName>{e(last)}</LastName><ForeName>{e(fore)}</ForeName>'
            f"<Initials>{e(initials)}</Initials></Author>"
            for last, fore, initials in self.authors
        )
        author_list = f'<AuthorList CompleteYN="Y">{authors}</AuthorList>' if authors else ""
        elocation = (
            f'<ELocationID EIdType="doi" ValidYN="Y">{e(self.doi)}</ELocationID>'
            if self.doi
            else ""
        )
        languages = "".join(f"<Language>{e(x)}</Language>" for x in self.languages)
        types = "".join(
            f'<PublicationType UI="D000000">{e(t)}</PublicationType>'
            for t in self.publication_types
        )
        corrections = ""
        if self.corrections:
            corrections = (
                "<CommentsCorrectionsList>"
                + "".join(
                    f'<CommentsCorrections RefType="{t}"><RefSource>{e(s)}</RefSource>'
                    f'<PMID Version="1">{p}</PMID></CommentsCorrections>'
                    for t, s, p in self.corrections
                )
                + "</CommentsCorrectionsList>"
            )
        mesh = ""
        if self.mesh:
            mesh = (
                "<MeshHeadingList>"
                + "".join(
                    f'<MeshHeading><DescriptorName UI="{ui}" '
                    f'MajorTopicYN="{"Y" if major else "N"}">'
                    f"{e(name)}</DescriptorName></MeshHeading>"
                    for name, ui, major in self.mesh
                )
                + "</MeshHeadingList>"
            )
        other = ""
        if self.other_abstract:
            kind, language, text = self.other_abstract
            other = (
                f'<OtherAbstract Type="{kind}" Language="{language}">'
                f"<AbstractText>{e(text)}</AbstractText></OtherAbstract>"
            )
        keywords = ""
        if self.keywords:
            keywords = (
                '<KeywordList Owner="NOTNLM">'
                + "".join(f'<Keyword MajorTopicYN="N">{e(k)}</Keyword>' for k in self.keywords)
                + "</KeywordList>"
            )
        ids = f'<ArticleId IdType="pubmed">{self.pmid}</ArticleId>'
        if self.doi:
            ids += f'<ArticleId IdType="doi">{e(self.doi)}</ArticleId>'
        references = ""
        if self.references:
            references = (
                "<ReferenceList>"
                + "".join(
                    f"<Reference><Citation>{e(c)}</Citation>"
                    + (
                        f'<ArticleIdList><ArticleId IdType="pubmed">{p}</ArticleId></ArticleIdList>'
                        if p
                        else ""
                    )
                    + "</Reference>"
                    for c, p in self.references
                )
                + "</ReferenceList>"
            )
        ry, rm, rd = self.revised.split("-")
        return (
            '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
            f'<PMID Version="1">{self.pmid}</PMID>'
            f"<DateRevised><Year>{ry}</Year><Month>{rm}</Month><Day>{rd}</Day></DateRevised>"
            '<Article PubModel="Print"><Journal><ISSN IssnType="Print">1234-5678</ISSN>'
            f'<JournalIssue CitedMedium="Print"><Volume>{e(self.volume)}</Volume>'
            f"<Issue>{e(self.issue)}</Issue><PubDate>{date}</PubDate></JournalIssue>"
            f"<Title>{e(self.journal)}</Title><ISOAbbreviation>{e(self.iso)}</ISOAbbreviation>"
            f"</Journal><ArticleTitle>{e(self.title)}</ArticleTitle>"
            f"<Pagination><MedlinePgn>{e(self.pages)}</MedlinePgn></Pagination>{elocation}"
            f"{abstract}{author_list}{languages}"
            f"<PublicationTypeList>{types}</PublicationTypeList></Article>"
            "<MedlineJournalInfo><Country>United States</Country>"
            f"<MedlineTA>{e(self.iso)}</MedlineTA><NlmUniqueID>0000000</NlmUniqueID>"
            f"</MedlineJournalInfo>{corrections}{mesh}{other}{keywords}</MedlineCitation>"
            '<PubmedData><History><PubMedPubDate PubStatus="pubmed"><Year>2020</Year>'
            "<Month>3</Month><Day>1</Day></PubMedPubDate></History>"
            f"<PublicationStatus>ppublish</PublicationStatus><ArticleIdList>{ids}</ArticleIdList>"
            f"{references}</PubmedData></PubmedArticle>"
        )


def article_set(*records: Record, deleted: tuple[str, ...] = ()) -> bytes:
    """A whole PubmedArticleSet document, validated against the DTD before it is returned."""
    delete = ""
    if deleted:
        delete = (
            "<DeleteCitation>"
            + "".join(f'<PMID Version="1">{p}</PMID>' for p in deleted)
            + "</DeleteCitation>"
        )
    body = "".join(r.xml() for r in records)
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n'
        f"<PubmedArticleSet>{body}{delete}</PubmedArticleSet>\n"
    )
    return validate(document.encode("utf-8"))
