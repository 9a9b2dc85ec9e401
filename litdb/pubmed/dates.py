"""PubMed's date forms turned into sortable values, without losing what was given."""

from __future__ import annotations

import re

from litdb.records import PartialDate

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# NOTE: PubMed dates some issues by season only ("1990 Spring"); sorting needs a month, so a season
# sorts at its first month in the northern hemisphere, as PubMed's own "sort by date" does.
_SEASONS = {"winter": 1, "spring": 4, "summer": 7, "fall": 10, "autumn": 10}
_YEAR = re.compile(r"\b(1[6-9]\d\d|2[01]\d\d)\b")
_WORD = re.compile(r"[A-Za-z]+")


def month_number(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value.lower()) or _SEASONS.get(value.lower())


def iso_date(
    year: str | int | None,
    month: str | int | None = None,
    day: str | int | None = None,
) -> str | None:
    """``YYYY-MM-DD`` from parts, or shorter (``YYYY-MM``, ``YYYY``) when parts are missing."""
    if year is None or not str(year).strip().isdigit():
        return None
    text = f"{int(year):04d}"
    month_value = month_number(str(month)) if month is not None else None
    if month_value is None:
        return text
    text += f"-{month_value:02d}"
    if day is None or not str(day).strip().isdigit() or not 1 <= int(day) <= 31:
        return text
    return text + f"-{int(day):02d}"


def sortable(date: PartialDate) -> tuple[int | None, str | None]:
    """A year and a ``YYYY-MM-DD`` key for a publication date in any of its PubMed forms."""
    if date.year and date.year.strip().isdigit():
        year = int(date.year)
        month = month_number(date.month) or month_number(date.season) or 1
        day = int(date.day) if date.day and date.day.isdigit() and 1 <= int(date.day) <= 31 else 1
        return year, f"{year:04d}-{month:02d}-{day:02d}"
    if date.medline_date:
        found = _YEAR.search(date.medline_date)
        if not found:
            return None, None
        year = int(found.group(1))
        rest = date.medline_date[found.end() :]
        month = next((m for w in _WORD.findall(rest) if (m := month_number(w))), 1)
        return year, f"{year:04d}-{month:02d}-01"
    return None, None


def parse_medline_dp(value: str | None) -> PartialDate:
    """Split a MEDLINE ``DP`` value ("2006 Mar 1", "2000 Spring") into parts, if it has them."""
    if not value:
        return PartialDate()
    parts = value.split()
    if not parts[0].isdigit() or len(parts) > 3:
        return PartialDate(medline_date=value)
    if len(parts) == 1:
        return PartialDate(year=parts[0])
    if parts[1].lower() in _SEASONS and len(parts) == 2:
        return PartialDate(year=parts[0], season=parts[1])
    if parts[1].lower() not in _MONTHS:
        return PartialDate(medline_date=value)
    day = parts[2] if len(parts) == 3 and parts[2].isdigit() else None
    if len(parts) == 3 and day is None:
        return PartialDate(medline_date=value)
    return PartialDate(year=parts[0], month=parts[1], day=day)
