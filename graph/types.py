"""Backend-neutral query contract: filters, result rows and the WHAT/WHEN/actor parsers.

No networkx here, so every backend (embedded networkx, Neo4j) shares these records and
the CLI formats them once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from typing import Iterable, Protocol, runtime_checkable

from extract.records import PLOVER_CATEGORIES, TAGS

from .errors import BadFilter, UnknownActor

EXCLUDED_BY_DEFAULT = ("future", "hypothetical", "negated")


@dataclass(frozen=True)
class What:
    """A parsed `--did` value: any non-empty field must match the event."""

    text: str
    tags: frozenset[str] = frozenset()
    plover: str = ""
    mode: str = ""
    cameo_prefix: str = ""

    def matches(self, plover: str, mode: str, cameo: str, tags) -> bool:
        if self.plover and (plover != self.plover or (self.mode and mode != self.mode)):
            return False
        if self.cameo_prefix and not (cameo or "").startswith(self.cameo_prefix):
            return False
        if self.tags and not self.tags.intersection(tags):
            return False
        return True


@dataclass(frozen=True)
class Filters:
    """What a query keeps. `since`/`until` bound the event's start date, both inclusive."""

    did: What | None = None
    since: date | None = None
    until: date | None = None
    actors: tuple[str, ...] = ()
    include_future: bool = False

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise BadFilter(f"--since {self.since} is after --until {self.until}")

    def status_ok(self, status: str) -> bool:
        return status == "asserted" or (self.include_future and status == "future")

    def date_ok(self, start: str | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if not start:
            return False
        if self.since is not None and start < self.since.isoformat():
            return False
        return self.until is None or start <= self.until.isoformat()

    def type_ok(self, plover: str, mode: str, cameo: str, tags) -> bool:
        return self.did is None or self.did.matches(plover, mode, cameo, tags)


@dataclass(frozen=True)
class PairRow:
    """`who`: two actors who took part in matching events together."""

    actor_a: str
    actor_b: str
    name_a: str
    name_b: str
    events: int
    first: str | None
    last: str | None
    types: tuple[str, ...]
    evidence: str
    doc_id: str


@dataclass(frozen=True)
class HopRow:
    """`path`: one hop `source -[event]- target` of path number `path` (1 = shortest)."""

    path: int
    hop: int
    source: str
    event_id: str
    event: str
    date: str | None
    target: str
    evidence: str
    doc_id: str


@dataclass(frozen=True)
class EventRow:
    """`timeline` and `events`: one merged event with its best evidence sentence."""

    id: str
    start: str | None
    end: str | None
    granularity: str
    plover: str
    mode: str
    cameo: str
    tags: tuple[str, ...]
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    status: str
    location: str | None
    mentions: int
    label: str
    evidence: str
    doc_id: str


@dataclass(frozen=True)
class CountRow:
    """`stats`: how many of `what` (events, actors, ...) there are per `group` key."""

    group: str
    key: str
    count: int


@runtime_checkable
class GraphBackend(Protocol):
    """The query contract every backend (embedded SQLite, Neo4j) implements.

    Actor arguments are ids from `resolve_actors`; every method returns rows of this
    module, in the order `graph.queries` documents, and raises the named errors of
    `graph.errors` (UnknownActor, NoPath, BadFilter, GraphFileError, ...)."""

    name: str

    def resolve_actors(self, names: Iterable[str]) -> tuple[str, ...]: ...

    def who(self, filters: Filters) -> list[PairRow]: ...

    def path(self, a: str, b: str, filters: Filters, max_hops: int = 4,
             limit: int = 5) -> list[HopRow]: ...

    def timeline(self, actors: tuple[str, ...], filters: Filters) -> list[EventRow]: ...

    def events(self, filters: Filters) -> list[EventRow]: ...

    def stats(self) -> list[CountRow]: ...


def row_dict(row) -> dict:
    """A row as a JSON-ready dict (tuples become lists)."""
    return {f.name: (list(v) if isinstance(v := getattr(row, f.name), tuple) else v)
            for f in fields(row)}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell a spreadsheet shows as text: strings that start like a formula (`=`, `+`,
    `-`, `@`, tab, carriage return) get a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row_fields(row_type) -> list[str]:
    return [f.name for f in fields(row_type)]


def event_type(plover: str, tags) -> str:
    """Short type label: `COOPERATE/exercise`, or the PLOVER category alone."""
    return f"{plover}/{'+'.join(tags)}" if tags else plover


# -- parsers for query arguments ----------------------------------------------------------
_WHEN = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_when(value: str | None, *, end: bool = False, option: str = "--since") -> date | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first day (or, with `end`, the last day)."""
    if value is None:
        return None
    match = _WHEN.match(value.strip())
    if not match:
        raise BadFilter(f"invalid {option} {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day:
            return date(int(year), int(month), int(day))
        if month:
            first = date(int(year), int(month), 1)
            if not end:
                return first
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(int(year), 12, 31) if end else date(int(year), 1, 1)
    except ValueError:
        raise BadFilter(f"invalid {option} {value!r}: no such date") from None


def parse_what(value: str | None) -> What | None:
    """A tag, a verb/noun form of one, a PLOVER category, `CATEGORY:mode` or a CAMEO prefix."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return What(text, cameo_prefix=text)
    category, _, mode = text.partition(":")
    if category.upper() in PLOVER_CATEGORIES:
        return What(text, plover=category.upper(), mode=mode.strip().lower())
    tags = _tags_for_word(text.lower())
    if not tags:
        raise BadFilter(f"unknown --did {value!r}: give a tag ({', '.join(TAGS[:4])}, ...), "
                        "a word such as 'drills', a PLOVER category or a CAMEO prefix")
    return What(text, tags=tags)


@lru_cache(maxsize=256)
def _tags_for_word(word: str) -> frozenset[str]:
    if word in TAGS:
        return frozenset({word})
    from extract.triggers import tags_for_word

    return tags_for_word(word)


@lru_cache(maxsize=1)
def _lexicon():
    from extract.actors import default_lexicon

    return default_lexicon()


def resolve_actor(text: str, known: frozenset[str] | set[str] | dict) -> str:
    """The id of the actor that `text` names (id, name or alias, any case) among `known` ids."""
    raw = text.strip()
    if raw in known:
        return raw
    for candidate in (raw.upper(), raw.lower()):
        if candidate in known:
            return candidate
    actor = _lexicon().resolve(raw)
    if actor is None:
        raise UnknownActor(f"unknown actor {text!r}: not an actor id, name or alias")
    if actor.id not in known:
        raise UnknownActor(f"actor {text!r} ({actor.id}) does not occur in the graph")
    return actor.id
