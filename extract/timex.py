"""Time expressions: find them in a sentence and normalize them to ISO date spans.

Every relative expression is resolved against the article's publication date, never
against today. With no publication date, relative expressions keep their raw text and
stay unresolved (start/end None, granularity "unknown"); absolute ones ("in 2022",
"7 December 2025") still resolve.

Rules for the forms that have no single calendar meaning:

- A date or month without a year ("Dec. 7", "in March") is the nearest one on or
  before publication; with `future=True`, the nearest one on or after it.
- A bare weekday ("on Sunday") is the most recent such day on or before publication
  (news convention); `future=True` picks the upcoming one. "last Friday" is strictly
  before publication, "next Friday" strictly after, "this Sunday" is the day of the
  publication's Monday-to-Sunday week.
- "last week/month/quarter/year" are calendar units; "the past week", "in the last
  seven days" are rolling windows ending on the publication date.
- Vague windows: "recent/coming days" are 7 days, "weeks" 28 days, "months" 6 months,
  "years" 5 years, measured back from (recent) or forward from (coming) publication.
- "early/mid/late" split a year into Jan-Apr, May-Aug, Sep-Dec; a month into days
  1-10, 11-20, 21-end; a decade into years 0-3, 4-6, 7-9.
- Seasons are northern meteorological ones; winter Y is Dec Y to Feb Y+1.
- "since X" runs from the start of X to publication; "before X" ends the day before X;
  "after X" starts the day after X; "until/by X" ends with X (open ends are None).
  "by X" names a deadline, so a yearless X after "by" is looked for forward.
- Anaphoric expressions ("the next day") are found but stay unresolved.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable

import dateparser

from extract.records import TimeSpan

__all__ = ["TimeMention", "find_times", "resolve_time"]


@dataclass(frozen=True)
class TimeMention:
    """A time expression found in a sentence, with its character offsets."""

    start_char: int
    end_char: int
    text: str
    span: TimeSpan


@dataclass(frozen=True)
class _Context:
    published: date | None
    future: bool = False
    year_hint: int | None = None  # year borrowed from the other end of "from March to May 2024"

    def need_published(self) -> date:
        if self.published is None:
            raise _Unresolved()
        return self.published


class _Unresolved(Exception):
    """A real time expression that cannot be placed on the calendar."""


_Range = tuple[date | None, date | None, str]  # start, end, granularity
_Handler = Callable[[re.Match, _Context], _Range]

# --- vocabulary -------------------------------------------------------------------

_MONTH_NUMBERS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAY_NUMBERS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2,
}
_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                  "fourth": 4, "4th": 4, "final": 4}
_SEASON_START_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_PART_ALIASES = {"early": "early", "the start of": "early", "the beginning of": "early",
                 "mid": "mid", "the middle of": "mid", "late": "late", "the end of": "late",
                 "the first half of": "first half", "the second half of": "second half"}

_FULL_MONTH = ("(?:January|February|March|April|May|June|July|August|September|October"
               "|November|December)(?![a-z])")
_SHORT_MONTH = "(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z])"
_MONTH_NAME = f"(?:{_FULL_MONTH}|{_SHORT_MONTH})"
_MONTH = rf"(?P<month>{_FULL_MONTH}|{_SHORT_MONTH}\.?)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|[.,:]\d)"
_YEAR = r"(?<![\d.,$€£])(?P<year>(?:1[89]|20)\d\d)(?!\w|[.,]\d)"
_COUNT = r"(?:\d{1,3}|a\s+couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_NUMBER = rf"(?P<n>{_COUNT})"
_UNIT = r"(?P<unit>day|week|month|year|decade)"
_PART = (r"(?P<part>early|mid|late|the\s+(?:start|beginning|middle|end)\s+of"
         r"|the\s+(?:first|second)\s+half\s+of)")
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
# Neutral prepositions that may lead an expression without changing its meaning.
_PREP = r"(?P<prep>(?:on|in|at|during|over|throughout|within|for|around)\s+)"

# --- date arithmetic ----------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _shift(day: date, amount: int, unit: str) -> date:
    if unit == "day":
        return day + timedelta(days=amount)
    if unit == "week":
        return day + timedelta(weeks=amount)
    if unit == "month":
        return _add_months(day, amount)
    if unit == "quarter":
        return _add_months(day, 3 * amount)
    if unit == "year":
        return _add_months(day, 12 * amount)
    return _add_months(day, 120 * amount)  # decade


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * quarter - 2
    return date(year, first_month, 1), _month_range(year, first_month + 2)[1]


def _unit_range(day: date, unit: str) -> tuple[date, date]:
    """The calendar unit (week Monday-Sunday, month, quarter, year) that contains `day`."""
    if unit == "day":
        return day, day
    if unit == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return _month_range(day.year, day.month)
    if unit == "quarter":
        return _quarter_range(day.year, (day.month - 1) // 3 + 1)
    if unit == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    decade = day.year - day.year % 10
    return date(decade, 1, 1), date(decade + 9, 12, 31)


def _part_of(start: date, end: date, granularity: str, part: str) -> _Range:
    """Narrow a month, year or decade to its early/mid/late part or one of its halves."""
    if granularity == "month":
        days = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day),
                "first half": (1, 15), "second half": (16, end.day)}[part]
        return start.replace(day=days[0]), start.replace(day=days[1]), "range"
    if granularity == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12),
                  "first half": (1, 6), "second half": (7, 12)}[part]
        return date(start.year, months[0], 1), _month_range(start.year, months[1])[1], "range"
    years = {"early": (0, 3), "mid": (4, 6), "late": (7, 9),
             "first half": (0, 4), "second half": (5, 9)}[part]
    return date(start.year + years[0], 1, 1), date(start.year + years[1], 12, 31), "range"


def _number(text: str) -> int:
    text = " ".join(text.lower().split())
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def _part(match: re.Match) -> str | None:
    part = match.groupdict().get("part")
    return _PART_ALIASES[" ".join(part.lower().split())] if part else None


def _month_number(match: re.Match) -> int:
    return _MONTH_NUMBERS[match.group("month").lower().rstrip(".")]


# --- handlers: one per row of the table below -----------------------------------------

_DATEPARSER_LANGUAGES = ["en"]


@lru_cache(maxsize=4096)
def _parse_explicit(text: str, base: date | None, future: bool) -> date | None:
    settings = {"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
                "PREFER_DATES_FROM": "future" if future else "past",
                # Never today: a fixed base when the text carries its own year.
                "RELATIVE_BASE": datetime.combine(base or date(2000, 1, 1), datetime.min.time()),
                "REQUIRE_PARTS": ["day", "month"] if base else ["day", "month", "year"]}
    parsed = dateparser.parse(text, languages=_DATEPARSER_LANGUAGES, settings=settings)
    return parsed.date() if parsed else None


def _iso_date(match: re.Match, ctx: _Context) -> _Range:
    day = date.fromisoformat(match.group("iso"))
    return day, day, "day"


def _explicit_date(match: re.Match, ctx: _Context) -> _Range:
    text = match.group("date")
    if match.group("year"):
        day = _parse_explicit(text, None, False)
    elif ctx.year_hint:
        day = _parse_explicit(f"{text} {ctx.year_hint}", None, False)
    else:
        day = _parse_explicit(text, ctx.need_published(), ctx.future)
    if day is None:
        raise _Unresolved()
    return day, day, "day"


def _month_year(match: re.Match, ctx: _Context) -> _Range:
    start, end = _month_range(int(match.group("year")), _month_number(match))
    part = _part(match)
    return _part_of(start, end, "month", part) if part else (start, end, "month")


def _month_of_year(match: re.Match, ctx: _Context) -> _Range:
    """"in May this year", "in October last year"."""
    offset = {"last": -1, "this": 0, "next": 1}[match.group("rel").lower()]
    start, end = _month_range(ctx.need_published().year + offset, _month_number(match))
    part = _part(match)
    return _part_of(start, end, "month", part) if part else (start, end, "month")


def _nearest_month_year(month: int, relation: str | None, ctx: _Context) -> int:
    if ctx.year_hint:
        return ctx.year_hint
    published = ctx.need_published()
    if relation == "last":
        return published.year if month < published.month else published.year - 1
    if relation == "next":
        return published.year if month > published.month else published.year + 1
    if relation == "this":
        return published.year
    if ctx.future:
        return published.year if month >= published.month else published.year + 1
    return published.year if month <= published.month else published.year - 1


def _month(match: re.Match, ctx: _Context) -> _Range:
    month = _month_number(match)
    relation = (match.group("rel") or "").lower() or None
    start, end = _month_range(_nearest_month_year(month, relation, ctx), month)
    part = _part(match)
    return _part_of(start, end, "month", part) if part else (start, end, "month")


def _year_of(match: re.Match, ctx: _Context) -> int:
    """The year named by a YEAR group or by 'this/last/next year'."""
    if match.groupdict().get("year"):
        return int(match.group("year"))
    offset = {"this": 0, "last": -1, "next": 1}[match.group("rel").lower()]
    return ctx.need_published().year + offset


def _year(match: re.Match, ctx: _Context) -> _Range:
    year = _year_of(match, ctx)
    start, end = date(year, 1, 1), date(year, 12, 31)
    part = _part(match)
    return _part_of(start, end, "year", part) if part else (start, end, "year")


def _year_range(match: re.Match, ctx: _Context) -> _Range:
    first = int(match.group("year"))
    last_text = match.group("last")
    last = int(last_text) if len(last_text) == 4 else first - first % 100 + int(last_text)
    if last <= first:
        raise _Unresolved()
    return date(first, 1, 1), date(last, 12, 31), "range"


def _decade(match: re.Match, ctx: _Context) -> _Range:
    first = int(match.group("decade"))
    start, end = date(first, 1, 1), date(first + 9, 12, 31)
    part = _part(match)
    return _part_of(start, end, "decade", part) if part else (start, end, "range")


def _quarter(match: re.Match, ctx: _Context) -> _Range:
    quarter = int(match.group("qn")) if match.group("qn") else _QUARTER_WORDS[match.group("q").lower()]
    if match.group("year") or match.group("rel"):
        year = _year_of(match, ctx)
    elif match.group("yy"):
        year = 2000 + int(match.group("yy"))
    elif ctx.year_hint:
        year = ctx.year_hint
    else:
        published = ctx.need_published()
        year = published.year
        start, end = _quarter_range(year, quarter)
        if not ctx.future and start > published:
            year -= 1
        elif ctx.future and end < published:
            year += 1
    start, end = _quarter_range(year, quarter)
    return start, end, "quarter"


def _season_range(season: str, year: int) -> tuple[date, date]:
    start = date(year, _SEASON_START_MONTH[season], 1)
    last_month = _add_months(start, 2)
    return start, _month_range(last_month.year, last_month.month)[1]


def _season(match: re.Match, ctx: _Context) -> _Range:
    season = match.group("season").lower()
    if match.group("year"):
        start, end = _season_range(season, int(match.group("year")))
        return start, end, "range"
    published = ctx.need_published()
    relation = (match.group("rel") or "").lower()
    candidates = [_season_range(season, year) for year in range(published.year - 2, published.year + 2)]
    if relation == "last":
        chosen = [c for c in candidates if c[1] < published][-1]
    elif relation == "next":
        chosen = [c for c in candidates if c[0] > published][0]
    elif ctx.future:
        chosen = [c for c in candidates if c[1] >= published][0]
    else:
        chosen = [c for c in candidates if c[0] <= published][-1]
    return chosen[0], chosen[1], "range"


_DAY_WORD_OFFSETS = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
                     "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
                     "this evening": 0, "earlier today": 0, "later today": 0, "tomorrow": 1}


def _day_word(match: re.Match, ctx: _Context) -> _Range:
    offset = _DAY_WORD_OFFSETS[" ".join(match.group("word").lower().split())]
    day = ctx.need_published() + timedelta(days=offset)
    return day, day, "day"


def _weekday(match: re.Match, ctx: _Context) -> _Range:
    published = ctx.need_published()
    weekday = _WEEKDAY_NUMBERS[match.group("weekday").lower()]
    relation = " ".join((match.group("rel") or "").lower().split())
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if relation in ("last", "past", "this past"):
        day = published - timedelta(days=back or 7)
    elif relation in ("next", "coming"):
        day = published + timedelta(days=ahead or 7)
    elif relation == "this":
        day = published - timedelta(days=published.weekday()) + timedelta(days=weekday)
    else:
        day = published + timedelta(days=ahead) if ctx.future else published - timedelta(days=back)
    return day, day, "day"


def _weekend(match: re.Match, ctx: _Context) -> _Range:
    published = ctx.need_published()
    relation = " ".join((match.group("rel") or "").lower().split())
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)  # latest on/before
    if relation in ("last", "past", "this past"):
        if saturday + timedelta(days=1) >= published:
            saturday -= timedelta(days=7)
    elif relation == "next":
        saturday = published - timedelta(days=published.weekday()) + timedelta(days=12)
    elif relation == "this":
        saturday = published - timedelta(days=published.weekday()) + timedelta(days=5)
    elif ctx.future and saturday + timedelta(days=1) < published:
        saturday += timedelta(days=7)
    return saturday, saturday + timedelta(days=1), "range"


_CALENDAR_OFFSETS = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1}


def _calendar_unit(match: re.Match, ctx: _Context) -> _Range:
    unit = match.group("unit").lower()
    anchor = _shift(ctx.need_published(), _CALENDAR_OFFSETS[match.group("rel").lower()], unit)
    start, end = _unit_range(anchor, unit)
    return start, end, unit


def _so_far_or_rest(match: re.Match, ctx: _Context) -> _Range:
    published = ctx.need_published()
    start, end = _unit_range(published, match.group("unit").lower())
    if match.group("when").lower() == "earlier":
        return start, published, "range"
    return published, end, "range"


_ROLLING_GRANULARITY = {("day", 7): "week", ("week", 1): "week", ("month", 1): "month",
                        ("year", 1): "year", ("day", 1): "day"}


def _past_window(match: re.Match, ctx: _Context) -> _Range:
    published = ctx.need_published()
    unit = match.group("unit").lower()
    count = _number(match.group("n")) if match.group("n") else 1
    granularity = _ROLLING_GRANULARITY.get((unit, count), "range")
    return _shift(published, -count, unit), published, granularity


_VAGUE_WINDOWS = {"day": (7, "day"), "week": (28, "day"), "month": (6, "month"),
                  "year": (5, "year"), "decade": (10, "year")}


def _vague_window(unit: str, published: date, direction: int) -> date:
    amount, step = _VAGUE_WINDOWS[unit]
    return _shift(published, direction * amount, step)


def _recent(match: re.Match, ctx: _Context) -> _Range:
    published = ctx.need_published()
    return _vague_window(match.group("unit").lower(), published, -1), published, "range"


def _coming(match: re.Match, ctx: _Context) -> _Range:
    published = ctx.need_published()
    groups = match.groupdict()
    unit = (groups.get("unit") or "month").lower()
    plural = match.group(0).lower().endswith(("s", "ahead", "future"))
    if groups.get("n"):
        end = _shift(published, _number(match.group("n")), unit)
    elif plural:
        end = _vague_window(unit, published, 1)
    else:
        end = _shift(published, 1, unit)
    return published, end, "range"


def _anaphoric(match: re.Match, ctx: _Context) -> _Range:
    raise _Unresolved()


def _ago(match: re.Match, ctx: _Context) -> _Range:
    unit = match.group("unit").lower()
    anchor = _shift(ctx.need_published(), -_number(match.group("n")), unit)
    start, end = _unit_range(anchor, unit)
    return start, end, "range" if unit == "decade" else unit


# --- composites: an operator around one or two points -------------------------------


def _since(match: re.Match, ctx: _Context) -> _Range:
    start, _, _ = _resolve_point(match.group("point"), ctx)
    if ctx.published is None or ctx.published < start:
        return start, None, "range"
    return start, ctx.published, "range"


def _before(match: re.Match, ctx: _Context) -> _Range:
    start, _, _ = _resolve_point(match.group("point"), ctx)
    return None, start - timedelta(days=1), "range"


def _after(match: re.Match, ctx: _Context) -> _Range:
    _, end, _ = _resolve_point(match.group("point"), ctx)
    return end + timedelta(days=1), None, "range"


def _until(match: re.Match, ctx: _Context) -> _Range:
    _, end, _ = _resolve_point(match.group("point"), ctx)
    return None, end, "range"


def _by(match: re.Match, ctx: _Context) -> _Range:
    _, end, _ = _resolve_point(match.group("point"), replace(ctx, future=True))
    return None, end, "range"


def _between(match: re.Match, ctx: _Context) -> _Range:
    _, last_end, _ = last = _resolve_point(match.group("last"), ctx)
    hinted = replace(ctx, year_hint=last[0].year)
    first_start, _, _ = _resolve_point(match.group("first") or match.group("first2"), hinted)
    if first_start > last[0] and first_start.year == last[0].year:
        first_start = _add_months(first_start, -12)
    if first_start > last_end:
        raise _Unresolved()
    return first_start, last_end, "range"


def _day_range(match: re.Match, ctx: _Context) -> _Range:
    """"from September 11 to 25", "between 20 and 28 August", "September 20-24, 2021"; the
    month belongs to the day it stands next to ("28 to 3 March" starts in February)."""
    month_name = match.group("month")
    first, last = int(match.group("day")), int(match.group("day2"))
    month_last = match.start("month") > match.start("day2")
    named = last if month_last else first
    if match.group("year"):
        anchor = _parse_explicit(f"{month_name} {named} {match.group('year')}", None, False)
    elif ctx.year_hint:
        anchor = _parse_explicit(f"{month_name} {named} {ctx.year_hint}", None, False)
    else:
        anchor = _parse_explicit(f"{month_name} {named}", ctx.need_published(), ctx.future)
    if anchor is None or not (1 <= min(first, last) and max(first, last) <= 31):
        raise _Unresolved()
    try:
        if month_last:
            month = anchor if first <= last else _add_months(anchor.replace(day=1), -1)
            return month.replace(day=first), anchor, "range"
        month = anchor if last >= first else _add_months(anchor.replace(day=1), 1)
        return anchor, month.replace(day=last), "range"
    except ValueError:
        raise _Unresolved() from None


_DAY2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|[.,:]\d)"
_TO = r"\s*(?:-|–|—|to|until|till|through|and)\s*"


# --- the table ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """One row: a name, the words that must occur for it to be tried, a pattern, a handler.

    In `triggers`, "#" stands for a number that could be a year (1800-2099), "@month"
    and "@weekday" for any such name.
    """

    name: str
    triggers: str
    source: str
    handler: _Handler
    needs_cue: bool = False  # a bare year or month needs a preposition or a modifier


_POINT_RULES = [
    _Rule("iso date", "#", r"(?P<iso>\d{4}-[01]\d-[0-3]\d)(?!\d)", _iso_date),
    _Rule("month day year", "@month",
          rf"(?:{_WEEKDAY},?\s+)?(?P<date>{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?)", _explicit_date),
    _Rule("day month year", "@month",
          rf"(?:{_WEEKDAY},?\s+)?(?P<date>(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?)",
          _explicit_date),
    _Rule("month year", "@month", rf"(?:{_PART}[\s-]+)?{_MONTH},?\s+(?:of\s+)?{_YEAR}", _month_year),
    _Rule("month of a relative year", "@month",
          rf"(?:{_PART}[\s-]+)?{_MONTH}\s+(?:of\s+)?(?P<rel>last|this|next)\s+year", _month_of_year),
    _Rule("month", "@month", rf"(?:(?P<rel>last|this|next)\s+)?(?:{_PART}[\s-]+)?{_MONTH}", _month,
          needs_cue=True),
    _Rule("decade", "#", rf"(?:the\s+)?(?:{_PART}[\s-]+)?(?P<decade>(?:1[89]|20)\d0)'?s(?!\w)", _decade),
    _Rule("quarter", "quarter q",
          r"(?:the\s+)?(?:(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final)[\s-]+quarter"
          r"|Q(?P<qn>[1-4]))(?:,?\s+(?:of\s+)?(?:" + _YEAR + r"|(?P<rel>this|last|next)\s+year)"
          r"|\s*'(?P<yy>\d\d))?", _quarter),
    _Rule("season", "spring summer autumn fall winter",
          r"(?:(?P<rel>last|this|next)\s+|the\s+)?(?P<season>spring|summer|autumn|winter"
          # "fall" only as "last fall" or with a year: not "the fall of Kabul"
          r"|(?<=last |this |next )fall|fall(?=\s+(?:of\s+)?(?:1[89]|20)\d\d))"
          rf"(?:\s+(?:of\s+)?{_YEAR})?", _season, needs_cue=True),
    _Rule("part of year", "# year", rf"{_PART}[\s-]+(?:{_YEAR}|(?P<rel>this|last|next)\s+year)", _year),
    _Rule("year", "#", rf"(?:the\s+year\s+)?{_YEAR}", _year, needs_cue=True),
    _Rule("day word", "yesterday today tonight tomorrow night morning afternoon evening",
          r"(?P<word>the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night"
          r"|this\s+(?:morning|afternoon|evening)|(?:earlier|later)\s+today)"
          r"(?:\s+(?:morning|afternoon|evening|night))?", _day_word),
    _Rule("weekday", "@weekday",
          rf"(?:(?P<rel>last|this\s+past|past|this|next|coming)\s+)?{_WEEKDAY}{_PART_OF_DAY}", _weekday),
    _Rule("weekend", "weekend", r"(?:(?P<rel>last|this\s+past|past|this|next|the)\s+)weekend", _weekend),
    _Rule("calendar unit", "week month quarter year",
          r"(?P<rel>last|previous|this|current|next)\s+(?P<unit>week|month|quarter|year)", _calendar_unit),
    _Rule("ago", "ago earlier prior before", rf"{_NUMBER}\s+{_UNIT}s?\s+(?:ago|earlier|prior|before)(?![\w-])", _ago),
]

_POINT_SOURCE = "|".join(
    f"(?:{re.sub(r'[(][?]P<[a-z_0-9]+>', '(?:', rule.source)})" for rule in _POINT_RULES)


def _operator(word: str) -> str:
    return rf"{word}\s+(?P<point>{_POINT_SOURCE})"


_RELATIVE_RULES = [
    _Rule("since", "since", _operator("since"), _since),
    _Rule("before", "before", _operator("before"), _before),
    _Rule("after", "after", _operator("after"), _after),
    _Rule("until", "until till through", _operator(r"(?:until|till|through)"), _until),
    _Rule("by", "by", _operator("by"), _by),
    _Rule("between", "between from",
          rf"(?:between\s+(?P<first>{_POINT_SOURCE})\s+and|from\s+(?P<first2>{_POINT_SOURCE})"
          rf"\s+(?:to|until|till|through))\s+(?P<last>{_POINT_SOURCE})", _between),
    _Rule("month day range", "@month",
          rf"(?:(?:from|between)\s+)?{_MONTH}\s+{_DAY}{_TO}{_DAY2}(?:,?\s+{_YEAR})?", _day_range),
    _Rule("day month range", "@month",
          rf"(?:(?:from|between)\s+)?{_DAY}{_TO}{_DAY2}\s+{_MONTH}(?:,?\s+{_YEAR})?", _day_range),
    _Rule("year range", "#",
          rf"(?:from\s+)?{_YEAR}\s*(?:-|–|—|to)\s*(?P<last>(?:1[89]|20)\d\d|\d\d)(?![\w-])", _year_range),
    _Rule("so far / rest of", "earlier later",
          r"(?P<when>earlier|later)\s+(?:this|in\s+the)\s+(?P<unit>week|month|year)", _so_far_or_rest),
    _Rule("anaphoric", "next following previous same",
          r"the\s+(?:next|following|previous|same)\s+(?:day|morning|evening|night)", _anaphoric),
    _Rule("past window", "past last previous preceding",
          r"(?:the\s+(?:past|last|previous|preceding)|this\s+past|past"
          rf"|(?:last|previous)(?=\s+{_COUNT}\s))"
          rf"\s+(?:{_NUMBER}\s+)?{_UNIT}s?(?!\w)", _past_window),
    _Rule("recent", "recent", rf"recent\s+{_UNIT}s", _recent),
    _Rule("coming", "coming next upcoming",
          rf"(?:the\s+(?:coming|next|upcoming)|coming|upcoming|next(?=\s+{_COUNT}\s))"
          rf"\s+(?:{_NUMBER}\s+)?{_UNIT}s?(?!\w)", _coming),
    _Rule("ahead", "ahead", rf"(?:the\s+)?{_UNIT}s\s+ahead", _coming),
    _Rule("near future", "future", r"(?:the\s+)?(?:near|foreseeable)\s+future", _coming),
]

_RULES = _POINT_RULES + _RELATIVE_RULES
_FLAGS = re.IGNORECASE
_WHOLE_POINT = [(rule, re.compile(rule.source, _FLAGS)) for rule in _POINT_RULES]
_WHOLE = [(rule, re.compile(rf"{_PREP}?(?:{rule.source})", _FLAGS)) for rule in _RULES]
_IN_SENTENCE = [(rule, re.compile(rf"(?<![\w-])(?:{rule.source})(?!\w)", _FLAGS)) for rule in _RULES]
_PREP_BEFORE = re.compile(rf"(?<![\w-]){_PREP}\Z", _FLAGS)
_MONTH_WORD = re.compile(rf"(?<![A-Za-z]){_MONTH_NAME}", _FLAGS)
_TOKEN = re.compile(r"[a-z]+|(?<!\d)(?:1[89]|20)\d\d", _FLAGS)
_HAS_DIGIT = re.compile(r"\d")
_RELATIVE_WORD = re.compile(r"\b(?:ago|yesterday|today|tomorrow|last|next|this|now)\b", _FLAGS)
_LEADING_PREP = re.compile(_PREP, _FLAGS)


def _expand_triggers(triggers: str) -> frozenset[str]:
    words: set[str] = set()
    for word in triggers.split():
        if word == "#":
            words.update(str(year) for year in range(1800, 2100))
        elif word == "@month":
            words.update(_MONTH_NUMBERS)
        elif word == "@weekday":
            words.update(_WEEKDAY_NUMBERS)
        else:
            words.add(word)
    return frozenset(words)


_TRIGGERS = [_expand_triggers(rule.triggers) for rule in _RULES]


def _resolve_point(text: str, ctx: _Context) -> tuple[date, date, str]:
    for rule, pattern in _WHOLE_POINT:
        match = pattern.fullmatch(text)
        if match:
            start, end, granularity = rule.handler(match, ctx)
            return start, end, granularity
    raise _Unresolved()


def _span(text: str | None, match: re.Match, rule: _Rule, ctx: _Context) -> TimeSpan:
    try:
        start, end, granularity = rule.handler(match, ctx)
    except (_Unresolved, ValueError, OverflowError):  # OverflowError: past 0001-01-01 or 9999-12-31
        return TimeSpan(text, None, None, "unknown")
    return TimeSpan(text, start.isoformat() if start else None,
                    end.isoformat() if end else None, granularity)


def resolve_time(text: str | None, published: date | None, future: bool = False) -> TimeSpan | None:
    """Normalize one time expression against the publication date.

    `text=None` means the sentence has no time expression: the publication date itself
    (granularity "day"), or an unknown span when there is none. Returns None when `text`
    is not a time expression at all. A real expression that cannot be placed (relative
    with no publication date, anaphoric) keeps its text with start/end None and
    granularity "unknown". `future=True` resolves yearless dates, bare months and bare
    weekdays forward instead of backward.
    """
    if text is None:
        if published is None:
            return TimeSpan(None, None, None, "unknown")
        return TimeSpan(None, published.isoformat(), published.isoformat(), "day")
    cleaned = " ".join(text.split()).strip(" ,;.")
    ctx = _Context(published, future)
    for rule, pattern in _WHOLE:
        match = pattern.fullmatch(cleaned)
        if match:
            return _span(text, match, rule, ctx)
    return _fallback(text, cleaned)


def _fallback(text: str, cleaned: str) -> TimeSpan | None:
    """Complete explicit dates in forms the table does not list ("07/12/2025")."""
    if not _HAS_DIGIT.search(cleaned) or _RELATIVE_WORD.search(cleaned):
        return None
    prep = _LEADING_PREP.match(cleaned)
    day = _parse_explicit(cleaned[prep.end():] if prep else cleaned, None, False)
    if day is None:
        return None
    return TimeSpan(text, day.isoformat(), day.isoformat(), "day")


_DURATION = re.compile(rf"(?<![\w-])(?P<n>{_COUNT}|\d{{1,2}})[\s-]+(?P<unit>day|week)(?:[\s-]+long)?(?![\w-])"
                       r"|(?<![\w-])(?P<one>week|fortnight)[\s-]*long(?![\w-])", _FLAGS)


def duration_days(text: str) -> int | None:
    """Days a happening lasts by its modifier: "a three-day drill" 3, "week-long" 7."""
    match = _DURATION.search(text)
    if match is None:
        return None
    if match.group("one"):
        return 14 if match.group("one").lower() == "fortnight" else 7
    days = _number(match.group("n")) * (7 if match.group("unit").lower() == "week" else 1)
    return days if 1 < days <= 120 else None


def with_duration(span: TimeSpan, days: int) -> TimeSpan:
    """A one-day span stretched over `days` from its start ("a week-long drill began Monday")."""
    if span.start is None or span.granularity != "day" or (span.end and span.end != span.start):
        return span
    end = date.fromisoformat(span.start) + timedelta(days=days - 1)
    return TimeSpan(span.text, span.start, end.isoformat(), "range")


_NAMED_YEAR = re.compile(r"-((?:18|19|20)\d\d)\b")


def in_named_year(span: TimeSpan, name: str | None) -> TimeSpan:
    """A yearless date of a named happening falls in the name's year ("Joint Sea-2015 ... in
    August" is August 2015 whatever the publication date)."""
    year = _NAMED_YEAR.search(name or "")
    return span if year is None else in_year(span, int(year.group(1)))


def in_year(span: TimeSpan, wanted: int) -> TimeSpan:
    """A yearless date ("in August") read in the year `wanted` instead of the publication's."""
    if not span.text or not span.start or _HAS_YEAR.search(span.text) or not _MONTH_WORD.search(span.text) \
            or span.start.startswith(str(wanted)):
        return span
    try:
        return resolve_time(span.text, date(wanted, 12, 31)) or span
    except (ValueError, OverflowError):
        return span


_HAS_YEAR = re.compile(r"(?<!\d)(?:18|19|20)\d\d(?!\d)")


def find_times(sentence: str, published: date | None, future: bool = False) -> list[TimeMention]:
    """Every time expression in `sentence`, leftmost-longest, without overlaps.

    A mention's text includes its leading preposition ("on Sunday", "in 2022"). Month
    names must be capitalized ("China may respond" and "a protest march" are not
    times), and a bare year or month needs a preposition or modifier ("in 2022", not
    "the 2022 deal"), so counts such as "2,000 troops" never fire.
    """
    words = {token.lower() for token in _TOKEN.findall(sentence)}
    candidates = []
    for index, (rule, pattern) in enumerate(_IN_SENTENCE):
        if _TRIGGERS[index].isdisjoint(words):
            continue
        for match in pattern.finditer(sentence):
            prep = _PREP_BEFORE.search(sentence, max(0, match.start() - 12), match.start())
            if _acceptable(match, rule, prep, sentence):
                start = prep.start() if prep else match.start()
                candidates.append((start, -match.end(), index, match))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    ctx = _Context(published, future)
    mentions: list[TimeMention] = []
    taken_until = -1
    for start, negative_end, index, match in candidates:
        if start < taken_until:
            continue
        end = -negative_end
        text = sentence[start:end]
        mentions.append(TimeMention(start, end, text, _span(text, match, _RULES[index], ctx)))
        taken_until = end
    return _with_listed_years(sentence, mentions)


_LISTED_YEAR = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?P<year>(?:1[89]|20)\d\d)(?![\w.,]\d)")


def _with_listed_years(sentence: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """"in 2019, 2020 and 2021": the years after a year mention are times of their own."""
    out: list[TimeMention] = []
    for mention in mentions:
        out.append(mention)
        if mention.span.granularity != "year" or not _HAS_YEAR.search(mention.text):
            continue
        end = mention.end_char
        while (match := _LISTED_YEAR.match(sentence, end)) is not None:
            if any(m.start_char < match.end() and match.start("year") < m.end_char for m in mentions):
                break
            year = int(match.group("year"))
            out.append(TimeMention(match.start("year"), match.end("year"), match.group("year"),
                                   TimeSpan(match.group("year"), f"{year}-01-01", f"{year}-12-31", "year")))
            end = match.end()
    return out


# "on"/"at" take days, not bare months or years ("commenting on 1986 results").
_NOT_CUES = frozenset({"on", "at"})


def _acceptable(match: re.Match, rule: _Rule, prep: re.Match | None, sentence: str) -> bool:
    groups = match.groupdict()
    cued = prep is not None and prep.group("prep").split()[0].lower() not in _NOT_CUES
    if rule.needs_cue and not (cued or groups.get("rel") or groups.get("part")):
        return False
    for month in _MONTH_WORD.finditer(match.group(0)):
        if not month.group(0)[0].isupper():
            return False
    if rule.name == "day word" and _is_title_word(match, sentence):
        return False
    return not sentence[max(0, match.start() - 5):match.start()].lower().endswith("long ")


_WORD_BEFORE = re.compile(r"(\S+)\s+\Z")


def _is_title_word(match: re.Match, sentence: str) -> bool:
    """'Today' inside a name such as "USA Today" or "India Today"."""
    if not match.group(0)[0].isupper():
        return False
    before = _WORD_BEFORE.search(sentence, max(0, match.start() - 30), match.start())
    if before is None:
        return False
    word = before.group(1).lstrip("(\"'\u201c*")
    return word[:1].isupper() and not word.endswith((".", ":", ",", ";"))
