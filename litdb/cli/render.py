"""Turning stored records and reports into JSON-ready dicts and readable text."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from litdb.records import Abstract, Author

if TYPE_CHECKING:
    from litdb.db.articles import CorpusStats, StoredArticle

WIDTH = 100


def to_json(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def author_json(author: Author) -> dict:
    return {
        "last_name": author.last_name,
        "fore_name": author.fore_name,
        "initials": author.initials,
        "suffix": author.suffix,
        "collective_name": author.collective_name,
        "orcid": author.orcid,
        "affiliations": list(author.affiliations),
        "valid": author.valid,
        "equal_contrib": author.equal_contrib,
    }


def _sections_json(abstract: Abstract | None) -> list[dict]:
    if abstract is None:
        return []
    return [{"label": s.label, "category": s.category, "text": s.text} for s in abstract.sections]


def article_json(
    stored: StoredArticle,
    tags=(),
    labels: dict[str, str] | None = None,
    counts=None,
    origin: dict | None = None,
) -> dict:
    """Every field of a stored record, under stable keys (the ``show --format json`` contract),
    with the claims it bears on (curated decisions first-class), its citation counts and, for a
    record found by snowballing, how it was found."""
    a = stored.article
    journal = a.journal
    return {
        "pmid": a.pmid,
        "version": a.version,
        "status": stored.status,
        "kind": a.kind,
        "title": a.title,
        "vernacular_title": a.vernacular_title,
        "abstract": a.abstract.text if a.abstract else None,
        "abstract_sections": _sections_json(a.abstract),
        "abstract_copyright": a.abstract.copyright if a.abstract else None,
        "other_abstracts": [
            {
                "type": o.type,
                "language": o.language,
                "text": o.text,
                "sections": _sections_json(o),
                "copyright": o.copyright,
            }
            for o in a.other_abstracts
        ],
        "authors": [author_json(p) for p in a.authors],
        "investigators": [author_json(p) for p in a.investigators],
        "journal": {
            "title": journal.title if journal else None,
            "iso_abbreviation": journal.iso_abbreviation if journal else None,
            "issn": journal.issn if journal else None,
            "issn_type": journal.issn_type if journal else None,
            "issn_linking": journal.issn_linking if journal else None,
            "nlm_unique_id": journal.nlm_unique_id if journal else None,
            "medline_ta": journal.medline_ta if journal else None,
            "country": journal.country if journal else None,
            "volume": journal.volume if journal else None,
            "issue": journal.issue if journal else None,
            "cited_medium": journal.cited_medium if journal else None,
        },
        "pages": a.pagination.display(),
        "pagination": asdict(a.pagination),
        "elocation_ids": [
            {"type": e.id_type, "value": e.value, "valid": e.valid} for e in a.elocation_ids
        ],
        "year": a.year,
        "pub_date": a.pub_date.display(),
        "pub_date_parts": asdict(a.pub_date),
        "sort_date": a.sort_date,
        "pub_model": a.pub_model,
        "article_dates": [{"type": d.kind, "date": d.date} for d in a.article_dates],
        "doi": a.doi,
        "pmcid": a.pmcid,
        "language": a.languages[0] if a.languages else None,
        "languages": list(a.languages),
        "publication_types": [t.name for t in a.publication_types],
        "publication_type_uis": [t.ui for t in a.publication_types],
        "mesh": [
            {
                "descriptor": m.descriptor,
                "ui": m.ui,
                "major": m.major,
                "type": m.type,
                "qualifiers": [
                    {"name": q.name, "ui": q.ui, "major": q.major} for q in m.qualifiers
                ],
            }
            for m in a.mesh
        ],
        "keywords": [
            {"keyword": k.keyword, "owner": k.owner, "major": k.major} for k in a.keywords
        ],
        "chemicals": [asdict(c) for c in a.chemicals],
        "grants": [asdict(g) for g in a.grants],
        "article_ids": [{"type": i.id_type, "value": i.value} for i in a.article_ids],
        "history": [{"status": h.kind, "date": h.date} for h in a.history],
        "publication_status": a.publication_status,
        "corrections": [
            {"type": c.ref_type, "pmid": c.pmid, "source": c.source, "note": c.note}
            for c in a.corrections
        ],
        "references": [r.pmid for r in a.references if r.pmid],
        "reference_list": [
            {
                "citation": r.citation,
                "pmid": r.pmid,
                "article_ids": [{"type": i.id_type, "value": i.value} for i in r.article_ids],
            }
            for r in a.references
        ],
        "book": None
        if a.book is None
        else {
            **{k: v for k, v in asdict(a.book).items() if k != "editors"},
            "editors": [author_json(p) for p in a.book.editors],
        },
        "medline_status": a.medline_status,
        "owner": a.owner,
        "date_completed": a.date_completed,
        "date_revised": a.date_revised,
        "coi_statement": a.coi_statement,
        "retracted": a.retracted,
        "retraction_notices": [
            c.pmid for c in a.corrections if c.ref_type == "RetractionIn" and c.pmid
        ],
        "claims": [effective_tag_json(t, labels or {}) for t in tags],
        "citations": None if counts is None else citation_counts_json(counts),
        "origin": origin,
        "raw_format": a.raw_format,
        "content_hash": a.content_hash,
        "first_seen_at": stored.first_seen_at,
        "updated_at": stored.updated_at,
        "deleted_at": stored.deleted_at,
    }


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def citation_line(stored: StoredArticle) -> str:
    """``Journal. 2019 Sep;12(3):100-10.`` or the book's publisher line."""
    a = stored.article
    if a.book:
        parts = [a.book.title]
        if a.book.publisher_location or a.book.publisher:
            parts.append(": ".join(p for p in (a.book.publisher_location, a.book.publisher) if p))
        parts.append(a.pub_date.display() or "")
        return ". ".join(p for p in parts if p) + "."
    journal = a.journal
    name = (journal.iso_abbreviation or journal.title or "") if journal else ""
    text = f"{name}. {a.pub_date.display() or ''}"
    if journal and journal.volume:
        text += f";{journal.volume}"
    if journal and journal.issue:
        text += f"({journal.issue})"
    pages = a.pagination.display()
    if pages:
        text += f":{pages}"
    return text.strip() + "."


def citation_counts_json(counts) -> dict:
    return {
        "cited_by_in_corpus": counts.cited_by_corpus,
        "cited_by_total": counts.cited_by,
        "cites_in_corpus": counts.cites_corpus,
        "cites_total": counts.cites,
    }


def article_text(
    stored: StoredArticle,
    tags=(),
    labels: dict[str, str] | None = None,
    counts=None,
    origin: dict | None = None,
) -> str:
    a = stored.article
    lines = []
    flags = [stored.status.upper() if stored.status != "active" else None]
    if a.retracted:
        flags.append("RETRACTED")
    flag_text = " ".join(f"[{f}]" for f in flags if f)
    lines.append(f"PMID {a.pmid} (version {a.version}) {flag_text}".rstrip())
    lines.append(textwrap.fill(a.title, WIDTH))
    if a.vernacular_title:
        lines.append(textwrap.fill(a.vernacular_title, WIDTH))
    if a.authors:
        lines.append(textwrap.fill(", ".join(p.display() for p in a.authors), WIDTH))
    lines.append(citation_line(stored))
    ids = [f"DOI: {a.doi}" if a.doi else None, f"PMCID: {a.pmcid}" if a.pmcid else None]
    if any(ids):
        lines.append("  ".join(i for i in ids if i))
    lines.append("")
    if a.publication_types:
        lines.append("Publication types: " + ", ".join(t.name for t in a.publication_types))
    if a.languages:
        lines.append("Language: " + ", ".join(a.languages))
    if a.book and a.book.editors:
        lines.append("Editors: " + ", ".join(p.display() for p in a.book.editors))
    if a.abstract:
        lines.append("")
        lines.append("Abstract")
        for section in a.abstract.sections:
            text = f"{section.label}: {section.text}" if section.label else section.text
            lines.append(_wrap(text))
    for other in a.other_abstracts:
        lines.append("")
        lines.append(f"Other abstract ({other.type}, {other.language})")
        lines.append(_wrap(other.text))
    if a.mesh:
        lines.append("")
        lines.append("MeSH (* major topic)")
        for heading in a.mesh:
            name = ("*" if heading.major else "") + heading.descriptor
            qualifiers = "/".join(("*" if q.major else "") + q.name for q in heading.qualifiers)
            lines.append(f"  {name}" + (f" / {qualifiers}" if qualifiers else ""))
    if a.keywords:
        lines.append("")
        lines.append(_wrap("Keywords: " + "; ".join(k.keyword for k in a.keywords), ""))
    if a.chemicals:
        lines.append(_wrap("Chemicals: " + "; ".join(c.name for c in a.chemicals), ""))
    if a.grants:
        lines.append(
            _wrap(
                "Grants: "
                + "; ".join(
                    " ".join(p for p in (g.grant_id, g.agency, g.country) if p) for g in a.grants
                ),
                "",
            )
        )
    if a.corrections:
        lines.append("")
        lines.append("Comments and corrections")
        for c in a.corrections:
            target = f" (PMID {c.pmid})" if c.pmid else ""
            lines.append(_wrap(f"{c.ref_type}: {c.source or ''}{target}"))
    if a.references:
        with_pmid = sum(1 for r in a.references if r.pmid)
        lines.append("")
        lines.append(f"References: {len(a.references)} ({with_pmid} with a PMID)")
    if counts is not None and (counts.cited_by or counts.cites):
        lines.append(
            f"Citations: cited by {counts.cited_by} known record(s), {counts.cited_by_corpus} "
            f"in the corpus; cites {counts.cites}, {counts.cites_corpus} in the corpus "
            f"('litdb cites {a.pmid}', 'litdb cited-by {a.pmid}')"
        )
    if origin is not None:
        source = f"claim {origin['claim']}" if origin["claim"] else "the whole corpus"
        lines.append(
            f"Found by snowballing from {source} (linked from {origin['links']} record(s)) in "
            f"run {origin['run']}, {origin['found_at']:%Y-%m-%d}"
        )
    if a.history:
        lines.append("History: " + ", ".join(f"{h.kind} {h.date}" for h in a.history))
    claims = claims_text(tags, labels or {})
    if claims:
        lines.append(claims)
    return "\n".join(lines)


def stats_json(stats: CorpusStats) -> dict:
    return {
        "articles": stats.articles,
        "active": stats.active,
        "deleted": stats.deleted,
        "retracted": stats.retracted,
        "books": stats.books,
        "with_abstract": stats.with_abstract,
        "with_mesh": stats.with_mesh,
        "by_year": {
            str(year) if year is not None else "unknown": n for year, n in stats.by_year.items()
        },
    }


def stats_text(stats: CorpusStats) -> str:
    lines = [
        f"articles       {stats.articles}",
        f"  active       {stats.active}",
        f"  deleted      {stats.deleted}",
        f"  retracted    {stats.retracted}",
        f"  books        {stats.books}",
        f"with abstract  {stats.with_abstract}",
        f"with MeSH      {stats.with_mesh}",
    ]
    if stats.by_year:
        lines.append("")
        lines.append("by year (active records)")
        peak = max(stats.by_year.values())
        for year, count in stats.by_year.items():
            bar = "#" * max(1, round(40 * count / peak))
            lines.append(f"  {year if year is not None else 'n.d.':>6} {count:>6} {bar}")
    return "\n".join(lines)


# -- refresh runs -------------------------------------------------------------------------------


def _duration(run) -> float | None:
    if run.finished_at is None:
        return None
    return (run.finished_at - run.started_at).total_seconds()


def run_json(run, events=None) -> dict:
    from litdb.db.runs import COUNTED_EVENTS

    data = {
        "run": run.id,
        "query": run.query,
        "mode": run.mode,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "duration_seconds": _duration(run),
        "window": {"start": run.window_start, "end": run.window_end},
        "found": run.found,
        **{name: getattr(run, name) for name in COUNTED_EVENTS},
        "requests": run.requests,
        "message": run.message,
    }
    if events is not None:
        data["events"] = [{"pmid": str(e.pmid), "event": e.event} for e in events]
    return data


def runs_table(found) -> str:
    header = (
        f"{'run':>4} {'started (UTC)':<16} {'mode':<18} {'status':<11} {'found':>6} {'added':>6} "
        f"{'upd':>5} {'same':>6} {'del':>4} {'retr':>4} {'fail':>4} {'link':>5} {'req':>5} "
        f"{'secs':>7}  query"
    )
    lines = [header]
    for run in found:
        seconds = _duration(run)
        query = run.query if len(run.query) <= 40 else run.query[:37] + "..."
        lines.append(
            f"{run.id:>4} {run.started_at:%Y-%m-%d %H:%M} {run.mode:<18} {run.status:<11} "
            f"{run.found:>6} {run.added:>6} {run.updated:>5} {run.unchanged:>6} "
            f"{run.deleted:>4} {run.retracted:>4} {run.failed:>4} {run.linked:>5} "
            f"{run.requests:>5} "
            f"{(f'{seconds:.1f}' if seconds is not None else '-'):>7}  {query}"
        )
    return "\n".join(lines)


def run_line(report) -> str:
    counts = report.counts
    window = f", {report.window[0]}-{report.window[1]}" if report.window[0] else ""
    kind = "snowball" if report.mode == "snowball" else "refresh"
    return (
        f"{kind} run {report.run_id} ({report.mode}{window}): found {report.found}, "
        f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['deleted']} deleted, {counts['dropped']} dropped, {counts['retracted']} newly "
        f"retracted, {counts['corrected']} newly corrected, {counts['failed']} failed; "
        f"citation links for {counts['linked']}; {report.requests} requests in "
        f"{report.seconds:.1f} s; {report.status}"
    )


def alert_line(alert) -> str:
    """``alert: 30223011 (white-matter supports) was retracted: RetractionIn 31234567; title``"""
    claims = ", ".join(
        f"{claim} {stance or 'unclear'}{' (curated)' if source == 'curated' else ''}"
        for claim, stance, source in alert.claims
    )
    notices = ", ".join(f"{kind} {pmid}" if pmid else kind for kind, pmid in alert.notices)
    change = "was retracted" if alert.change == "retracted" else "has a new correction"
    title = alert.title if len(alert.title) <= 70 else alert.title[:67] + "..."
    return (
        f"alert: {alert.pmid} ({claims}) {change}"
        + (f": {notices}" if notices else "")
        + f"; {title}"
    )


# -- claims ------------------------------------------------------------------------------------


def evidence_json(evidence) -> dict:
    return {
        "field": evidence.field,
        "kind": evidence.kind,
        "matched": evidence.matched,
        "sentence": evidence.sentence,
        "polarity": evidence.polarity,
    }


def effective_tag_json(tag, labels: dict[str, str]) -> dict:
    curation = tag.curation
    return {
        "claim": tag.claim,
        "label": labels.get(tag.claim),
        "source": tag.source,
        "applies": tag.applies,
        "stance": tag.stance,
        "score": tag.score,
        "evidence": [evidence_json(e) for e in tag.evidence],
        "note": curation.note if curation else None,
        "curator": curation.curator if curation else None,
        "curated_at": curation.created_at if curation else None,
        "auto": None
        if tag.auto_applies is None
        else {"applies": tag.auto_applies, "stance": tag.auto_stance, "version": tag.version},
    }


def claims_text(tags, labels: dict[str, str]) -> str:
    if not tags:
        return ""
    lines = ["", "Claims"]
    for tag in tags:
        label = labels.get(tag.claim, "")
        if not tag.applies:
            lines.append(f"  {tag.claim}: does not apply (curator {tag.curation.curator})")
        else:
            score = f", score {tag.score:g}" if tag.score is not None else ""
            lines.append(f"  {tag.claim}: {tag.stance} ({tag.source}{score})  {label}")
        if tag.curation and tag.curation.note:
            lines.append(_wrap(f"note: {tag.curation.note}", "      "))
        findings = [e for e in tag.evidence if e.polarity] or [
            e for e in tag.evidence if e.kind != "context"
        ]
        for evidence in findings[:3]:
            mark = f"[{evidence.polarity}] " if evidence.polarity else ""
            lines.append(_wrap(f"{mark}{evidence.field}: {evidence.sentence}", "      "))
    return "\n".join(lines)


def claims_table(definitions, counts) -> str:
    header = (
        f"{'claim':<16}{'records':>8}{'supports':>10}{'contradicts':>12}{'mixed':>7}"
        f"{'unclear':>9}{'curated':>9}  label"
    )
    lines = [header]
    for claim in definitions.claims:
        c = counts[claim.id]
        lines.append(
            f"{claim.id:<16}{c.records:>8}{c.by_stance.get('supports', 0):>10}"
            f"{c.by_stance.get('contradicts', 0):>12}{c.by_stance.get('mixed', 0):>7}"
            f"{c.by_stance.get('unclear', 0):>9}{c.curated:>9}  {claim.label}"
        )
    return "\n".join(lines)


def _counts_json(c) -> dict:
    return {
        "records": c.records,
        "by_stance": {
            s: c.by_stance.get(s, 0) for s in ("supports", "contradicts", "mixed", "unclear")
        },
        "curated": c.curated,
        "auto": c.auto,
        "untagged_by_curators": c.untagged_by_curators,
        "stale_auto_tags": c.stale,
    }


def claims_json(definitions, counts) -> dict:
    return {
        "version": definitions.version,
        "source": definitions.source,
        "claims": [
            {"id": c.id, "label": c.label, **_counts_json(counts[c.id])} for c in definitions.claims
        ],
    }


def claim_detail_json(claim, definitions, counts, evidence) -> dict:
    return {
        "id": claim.id,
        "label": claim.label,
        "seed": claim.seed,
        "description": claim.description,
        "context": {"mesh": list(claim.context_mesh), "terms": list(claim.context_terms)},
        "mesh": list(claim.mesh),
        "terms": list(claim.terms),
        "abbreviations": list(claim.abbreviations),
        "patterns": list(claim.patterns),
        "exclude": list(claim.exclude),
        "supports": list(claim.supports),
        "contradicts": list(claim.contradicts),
        "requires": list(claim.requires),
        "measures": list(claim.measures),
        "threshold": claim.threshold,
        "version": definitions.version,
        **_counts_json(counts),
        "evidence": [
            {
                "pmid": str(e.pmid),
                "title": e.title,
                "year": e.year,
                "source": e.source,
                "stance": e.stance,
                "score": e.score,
                "sentence": e.sentence,
            }
            for e in evidence
        ],
    }


def claim_detail_text(claim, counts, evidence) -> str:
    order = ("supports", "contradicts", "mixed", "unclear")
    stances = ", ".join(f"{counts.by_stance[s]} {s}" for s in order if counts.by_stance.get(s))
    lines = [
        f"{claim.id}: {claim.label}",
        _wrap(f'Checks: "{claim.seed}"', ""),
        _wrap(claim.description, ""),
        "",
        _wrap(
            "Context: "
            + "; ".join(
                p
                for p in (
                    "MeSH " + ", ".join(claim.context_mesh) if claim.context_mesh else "",
                    "terms " + ", ".join(claim.context_terms) if claim.context_terms else "",
                )
                if p
            ),
            "",
        ),
        _wrap("MeSH: " + ", ".join(claim.mesh), "") if claim.mesh else "",
        _wrap("Terms: " + ", ".join(claim.terms), "") if claim.terms else "",
        _wrap("Abbreviations: " + ", ".join(claim.abbreviations), "")
        if claim.abbreviations
        else "",
        "",
        f"Records: {counts.records}"
        + (f" ({stances})" if stances else "")
        + f"; {counts.curated} curated, {counts.untagged_by_curators} untagged by curators",
    ]
    if evidence:
        lines += ["", "Strongest evidence"]
        for e in evidence:
            year = e.year if e.year is not None else "n.d."
            lines.append(_wrap(f"{e.pmid} {year} {e.stance} ({e.source}) {e.title}", "  "))
            if e.sentence:
                lines.append(_wrap(f'"{e.sentence}"', "      "))
    return "\n".join(line for line in lines if line is not None)


# -- query results ---------------------------------------------------------------------------

_STANCE_MARK = {"supports": "+", "contradicts": "-", "mixed": "±", "unclear": "?", None: "?"}


def summary_claims_json(summary) -> list[dict]:
    return [{"claim": c, "stance": s, "source": src} for c, s, src in summary.claims]


def hits_json(hit, summary) -> dict:
    return {
        "pmid": str(summary.pmid),
        "year": summary.year,
        "title": summary.title,
        "authors": summary.authors,
        "journal": summary.journal,
        "doi": summary.doi,
        "pmcid": summary.pmcid,
        "publication_types": summary.publication_types,
        "claims": summary_claims_json(summary),
        "retracted": summary.retracted,
        "retracted_by": [str(p) for p in summary.retracted_by],
        "status": summary.status,
        "rank": hit.rank,
        "cited": hit.cited,
        "cited_total": hit.cited_total,
    }


def _claims_cell(summary) -> str:
    return " ".join(
        f"{claim}{_STANCE_MARK.get(stance, '?')}{'*' if source == 'curated' else ''}"
        for claim, stance, source in summary.claims
    )


def _retraction_mark(summary) -> str:
    if not summary.retracted:
        return ""
    notices = ", ".join(str(p) for p in summary.retracted_by)
    return f"RETRACTED (notice {notices}) " if notices else "RETRACTED "


def hits_table(rows) -> str:
    """PMID, year, first author, how many corpus records cite it, claims (+ supports,
    - contradicts, ± mixed, ? unclear; * curated), title; a retracted record is marked
    RETRACTED with its notice."""
    import shutil

    width = max(shutil.get_terminal_size((120, 24)).columns, 80)
    claim_width = max([len(_claims_cell(s)) for _, s in rows] + [6])
    header = (
        f"{'PMID':<9} {'year':<4} {'first author':<18} {'cited':>5} {'claims':<{claim_width}} title"
    )
    lines = [header]
    for hit, s in rows:
        title = _retraction_mark(s) + ("DELETED " if s.status != "active" else "")
        title += s.title
        room = width - len(header) + len("title")
        if len(title) > room:
            title = title[: max(room - 1, 10)] + "…"
        author = (s.first_author or "")[:18]
        year = str(s.year) if s.year else ""
        cited = hit.cited if hit.cited is not None else ""
        claims = _claims_cell(s)
        lines.append(
            f"{s.pmid:<9} {year:<4} {author:<18} {cited:>5} {claims:<{claim_width}} {title}"
        )
    return "\n".join(lines)


def hits_csv(rows) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "pmid",
            "year",
            "first_author",
            "title",
            "journal",
            "doi",
            "claims",
            "retracted",
            "retracted_by",
            "cited",
            "cited_total",
        ]
    )
    for hit, s in rows:
        writer.writerow(
            [
                s.pmid,
                s.year or "",
                s.first_author or "",
                s.title,
                s.journal or "",
                s.doi or "",
                _claims_cell(s),
                "yes" if s.retracted else "no",
                " ".join(str(p) for p in s.retracted_by),
                hit.cited,
                hit.cited_total,
            ]
        )
    return out.getvalue()


# -- citations ---------------------------------------------------------------------------------

_SOURCE_MARK = {
    "reference_list": "R",
    "comments_corrections": "C",
    "elink_refs": "E",
    "elink_citedin": "E",
}


def link_json(link, summary, active: set[int]) -> dict:
    return {
        "pmid": str(link.pmid) if link.pmid is not None else None,
        "in_corpus": link.pmid in active,
        "sources": list(link.sources),
        "seen_at": link.seen_at,
        "reference": link.citation,
        "year": summary.year if summary else None,
        "first_author": summary.first_author if summary else None,
        "title": summary.title if summary else None,
        "retracted": summary.retracted if summary else None,
        "claims": summary_claims_json(summary) if summary else [],
    }


def links_table(links, held: dict, active: set[int]) -> str:
    """PMID, a * for corpus records, year, first author, sources (R ReferenceList,
    C CommentsCorrections, E elink), then the title, or the reference as written."""
    import shutil

    width = max(shutil.get_terminal_size((120, 24)).columns, 80)
    header = f"{'PMID':<9} {'':1} {'year':<4} {'first author':<18} {'src':<3} title / reference"
    lines = [header]
    for link in links:
        summary = held.get(link.pmid)
        marks = "".join(dict.fromkeys(_SOURCE_MARK[s] for s in link.sources))
        if summary is not None:
            text = ("RETRACTED " if summary.retracted else "") + summary.title
            year, author = str(summary.year or ""), (summary.first_author or "")[:18]
        else:
            text, year, author = link.citation or "", "", ""
        room = width - 42
        if len(text) > room:
            text = text[: max(room - 1, 10)] + "…"
        pmid = str(link.pmid) if link.pmid is not None else "-"
        star = "*" if link.pmid in active else ""
        lines.append(f"{pmid:<9} {star:1} {year:<4} {author:<18} {marks:<3} {text}")
    return "\n".join(lines)


def candidates_table(candidates, texts: dict[int, str]) -> str:
    """PMID, seed records linked to it (cited by / citing them), a reference text if any."""
    header = f"{'PMID':<9} {'links':>5} {'cited by':>8} {'cites':>5}  reference"
    lines = [header]
    for c in candidates:
        text = texts.get(c.pmid) or ""
        if len(text) > 80:
            text = text[:79] + "…"
        lines.append(f"{c.pmid:<9} {c.links:>5} {c.cited_by_seeds:>8} {c.cites_seeds:>5}  {text}")
    return "\n".join(lines)
