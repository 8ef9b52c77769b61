"""What a format reader hands to `DocumentReader`: a document before validation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from .dates import parse_date

__all__ = ["Draft", "FormatContext", "ProblemHandler"]

ProblemHandler = Callable[[str], None]


@dataclass(frozen=True)
class Draft:
    """One document as a format reader found it; `where` names it in messages."""

    id: str
    text: str
    where: str
    published: date | None = None
    title: str = ""
    url: str = ""
    source: str = ""


@dataclass(frozen=True)
class FormatContext:
    """What every format reader needs: the fallback date, the options, a problem sink."""

    published: date | None
    problem: ProblemHandler
    text_column: str = "text"
    id_column: str = "id"
    date_column: str = "published"
    title_column: str = "title"

    def date_or_default(self, value: object, where: str, what: str) -> date | None:
        """`value` parsed as a date; an unreadable one is reported and the default used."""
        if value in (None, ""):
            return self.published
        day = parse_date(value) if isinstance(value, str) else None
        if day is None:
            self.problem(f"{where}: {what} {_short(value)!r}, using {self.published or 'none'}")
            return self.published
        return day


def _short(value: object) -> object:
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "..."
    return value
