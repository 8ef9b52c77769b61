"""The embedded backend: the query contract (`graph.types.GraphBackend`) answered in SQL
against the store's indexes, without loading the graph.

`who`, `timeline`, `events` and `stats` are single SQL statements over the matching
events; `path` asks SQL for the strongest event of each actor pair and searches chains
in a networkx graph of just those pairs. Answers are those of `graph.queries` over the
same graph in memory (the tests check both against each other): same rows, same order,
same evidence.
"""
from __future__ import annotations

from dataclasses import replace
from functools import cached_property, wraps
from pathlib import Path

import orjson

from . import store
from .errors import GraphFileError, NoPath
from .merge import link_reasons
from .types import (ON, WITH, CountRow, EventRow, Filters, HopRow, MentionRow, PairFilter,
                    PairRow, matching_names, pair_order, resolve_actor)

__all__ = ["EmbeddedBackend", "NetworkxBackend", "event_filter"]

# the strongest event of a group sorts last: most mentions, then latest start, then id
STRENGTH = "printf('%012d', e.mentions) || char(1) || coalesce(e.start, '') || char(1) || e.id"
# graph order of events, as a single comparable string
ORDER_KEY = "e.sort_start || char(1) || e.id"
EVENT_ROW = ('e.id, e.start, e."end", e.granularity, e.plover, e.mode, e.cameo, e.tags, e.actors, '
             'e.targets, e.status, e.location, e.mentions, e.label, e.evidence, e.evidence_doc, e.name')


def event_filter(filters: Filters, *, any_status: bool = False) -> tuple[str, list]:
    """The SQL condition on `events e` that `filters` describe, and its parameters.

    Every value is a parameter; tag and actor conditions start from their indexes."""
    clauses, params = [], []
    statuses = filters.wanted_statuses(any_status)
    if statuses is not None:
        clauses.append(f"e.status IN ({', '.join('?' * len(statuses))})")
        params.extend(statuses)
    if filters.names is not None:
        clauses.append(f"e.name IN ({', '.join('?' * len(filters.names))})" if filters.names else "0")
        params.extend(filters.names)
    if filters.since is not None or filters.until is not None:
        clauses.append("e.start > ''")
    if filters.since is not None:
        clauses.append("e.start >= ?")
        params.append(filters.since.isoformat())
    if filters.until is not None:
        clauses.append("e.start <= ?")
        params.append(filters.until.isoformat())
    what = filters.did
    if what is not None:
        if what.plover:
            clauses.append("e.plover = ?")
            params.append(what.plover)
            if what.mode:
                clauses.append("e.mode = ?")
                params.append(what.mode)
        if what.cameo_prefix:
            clauses.append("substr(e.cameo, 1, ?) = ?")
            params.extend((len(what.cameo_prefix), what.cameo_prefix))
        if what.tags:  # the tag index holds the start too: tag and dates are one range
            tags = sorted(what.tags)
            bounds = ""
            if filters.since is not None:
                bounds += " AND start >= ?"
            if filters.until is not None:
                bounds += " AND start <= ?"
            clauses.append(f"e.id IN (SELECT event FROM event_tags WHERE tag IN "
                           f"({', '.join('?' * len(tags))}){bounds})")
            params.extend(tags)
            params.extend(d.isoformat() for d in (filters.since, filters.until) if d is not None)
    for actor in dict.fromkeys(filters.actors):
        clauses.append("e.id IN (SELECT event FROM participation WHERE actor = ?)")
        params.append(actor)
    return " AND ".join(clauses) or "1", params


def _reported(method):
    """Run a query method so that whatever damaged data raises becomes one GraphFileError."""
    @wraps(method)
    def run(self, *args, **kwargs):
        with store.damage_reported(self.graph_path):
            return method(self, *args, **kwargs)

    return run


class _KnownActors:
    """`actor in known` answered by the actors table (what `resolve_actor` needs)."""

    def __init__(self, db) -> None:
        self.db = db

    def __contains__(self, actor_id: object) -> bool:
        return self.db.execute("SELECT 1 FROM actors WHERE id = ?", (actor_id,)).fetchone() is not None


class EmbeddedBackend:
    """Queries over the SQLite graph file (`graph.store`)."""

    name = "embedded"

    def __init__(self, graph_path: Path | str) -> None:
        self.graph_path = Path(graph_path)
        self.db = store.connect(self.graph_path)

    @classmethod
    def on(cls, db, graph_path: Path | str) -> "EmbeddedBackend":
        """A backend over a connection the caller holds (and closes)."""
        backend = cls.__new__(cls)
        backend.db, backend.graph_path = db, Path(str(graph_path))
        return backend

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "EmbeddedBackend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @cached_property
    def graph(self):
        """The whole graph in memory (`graph.store.load`), for callers that need it."""
        return store.load(self.graph_path)

    def _rows(self, sql: str, params=()) -> list:
        with store.damage_reported(self.graph_path):
            return self.db.execute(sql, params).fetchall()

    @_reported
    def resolve_actors(self, names) -> tuple[str, ...]:
        known = _KnownActors(self.db)
        with store.damage_reported(self.graph_path):
            return tuple(resolve_actor(name, known) for name in names)

    # -- who and path ----------------------------------------------------------------------
    def _pairs(self, filters: Filters, wanted: tuple[str, ...] = ()) -> list:
        """Per actor pair of the matching events: count, first/last start, types, the
        strongest event's key and the first event (graph order) that joined them."""
        where, params = event_filter(filters)
        pair_clauses = "".join(" AND (a.actor = ? OR b.actor = ?)" for _ in dict.fromkeys(wanted))
        pair_params = [x for actor in dict.fromkeys(wanted) for x in (actor, actor)]
        sql = f"""
            SELECT pr.a, pr.b, count(*), min(nullif(e.start, '')), max(nullif(e.start, '')),
                   group_concat(DISTINCT e.type), max({STRENGTH}), min({ORDER_KEY})
            FROM events e JOIN event_pairs pr ON pr.event = e.id
            WHERE {where} {pair_clauses.replace("a.actor", "pr.a").replace("b.actor", "pr.b")}
            GROUP BY pr.a, pr.b"""
        return self._rows(sql, [*params, *pair_params])

    def _evidence(self, event_ids) -> dict[str, tuple]:
        """id -> (label, start, evidence, evidence_doc, name) of the given events."""
        found = {}
        ids = sorted(set(event_ids))
        for offset in range(0, len(ids), 500):
            part = ids[offset:offset + 500]
            for row in self._rows("SELECT e.id, e.label, e.start, e.evidence, e.evidence_doc, e.name FROM events e "
                                  f"WHERE e.id IN ({', '.join('?' * len(part))})", part):
                found[row[0]] = row[1:]
        return found

    def _names(self, actor_ids) -> dict[str, str]:
        ids = sorted(set(actor_ids))
        names = {}
        for offset in range(0, len(ids), 500):
            part = ids[offset:offset + 500]
            names.update(self._rows(f"SELECT id, name FROM actors WHERE id IN ({', '.join('?' * len(part))})", part))
        missing = [a for a in ids if a not in names]
        if missing:
            raise GraphFileError(f"graph file {self.graph_path} is damaged: events name actor "
                                 f"{missing[0]!r} that the actors table does not hold")
        return names

    def _relation_pairs(self, filters: Filters) -> list:
        """Per (actor, relation, other) of the matching events: `with` for two actors of
        an event, `→` for an actor and a target; count, first/last start, types, the
        strongest event's key."""
        where, params = event_filter(filters)
        sql = f"""
            SELECT x.actor, CASE WHEN y.role = 'target' THEN '{ON}' ELSE '{WITH}' END AS rel,
                   y.actor, count(*), min(nullif(e.start, '')), max(nullif(e.start, '')),
                   group_concat(DISTINCT e.type), max({STRENGTH})
            FROM events e
            JOIN participation x ON x.event = e.id AND x.role = 'actor'
            JOIN participation y ON y.event = e.id AND y.actor != x.actor
                 AND (y.role = 'target' OR x.actor < y.actor)
            WHERE {where}
            GROUP BY x.actor, rel, y.actor"""
        return self._rows(sql, params)

    @_reported
    def who(self, filters: Filters, pairs: PairFilter = PairFilter()) -> list[PairRow]:
        wanted = set(filters.actors)
        scoped = replace(filters, actors=tuple(dict.fromkeys(filters.actors + pairs.required_actors)))
        found = [row for row in self._relation_pairs(scoped)
                 if not wanted or wanted.issubset((row[0], row[2]))]
        best = {row[7].rsplit("\x01", 1)[-1] for row in found}
        evidence = self._evidence(best)
        names = self._names({x for row in found for x in (row[0], row[2])})
        rows = []
        for a, relation, b, count, first, last, types, strength in found:
            event_id = strength.rsplit("\x01", 1)[-1]
            carrier = evidence.get(event_id)
            if carrier is None:
                raise GraphFileError(f"graph file {self.graph_path} is damaged: an event vanished mid-query")
            label, _, sentence, doc, event_name = carrier
            _text(a, b, names[a], names[b], first, last, types, label, sentence, doc, event_name)
            rows.append(PairRow(
                actor_a=a, name_a=names[a], relation=relation, actor_b=b, name_b=names[b],
                events=count, first=first, last=last,
                types=tuple(sorted(set((types or "").split(",")))), event_id=event_id,
                event_name=event_name, action=label, evidence=sentence, doc_id=doc))
        rows.sort(key=pair_order)
        return pairs.apply(rows)

    @_reported
    def path(self, a: str, b: str, filters: Filters, max_hops: int = 4, limit: int = 5) -> list[HopRow]:
        import networkx as nx

        if a == b:
            raise NoPath(f"{a} and {b} are the same actor")
        scoped = replace(filters, actors=())
        pairs = sorted(self._pairs(scoped), key=lambda row: (row[7], row[0], row[1]))
        best = {(row[0], row[1]): row[6].rsplit("\x01", 1)[-1] for row in pairs}
        actors = nx.Graph()
        actors.add_edges_from(best)
        if a not in actors or b not in actors or not nx.has_path(actors, a, b):
            raise NoPath(f"no chain of events links {a} and {b}")
        chains = []
        for chain in nx.shortest_simple_paths(actors, a, b):
            if len(chain) - 1 > max_hops or len(chains) == limit:
                break
            carriers = [best[tuple(sorted(pair))] for pair in zip(chain, chain[1:])]
            if len(set(carriers)) < len(carriers):
                continue  # one event walked twice is a detour, not a chain
            chains.append((chain, carriers))
        if not chains:
            raise NoPath(f"no chain of at most {max_hops} events links {a} and {b}")
        details = self._evidence(e for _, carriers in chains for e in carriers)
        rows = []
        for number, (chain, carriers) in enumerate(chains, 1):
            for hop, (source, target, event_id) in enumerate(zip(chain, chain[1:], carriers), 1):
                label, start, sentence, doc, _ = details[event_id]
                _text(source, target, event_id, label, start, sentence, doc)
                rows.append(HopRow(number, hop, source, event_id, label, start, target, sentence, doc))
        return rows

    # -- event lists -----------------------------------------------------------------------
    def _event_rows(self, filters: Filters, any_status: bool) -> list[EventRow]:
        where, params = event_filter(filters, any_status=any_status)
        sql = f"SELECT {EVENT_ROW} FROM events e WHERE {where} ORDER BY e.sort_start, e.id"
        with store.damage_reported(self.graph_path):
            return [_event_row(row) for row in self.db.execute(sql, params)]

    @_reported
    def timeline(self, actors: tuple[str, ...], filters: Filters) -> list[EventRow]:
        scoped = replace(filters, actors=tuple(actors) or filters.actors)
        return self._event_rows(scoped, any_status=False)

    @_reported
    def events(self, filters: Filters) -> list[EventRow]:
        return self._event_rows(filters, any_status=True)

    @_reported
    def mentions(self, filters: Filters) -> list[MentionRow]:
        """Every report of each event of `events(filters)`: document, sentence index and
        sentence, events in graph order, reports by document and sentence."""
        where, params = event_filter(filters, any_status=True)
        sql = f"""
            SELECT e.id, e.start, e.type, e.name, m.doc_id,
                   json_extract(m.data, '$.sentence_index') AS sentence_index,
                   json_extract(m.data, '$.sentence'), m.data
            FROM events e JOIN mentions m ON m.event = e.id
            WHERE {where}
            ORDER BY e.sort_start, e.id, m.doc_id, sentence_index, m.id"""
        rows: list[MentionRow] = []
        reports: list[dict] = []
        for event_id, start, kind, name, doc, index, sentence, data in self._rows(sql, params):
            _text(event_id, start, kind, name, doc, sentence)
            if rows and rows[-1].event_id != event_id:
                rows[-len(reports):] = _with_reasons(rows[-len(reports):], reports)
                reports = []
            reports.append(orjson.loads(data))
            rows.append(MentionRow(event_id, start, kind, name, doc, int(index), sentence))
        if reports:
            rows[-len(reports):] = _with_reasons(rows[-len(reports):], reports)
        return rows

    @_reported
    def event_names(self) -> tuple[str, ...]:
        """Every event name the graph holds."""
        return tuple(row[0] for row in self._rows(
            "SELECT DISTINCT name FROM events WHERE name != '' ORDER BY name"))

    def resolve_names(self, text: str) -> tuple[str, ...]:
        """The stored event names that `text` names (see `graph.types.matching_names`)."""
        return matching_names(text, self.event_names())

    @_reported
    def actor_names(self, actor_ids) -> dict[str, str]:
        """id -> name of the given actors (those the graph holds)."""
        ids = sorted(set(actor_ids))
        names = {}
        for offset in range(0, len(ids), 500):
            part = ids[offset:offset + 500]
            names.update(self._rows(f"SELECT id, name FROM actors WHERE id IN ({', '.join('?' * len(part))})", part))
        return names

    @_reported
    def stats(self) -> list[CountRow]:
        count = lambda sql: self._rows(sql)[0][0]  # noqa: E731
        rows = [CountRow("total", "documents", count("SELECT count(*) FROM documents")),
                CountRow("total", "events", count("SELECT count(*) FROM events")),
                CountRow("total", "mentions", count("SELECT count(*) FROM mentions")),
                CountRow("total", "actors", count("SELECT count(*) FROM actors"))]
        groups = (
            ("type", "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC, type"),
            ("actor", "SELECT actor, count(DISTINCT event) AS n FROM participation GROUP BY actor "
                      "ORDER BY n DESC, actor"),
            ("year", "SELECT coalesce(substr(nullif(start, ''), 1, 4), 'unknown') AS y, count(*) "
                     "FROM events GROUP BY y ORDER BY y"),
        )
        for group, sql in groups:
            rows.extend(CountRow(group, str(key), n) for key, n in self._rows(sql))
        return rows


def _text(*values) -> None:
    """Stored text must be text (or NULL): a hand-edited BLOB or number is damage."""
    for value in values:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{type(value).__name__} {str(value)[:40]!r} where text belongs")


def _event_row(row) -> EventRow:
    (id_, start, end, granularity, plover, mode, cameo, tags, actors, targets, status, location,
     mentions, label, evidence, doc, name) = row
    _text(id_, start, end, granularity, plover, mode, cameo, status, location, label, evidence, doc, name)
    if not isinstance(mentions, int):
        raise ValueError(f"mention count {mentions!r} is not a number")
    return EventRow(id_, start, end, granularity, plover, mode, cameo, _strings(tags),
                    _strings(actors), _strings(targets), status, location, mentions, label, evidence, doc,
                    name)


def _strings(stored) -> tuple[str, ...]:
    values = orjson.loads(stored)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{str(stored)[:40]!r} is not a list of strings")
    return tuple(values)


NetworkxBackend = EmbeddedBackend  # the old name, still used by callers


def _with_reasons(rows: list[MentionRow], reports: list[dict]) -> list[MentionRow]:
    return [replace(row, linked_by=why) for row, why in zip(rows, link_reasons(reports))]
