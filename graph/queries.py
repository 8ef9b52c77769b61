"""Query functions over the embedded graph, and the contract every backend follows.

Contract (shared with `graph/neo4j_backend.py`; records live in `graph/types.py`, which
imports no networkx):

    who(g, filters: Filters, pairs: PairFilter = PairFilter()) -> list[PairRow]
        One row per pair of actors and relation: `with` for two actors of a matching
        event (`actor_a < actor_b`), `→` for an actor (`actor_a`) and its target
        (`actor_b`); two targets of one event make no row. Sorted by events desc, then
        actor_a, actor_b, relation (`pair_order`); then `pairs` filters, re-sorts and cuts
        (`PairFilter.apply`). `first`/`last` are the earliest/latest event start, `types`
        the sorted `event_type(plover, tags)` labels, `evidence` the sentence of the row's
        event with most mentions (latest start, then highest id, on a tie).
        `filters.actors` keeps rows that contain every listed actor.
    path(g, a, b, filters: Filters, max_hops: int = 4, limit: int = 5) -> list[HopRow]
        Up to `limit` actor chains a -> event -> actor -> ... -> b, shortest first, each hop
        carried by the matching event with most mentions (then latest start, then id).
        Raises NoPath when none is found within `max_hops` events.
    timeline(g, actors: tuple[str, ...], filters: Filters) -> list[EventRow]
        Matching events in which every listed actor took part, by (start, id).
    events(g, filters: Filters) -> list[EventRow]
        Events that match `did`/`since`/`until` and involve every actor of `filters.actors`,
        every status (the `status` column tells), by (start, id).
    stats(g) -> list[CountRow]
        Totals (group "total": documents, events, mentions, actors), then events per
        type, per actor and per year.

Matching: `Filters.type_ok` on (plover, mode, cameo, tags), `Filters.date_ok` on the
event start (since/until inclusive), `Filters.status_ok` (asserted; plus future with
`include_future`) for who, path and timeline. Actor arguments are resolved first with
`resolve_actor(text, known_ids)`: UnknownActor when no alias matches or the graph lacks it.
Bad WHAT/WHEN raise BadFilter (`parse_what`, `parse_when`). Rows never hold None lists.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from itertools import combinations

from .errors import NoPath
from .merge import link_reasons
from .model import EventGraph, MergedEvent
from .types import (ON, WITH, CountRow, EventRow, Filters, HopRow, MentionRow, PairFilter,
                    PairRow, event_type, matching_names, pair_order, resolve_actor)

__all__ = ["who", "path", "timeline", "events", "stats", "mentions", "resolve_actors",
           "resolve_names"]


def resolve_actors(g: EventGraph, names) -> tuple[str, ...]:
    """Actor ids for user-typed names, in the given order; UnknownActor on the first miss."""
    return tuple(resolve_actor(name, g.actors) for name in names)


def _matching(g: EventGraph, filters: Filters, *, any_status: bool = False):
    """Events that pass the filters (a tight loop: it runs over every event of the graph)."""
    wanted = set(filters.actors)
    statuses = filters.wanted_statuses(any_status)
    names = set(filters.names) if filters.names is not None else None
    since = filters.since.isoformat() if filters.since else None
    until = filters.until.isoformat() if filters.until else None
    what = filters.did
    wanted_tags = what.tags if what is not None and what.tags else None
    other_checks = what is not None and (what.plover or what.cameo_prefix)
    if wanted:
        candidates = g.events_with(wanted)
    elif wanted_tags is not None:
        candidates = g.events_tagged(wanted_tags)
    else:
        candidates = g.events
    for event in candidates:
        if statuses is not None and event.status not in statuses:
            continue
        if names is not None and event.name not in names:
            continue
        if since is not None or until is not None:
            start = event.start
            if not start or (since is not None and start < since) or (until is not None and start > until):
                continue
        if wanted_tags is not None and wanted_tags.isdisjoint(event.tags):
            continue
        if other_checks and not what.matches(event.plover, event.mode, event.cameo, event.tags):
            continue
        if wanted and not wanted.issubset(event.participants):
            continue
        yield event


def _evidence(g: EventGraph, event: MergedEvent) -> tuple[str, str]:
    """The sentence and document that back `event`."""
    if event.evidence or event.evidence_doc:
        return event.evidence, event.evidence_doc
    mention = g.mentions[event.evidence_id]
    return mention["sentence"], mention["doc_id"]


def _strength(event: MergedEvent) -> tuple:
    return (len(event.mention_ids), event.start or "", event.id)


def _relations(event: MergedEvent):
    """(actor, relation, other) of one event: co-actors `with`, actor `→` target."""
    actors = sorted(set(event.actors))
    for a, b in combinations(actors, 2):
        yield a, WITH, b
    for a in actors:
        for t in sorted(set(event.targets)):
            if t != a:
                yield a, ON, t


def who(g: EventGraph, filters: Filters, pairs: PairFilter = PairFilter()) -> list[PairRow]:
    """Pairs of actors and how they met in matching events (see the module notes)."""
    wanted = set(filters.actors)
    scoped = replace(filters, actors=tuple(dict.fromkeys(filters.actors + pairs.required_actors)))
    tally: dict[tuple[str, str, str], _PairTally] = {}
    for event in _matching(g, scoped):
        for key in _relations(event):
            if wanted and not wanted.issubset((key[0], key[2])):
                continue
            held = tally.get(key)
            if held is None:
                tally[key] = _PairTally(event)
            else:
                held.add(event)
    rows = [held.row(g, a, relation, b) for (a, relation, b), held in tally.items()]
    rows.sort(key=pair_order)
    return pairs.apply(rows)


class _PairTally:
    """Running totals of one row's events (who's inner loop runs once per event and pair)."""

    __slots__ = ("events", "first", "last", "best", "strength", "kinds")

    def __init__(self, event: MergedEvent) -> None:
        self.events = 1
        self.first = self.last = event.start or None
        self.best, self.strength = event, _strength(event)
        self.kinds = {(event.plover, event.tags)}

    def add(self, event: MergedEvent) -> None:
        self.events += 1
        start = event.start
        if start:
            if self.first is None or start < self.first:
                self.first = start
            if self.last is None or start > self.last:
                self.last = start
        strength = _strength(event)
        if strength > self.strength:
            self.best, self.strength = event, strength
        self.kinds.add((event.plover, event.tags))

    def row(self, g: EventGraph, a: str, relation: str, b: str) -> PairRow:
        sentence, doc = _evidence(g, self.best)
        return PairRow(
            actor_a=a, name_a=g.actors[a]["name"], relation=relation, actor_b=b,
            name_b=g.actors[b]["name"], events=self.events, first=self.first, last=self.last,
            types=tuple(sorted({event_type(p, t) for p, t in self.kinds})),
            event_id=self.best.id, event_name=self.best.name, action=self.best.label,
            evidence=sentence, doc_id=doc)


def path(g: EventGraph, a: str, b: str, filters: Filters, max_hops: int = 4,
         limit: int = 5) -> list[HopRow]:
    """Shortest actor -> event -> actor chains from `a` to `b`."""
    import networkx as nx

    if a == b:
        raise NoPath(f"{a} and {b} are the same actor")
    best: dict[tuple[str, str], MergedEvent] = {}
    for event in _matching(g, replace(filters, actors=())):
        for pair in combinations(sorted(event.participants), 2):
            held = best.get(pair)
            if held is None or _strength(event) > _strength(held):
                best[pair] = event
    actors = nx.Graph()
    actors.add_edges_from(best)
    if a not in actors or b not in actors or not nx.has_path(actors, a, b):
        raise NoPath(f"no chain of events links {a} and {b}")
    rows: list[HopRow] = []
    number = 0
    for chain in nx.shortest_simple_paths(actors, a, b):
        if len(chain) - 1 > max_hops or number == limit:
            break
        carriers = [best[tuple(sorted(pair))] for pair in zip(chain, chain[1:])]
        if len({e.id for e in carriers}) < len(carriers):
            continue  # one event walked twice is a detour, not a chain
        number += 1
        for hop, (source, target, event) in enumerate(zip(chain, chain[1:], carriers), 1):
            rows.append(HopRow(number, hop, source, event.id, event.label, event.start, target,
                               *_evidence(g, event)))
    if not rows:
        raise NoPath(f"no chain of at most {max_hops} events links {a} and {b}")
    return rows


def _event_row(g: EventGraph, event: MergedEvent) -> EventRow:
    return EventRow(event.id, event.start, event.end, event.granularity, event.plover,
                    event.mode, event.cameo, event.tags, event.actors, event.targets,
                    event.status, event.location, len(event.mention_ids), event.label,
                    *_evidence(g, event), event.name)


def _by_date(rows: list[EventRow]) -> list[EventRow]:
    return sorted(rows, key=lambda r: (r.start or "9999", r.id))


def timeline(g: EventGraph, actors: tuple[str, ...], filters: Filters) -> list[EventRow]:
    """Matching events in which every actor of `actors` took part, in date order."""
    scoped = replace(filters, actors=tuple(actors) or filters.actors)
    return _by_date([_event_row(g, e) for e in _matching(g, scoped)])


def events(g: EventGraph, filters: Filters) -> list[EventRow]:
    """Every event (any status) that matches the filters, in date order."""
    return _by_date([_event_row(g, e) for e in _matching(g, filters, any_status=True)])


def stats(g: EventGraph) -> list[CountRow]:
    """Totals, then events per type, per actor and per year."""
    rows = [CountRow("total", "documents", len(g.documents)),
            CountRow("total", "events", len(g.events)),
            CountRow("total", "mentions", g.mention_count),
            CountRow("total", "actors", len(g.actors))]
    by_type: dict[str, int] = defaultdict(int)
    by_actor: dict[str, int] = defaultdict(int)
    by_year: dict[str, int] = defaultdict(int)
    for event in g.events:
        by_type[event_type(event.plover, event.tags)] += 1
        for actor in event.participants:
            by_actor[actor] += 1
        by_year[event.start[:4] if event.start else "unknown"] += 1
    for group, counts in (("type", by_type), ("actor", by_actor), ("year", by_year)):
        ordered = sorted(counts.items(), key=lambda kv: (kv[0],) if group == "year" else (-kv[1], kv[0]))
        rows.extend(CountRow(group, key, count) for key, count in ordered)
    return rows


def mentions(g: EventGraph, filters: Filters) -> list[MentionRow]:
    """Every report of each event of `events(g, filters)`: document, sentence index and
    sentence; events in date order, reports by document and sentence index."""
    rows = []
    for event in sorted(_matching(g, filters, any_status=True), key=lambda e: (e.start or "9999", e.id)):
        reports = sorted((g.mentions[m] for m in event.mention_ids),
                         key=lambda m: (m["doc_id"], m["sentence_index"], m["id"]))
        rows.extend(MentionRow(event.id, event.start, event_type(event.plover, event.tags),
                               event.name, m["doc_id"], m["sentence_index"], m["sentence"], why)
                    for m, why in zip(reports, link_reasons(reports)))
    return rows


def resolve_names(g: EventGraph, text: str) -> tuple[str, ...]:
    """The event names of `g` that `text` names (`graph.types.matching_names`)."""
    return matching_names(text, {e.name for e in g.events})
