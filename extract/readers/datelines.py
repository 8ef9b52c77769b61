"""Wire datelines at the start of an article body ("MOSCOW, Dec 7 (Reuters) -")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import in_range, parse_date

__all__ = ["Dateline", "dateline_date", "dateline_length", "parse_dateline"]

_PLACE_WORD = r"[A-Z][A-Za-z.'\u2019-]*"
_CAPS_WORD = r"[A-Z][A-Z.'\u2019-]+"
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_WIRE_DATELINE = re.compile(
    rf"(?P<place>{_CAPS_WORD}(?:[ /]{_CAPS_WORD}){{0,3}}(?:,\s*{_PLACE_WORD}(?:\s{_PLACE_WORD})?)?)"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w .&'-]{0,40})\))?"
    r"\s*(?:-{1,2}|\u2013|\u2014)(?=\s)")
_TITLED_DATELINE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:\s{_PLACE_WORD}){{0,2}}(?:,\s*{_PLACE_WORD})?)"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w .&'-]{0,40})\))?"
    r"\s*(?P<mark>:|-{1,2}|\u2013|\u2014)(?=\s)")
# Labels that open an article like a dateline but name no place.
_NOT_PLACES = frozenset({
    "update", "updated", "analysis", "exclusive", "opinion", "editorial", "breaking",
    "factbox", "explainer", "note", "correction", "watch", "live", "photos", "video",
    "comment", "interview", "summary", "background", "q&a", "fact check", "editor's note",
})


@dataclass(frozen=True)
class Dateline:
    """A wire dateline at the start of an article body ("MOSCOW, Dec 7 (Reuters) -")."""

    text: str          # the dateline as written, without the whitespace after it
    place: str
    date_text: str     # "Dec 7" or "" when the dateline carries no date
    agency: str
    length: int        # characters to skip, including the whitespace after it


def parse_dateline(text: str) -> Dateline | None:
    """The wire dateline that opens `text`, or None.

    All-caps places take a dash ("WASHINGTON -", "BEIJING (AP) -"); a place in title
    case needs a colon ("Moscow:") or a date or agency before its dash.
    """
    head = text[:200]
    match = _WIRE_DATELINE.match(head)
    if match is None:
        match = _TITLED_DATELINE.match(head)
        if match is None or not _titled_is_dateline(match):
            return None
    end = match.end()
    while end < len(text) and text[end].isspace():
        end += 1
    return Dateline(match.group(0), match.group("place"), match.group("date") or "",
                    match.group("agency") or "", end)


def _titled_is_dateline(match: re.Match) -> bool:
    if match.group("place").lower() in _NOT_PLACES:
        return False
    return match.group("mark") == ":" or bool(match.group("date") or match.group("agency"))


def dateline_length(text: str) -> int:
    """How many leading characters of `text` are a dateline (0 when there is none)."""
    dateline = parse_dateline(text)
    return dateline.length if dateline else 0


def dateline_date(dateline: Dateline | None) -> date | None:
    """The dateline's date, only when it states its year (and that year is plausible)."""
    if dateline is None or not re.search(r"\d{4}", dateline.date_text):
        return None
    day = parse_date(dateline.date_text)
    return day if day is not None and in_range(day) else None
