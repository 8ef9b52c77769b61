"""Publication dates: parsing the forms articles use, and the range eventkg accepts."""
from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

__all__ = ["EARLIEST_PUBLISHED", "LATEST_PUBLISHED", "in_range", "parse_date"]

# A publication date outside this range is a typo or a placeholder ("0001-01-01"), not a
# date to resolve "last week" against: such a document is skipped and named.
EARLIEST_PUBLISHED = date(1800, 1, 1)
LATEST_PUBLISHED = date(2200, 12, 31)

_RELATIVE_WORDS = re.compile(r"\b(?:ago|yesterday|today|tomorrow|now|last|next|this)\b", re.I)
_FIXED_BASE = datetime(2000, 1, 1)  # never today: only complete dates are accepted


def in_range(day: date) -> bool:
    """Whether `day` is an acceptable publication date (1800-01-01 to 2200-12-31)."""
    return EARLIEST_PUBLISHED <= day <= LATEST_PUBLISHED


def parse_date(value: str) -> date | None:
    """An absolute calendar date from ISO or a common written form, else None.

    Relative phrases ("yesterday") and incomplete dates ("December") are refused, so
    the result never depends on the day the program runs.
    """
    value = value.strip()
    if not value or len(value) > 100:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    if not re.search(r"\d", value) or _RELATIVE_WORDS.search(value):
        return None
    try:
        parsed = dateparser.parse(value, settings={
            "RELATIVE_BASE": _FIXED_BASE, "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"})
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed else None
