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
STATUSES = ("asserted", "negated", "future", "hypothetical")
WITH, ON = "with", "\u2192"  # the two relations of a `who` row: co-actors, actor on target
PAIR_SORTS = ("events", "first", "last", "actor")


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
    statuses: tuple[str, ...] = ()  # when set: exactly these statuses, whatever the query
    names: tuple[str, ...] | None = None  # when set: events with one of these stored names

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise BadFilter(f"--since {self.since} is after --until {self.until}")
        unknown = [s for s in self.statuses if s not in STATUSES]
        if unknown:
            raise BadFilter(f"unknown --status {unknown[0]!r}: choose from {', '.join(STATUSES)}")

    def wanted_statuses(self, any_status: bool = False) -> tuple[str, ...] | None:
        """The statuses a query keeps (None: every status)."""
        if self.statuses:
            return tuple(sorted(set(self.statuses)))
        if any_status:
            return None
        return ("asserted", "future") if self.include_future else ("asserted",)

    def status_ok(self, status: str) -> bool:
        return status in self.wanted_statuses()

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
    """`who`: two actors and how they met in matching events.

    `relation` is `with` (both were actors of the events: a joint exercise, a summit;
    `actor_a < actor_b`) or `\u2192` (`actor_a` acted on `actor_b`, its target). The
    evidence is the sentence of the row's strongest event (`event_id`, its `event_name`
    when it has one, and `action`, the words of the sentence that carry the event)."""

    actor_a: str
    name_a: str
    relation: str
    actor_b: str
    name_b: str
    events: int
    first: str | None
    last: str | None
    types: tuple[str, ...]
    event_id: str
    event_name: str
    action: str
    evidence: str
    doc_id: str


@dataclass(frozen=True)
class PairFilter:
    """What `who` keeps of its rows, and in which order.

    `source`: rows in which that actor acted (`A \u2192 x`, and `A with x`, shown with A
    first); `target`: rows `x \u2192 B`; `pair`: rows between the two, either relation and
    direction; `sort`: events (most first), first (earliest first), last (latest first)
    or actor (by the ids); `limit`: at most that many rows (0: all)."""

    source: str | None = None
    target: str | None = None
    pair: tuple[str, str] | None = None
    sort: str = "events"
    limit: int = 0

    def __post_init__(self) -> None:
        if self.sort not in PAIR_SORTS:
            raise BadFilter(f"unknown --sort {self.sort!r}: choose from {', '.join(PAIR_SORTS)}")
        if self.limit < 0:
            raise BadFilter(f"--limit {self.limit} is negative")
        if self.pair is not None and (len(self.pair) != 2 or self.pair[0] == self.pair[1]):
            raise BadFilter("--pair needs two different actors: A,B")

    @property
    def required_actors(self) -> tuple[str, ...]:
        """Actors every event of a kept row involves (so queries can start from them)."""
        wanted = [a for a in (self.source, self.target) if a]
        wanted += list(self.pair or ())
        return tuple(dict.fromkeys(wanted))

    def apply(self, rows: list[PairRow]) -> list[PairRow]:
        """The kept rows (from rows in the default order), sorted, cut at the limit."""
        kept = []
        for row in rows:
            if self.source:
                if row.relation == WITH and row.actor_b == self.source:
                    row = PairRow(row.actor_b, row.name_b, row.relation, row.actor_a, row.name_a,
                                  *_after_names(row))
                if row.actor_a != self.source:
                    continue
            if self.target and (row.relation != ON or row.actor_b != self.target):
                continue
            if self.pair and {row.actor_a, row.actor_b} != set(self.pair):
                continue
            kept.append(row)
        kept.sort(key=_PAIR_ORDER[self.sort])
        return kept[:self.limit] if self.limit else kept


def _after_names(row: PairRow) -> tuple:
    return (row.events, row.first, row.last, row.types, row.event_id, row.event_name,
            row.action, row.evidence, row.doc_id)


def pair_order(row: PairRow) -> tuple:
    """The default order of `who` rows: most events first, then actors and relation."""
    return (-row.events, row.actor_a, row.actor_b, row.relation)


def _latest_first(day: str | None) -> tuple:
    return (day is None, tuple(-ord(c) for c in (day or "")))


_PAIR_ORDER = {
    "events": pair_order,
    "first": lambda r: (r.first is None, r.first or "", *pair_order(r)),
    "last": lambda r: (*_latest_first(r.last), *pair_order(r)),
    "actor": lambda r: (r.actor_a, r.actor_b, r.relation, -r.events),
}


@dataclass(frozen=True)
class MentionRow:
    """`events --show-mentions`: one report of a merged event (the document, the sentence
    index in it, the sentence)."""

    event_id: str
    start: str | None
    type: str
    event_name: str
    doc_id: str
    sentence_index: int
    sentence: str
    linked_by: str = ""  # why this report is part of the event (graph.merge.link_reasons)


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
    name: str = ""  # the happening's own name ("Joint Sea-2024"), "" when none


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

    def who(self, filters: Filters, pairs: PairFilter = PairFilter()) -> list[PairRow]: ...

    def path(self, a: str, b: str, filters: Filters, max_hops: int = 4,
             limit: int = 5) -> list[HopRow]: ...

    def timeline(self, actors: tuple[str, ...], filters: Filters) -> list[EventRow]: ...

    def events(self, filters: Filters) -> list[EventRow]: ...

    def stats(self) -> list[CountRow]: ...

    def mentions(self, filters: Filters) -> list[MentionRow]: ...

    def resolve_names(self, text: str) -> tuple[str, ...]: ...

    def actor_names(self, actor_ids: Iterable[str]) -> dict[str, str]: ...


def name_key(name: str) -> str:
    """A name as `events --name` compares it: lower case, words only (`joint sea 2024`)."""
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def matching_names(query: str, stored: Iterable[str]) -> tuple[str, ...]:
    """The stored event names that `query` names: its words, in order, within the name
    ("joint sea" finds "Joint Sea-2024"; "vostok 2022" finds "Vostok-2022")."""
    key = name_key(query)
    if not key:
        raise BadFilter(f"invalid --name {query!r}: give a name such as 'Joint Sea-2024'")
    return tuple(sorted(n for n in set(stored) if n and f" {key} " in f" {name_key(n)} "))


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
    actor = _lexicon().resolve(raw, towns=False)
    if actor is None:
        raise UnknownActor(f"unknown actor {text!r}: not an actor id, name or alias")
    if actor.id not in known:
        raise UnknownActor(f"actor {text!r} ({actor.id}) does not occur in the graph")
    return actor.id
