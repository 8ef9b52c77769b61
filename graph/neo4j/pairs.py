"""Pair summaries: per actor pair, the loader keeps running totals that `who`, `path` and
`timeline` read instead of walking every matching event.

A summary node covers the events of one actor pair (`a < b`) in one relation, of one kind
(status, PLOVER category, mode, CAMEO code, tags), in one year (`PairYear`) or in all years
(`PairTotal`). The relation is what the pair was to each other in the event, as `who`
tells it: `with` (both actors), `→` (`a` acted on its target `b`), `←` (`b` on `a`), or ""
(both targets only: such pairs link actors for `path` and make no `who` row); an event
that makes a pair two of these counts in both.
It holds what the embedded backend folds over those events: the count, the first and last
start, the type label, the strongest event (most mentions, then latest start, then id)
and the event the embedded backend meets first (graph order: start, then id). A
`PairYear` also lists its events' ids, so a query for one pair reads that pair's events
straight from the `Event.id` index.

Years: an event whose start is an ISO date goes into the year of that date, an event
without a start into year "", and any other start into a summary of its own ("~" + the
start), so that date filters stay exact: a year that lies wholly inside `--since/--until`
is read from its summary, a year cut by the range from the listed events, checked one by
one. The summaries are derived from the events (the SPEC's truth), written by
`graph.neo4j.load` for exactly the keys a load touches, and never counted as graph nodes.
"""
from __future__ import annotations

import hashlib
from datetime import date
from itertools import combinations
from typing import Iterable

import orjson

from ..types import ON, WITH, event_type

YEAR_LABEL, TOTAL_LABEL = "PairYear", "PairTotal"
BACK, TARGETS = "\u2190", ""  # `b` acted on `a`; both were targets only
SUMMARY_LABELS = (YEAR_LABEL, TOTAL_LABEL)

SUMMARY_SCHEMA = (
    *(f"CREATE CONSTRAINT {label.lower()}_key IF NOT EXISTS FOR (s:{label}) "
      "REQUIRE s.key IS UNIQUE" for label in SUMMARY_LABELS),
    *(f"CREATE INDEX {label.lower()}_{field} IF NOT EXISTS FOR (s:{label}) ON (s.{field})"
      for label in SUMMARY_LABELS for field in ("a", "b")),
    f"CREATE INDEX pairyear_year IF NOT EXISTS FOR (s:{YEAR_LABEL}) ON (s.year)",
    f"CREATE INDEX pairyear_total IF NOT EXISTS FOR (s:{YEAR_LABEL}) ON (s.total)",
)

MERGE_SUMMARIES = {
    label: f"UNWIND $rows AS row MERGE (s:{label} {{key: row.key}}) SET s = row"
    for label in SUMMARY_LABELS
}
# Into a database without summaries yet (a first load): no lookups.
CREATE_SUMMARIES = {label: f"UNWIND $rows AS row CREATE (s:{label}) SET s = row"
                    for label in SUMMARY_LABELS}
COUNT_SUMMARIES = {label: f"MATCH (s:{label}) RETURN count(s) AS n" for label in SUMMARY_LABELS}
DELETE_SUMMARIES = {
    label: f"UNWIND $keys AS key MATCH (s:{label} {{key: key}}) DELETE s"
    for label in SUMMARY_LABELS
}
# The old state of events a load is about to rewrite or delete: which summaries held them.
OLD_EVENTS = """
UNWIND $ids AS id
MATCH (e:Event {id: id})
RETURN e.id AS id, e.status AS status, e.plover AS plover, e.mode AS mode, e.cameo AS cameo,
       e.tags AS tags, e.start AS start, e.mentions AS mentions,
       [(x:Actor)-[p:PARTICIPATED_IN]->(e) | [p.role, x.id]] AS people
"""
SUMMARY_EVENT_IDS = (f"UNWIND $totals AS total MATCH (s:{YEAR_LABEL} {{total: total}}) "
                     "UNWIND s.event_ids AS id RETURN DISTINCT id")


def year_key(start: str | None) -> str:
    """The year a start belongs to: "YYYY" for an ISO date, "" for none, else "~" + start."""
    if not start:
        return ""
    if len(start) == 10:
        try:
            if date.fromisoformat(start).isoformat() == start:
                return start[:4]
        except ValueError:
            pass
    return "~" + start


def _digest(value) -> str:
    return hashlib.blake2b(orjson.dumps(value), digest_size=12).hexdigest()


def pair_relations(actors: Iterable[str], targets: Iterable[str]):
    """(a, b, relation) for each pair `a < b` of an event's participants and each relation
    it makes (see the module notes)."""
    actors, targets = set(actors), set(targets)
    for a, b in combinations(sorted(actors | targets), 2):
        made = False
        if a in actors and b in actors:
            yield a, b, WITH
            made = True
        if a in actors and b in targets:
            yield a, b, ON
            made = True
        if b in actors and a in targets:
            yield a, b, BACK
            made = True
        if not made:
            yield a, b, TARGETS


def _total_key(a, b, relation, status, plover, mode, cameo, tags) -> str:
    return _digest([a, b, relation, status, plover, mode, cameo, list(tags)])


def event_keys(status: str, plover: str, mode: str, cameo: str, tags: tuple, start,
               actors: Iterable[str], targets: Iterable[str]) -> list[tuple[str, str]]:
    """(year summary key, total summary key) for each actor pair and relation of one event."""
    keys = []
    for a, b, relation in pair_relations(actors, targets):
        total = _total_key(a, b, relation, status, plover, mode, cameo, tags)
        keys.append((_digest([total, year_key(start)]), total))
    return keys


def record_roles(people) -> tuple[list[str], list[str]]:
    """(actors, targets) of an event from `OLD_EVENTS`' [role, id] pairs."""
    people = people or ()
    return ([x for role, x in people if role == "actor"],
            [x for role, x in people if role == "target"])


class _Summary:
    __slots__ = ("row", "ids", "best", "walk", "first", "last")

    def __init__(self, row: dict) -> None:
        self.row, self.ids = row, []
        self.best = self.walk = self.first = self.last = None

    def add(self, event_id: str, mentions: int, start) -> None:
        self.ids.append(event_id)
        best = (mentions, start or "", event_id)
        walk = (start or "9999", event_id)
        if self.best is None or best > self.best:
            self.best = best
        if self.walk is None or walk < self.walk:
            self.walk = walk
        if start:  # like the embedded backend: an empty start is no date
            if self.first is None or start < self.first:
                self.first = start
            if self.last is None or start > self.last:
                self.last = start

    def props(self, with_ids: bool) -> dict:
        row = {**self.row, "events": len(self.ids), "best_mentions": self.best[0],
               "best_start": self.best[1], "best_event": self.best[2],
               "walk_start": self.walk[0], "walk_event": self.walk[1]}
        if self.first is not None:
            row["first"], row["last"] = self.first, self.last
        if with_ids:
            row["event_ids"] = sorted(self.ids)
        return row


class Summaries:
    """The summaries of a set of events, built up one event at a time."""

    def __init__(self) -> None:
        self.years: dict[str, _Summary] = {}
        self.totals: dict[str, _Summary] = {}
        self._keys: dict[tuple, tuple[str, str]] = {}  # (pair, kind, year) -> keys

    def add(self, event_id: str, status: str, plover: str, mode: str, cameo: str, tags,
            start, mentions: int, actors: Iterable[str], targets: Iterable[str]) -> None:
        tags = tuple(tags or ())
        kind = None
        year = year_key(start)
        for a, b, relation in pair_relations(actors, targets):
            memo = (a, b, relation, status, plover, mode, cameo, tags, year)
            keys = self._keys.get(memo)
            if keys is None:
                total = _total_key(a, b, relation, status, plover, mode, cameo, tags)
                keys = self._keys[memo] = (_digest([total, year]), total)
            key, total = keys
            if kind is None:
                kind = {"status": status, "plover": plover, "mode": mode, "cameo": cameo,
                        "tags": list(tags), "type": event_type(plover, tags)}
            held = self.years.get(key)
            if held is None:
                held = self.years[key] = _Summary({"key": key, "total": total, "a": a, "b": b,
                                                   "relation": relation, "year": year, **kind})
            held.add(event_id, mentions, start)
            held = self.totals.get(total)
            if held is None:
                held = self.totals[total] = _Summary({"key": total, "a": a, "b": b,
                                                      "relation": relation, **kind})
            held.add(event_id, mentions, start)

    def add_event(self, event) -> None:
        """A `MergedEvent` of the graph."""
        self.add(event.id, event.status, event.plover, event.mode, event.cameo, event.tags,
                 event.start, len(event.mention_ids), event.actors, event.targets)

    def add_record(self, record) -> None:
        """An event as `OLD_EVENTS` reads it from the database."""
        self.add(record["id"], record["status"], record["plover"], record["mode"] or "",
                 record["cameo"] or "", record["tags"] or (), record["start"],
                 int(record["mentions"] or 0), *record_roles(record["people"]))

    def year_rows(self, keys: Iterable[str]) -> tuple[list[dict], list[str]]:
        """(rows to write, keys to delete) for the `PairYear` summaries `keys`."""
        return _split(self.years, keys, True)

    def total_rows(self, keys: Iterable[str]) -> tuple[list[dict], list[str]]:
        return _split(self.totals, keys, False)


def _split(held: dict[str, _Summary], keys: Iterable[str], with_ids: bool):
    rows, gone = [], []
    for key in sorted(set(keys)):
        summary = held.get(key)
        if summary is None:
            gone.append(key)
        else:
            rows.append(summary.props(with_ids))
    return rows, gone
