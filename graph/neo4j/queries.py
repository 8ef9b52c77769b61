"""The query contract of `graph.queries`, answered with Cypher over a Neo4j driver.

Same functions, same rows (`graph.types`), same order, same answers as the embedded
backend. Every query is put together from a fixed set of clauses (`MatchClause`), chosen
by which filters are set; values are always parameters, and labels come only from the
loader's fixed tables. Each query starts from an index (see `graph.neo4j.load.SCHEMA`):

- actors: the `Actor.id` uniqueness index, then the actor's relationships;
- tags: the `Tag_<tag>` labels (one label scan, or a range seek on `Tag_<tag>(start)`);
- a PLOVER category: the `Plover_<CATEGORY>` label and its `start` index;
- a CAMEO prefix: a prefix seek on `Event(cameo)`; dates: a range seek on `Event(start)`;
- nothing else: an equality seek on `Event(status)` (asserted, and future with
  `include_future`);
- two or more actors, and `who` and `path`: the pair summaries the loader keeps
  (`graph.neo4j.pairs`), by pair, kind and year: `PairTotal` without dates, `PairYear`
  by its `year` index with dates; a year the date range cuts is checked event by event
  through the ids its summary lists (the `Event.id` index).

Only `stats`, and `events` with no filter at all, read every event: they are asked about
every event. `path` folds the summaries into one row per actor pair (its strongest event
and where the embedded backend meets the pair first) and picks the chains with the
embedded backend's own routine, so ties break the same way; only the chosen events'
evidence is read back.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import queries as embedded
from ..errors import NoPath
from ..model import EventGraph, MergedEvent
from ..types import (CountRow, EventRow, Filters, HopRow, PairRow, resolve_actor,
                     row_fields)
from .connection import DEFAULT_DATABASE, session_errors
from .load import PLOVER_LABELS, TAG_LABELS
from .pairs import TOTAL_LABEL, YEAR_LABEL

__all__ = ["who", "path", "timeline", "events", "stats", "resolve_actors", "actor_ids",
           "issued_queries", "match_events"]

TYPE_LABEL = """
  CASE WHEN size(coalesce(e.tags, [])) = 0 THEN e.plover
       ELSE e.plover + '/' + reduce(s = head(e.tags), t IN tail(e.tags) | s + '+' + t) END
"""
# The event a pair or hop quotes: most mentions, then latest start, then highest id (a
# list compares element by element, like the embedded backend's tuple).
STRENGTH = "[e.mentions, coalesce(e.start, ''), e.id]"
# Where the embedded backend, walking events by (start, id), meets a pair first.
GRAPH_ORDER = "[coalesce(e.start, '9999'), e.id]"
EVIDENCE = """
CALL (e) {
  OPTIONAL MATCH (e)-[r:REPORTED_IN]->(d:Document)
  WITH r, d ORDER BY r.evidence DESC, d.id, r.sentence_index LIMIT 1
  RETURN r.sentence AS sentence, d.id AS doc_id }
"""
# The same, as lists read in one step per event (the event rows pick and sort in Python).
EVENT_PEOPLE = "[(x:Actor)-[p:PARTICIPATED_IN]->(e) | [p.role, x.id]]"
EVENT_REPORTS = ("[(e)-[r:REPORTED_IN]->(d:Document) | "
                 "[r.evidence, d.id, r.sentence_index, r.sentence]]")

STATS_TOTALS = """
CALL { MATCH (d:Document) RETURN count(d) AS documents }
CALL { MATCH (e:Event) RETURN count(e) AS events }
CALL { MATCH (:Event)-[r:REPORTED_IN]->(:Document) RETURN count(r) AS mentions }
CALL { MATCH (a:Actor) RETURN count(a) AS actors }
RETURN documents, events, mentions, actors
"""
STATS_BY_TYPE = f"""
MATCH (e:Event) WITH {TYPE_LABEL} AS key
RETURN key, count(*) AS n ORDER BY n DESC, key
"""
STATS_BY_ACTOR = """
MATCH (a:Actor)-[:PARTICIPATED_IN]->(e:Event) WITH DISTINCT a, e
RETURN a.id AS key, count(e) AS n ORDER BY n DESC, key
"""
STATS_BY_YEAR = """
MATCH (e:Event) WITH coalesce(substring(e.start, 0, 4), 'unknown') AS key
RETURN key, count(*) AS n ORDER BY key
"""
ACTOR_IDS = "MATCH (a:Actor) RETURN a.id AS id"
CHAIN_EVENTS = """
UNWIND $ids AS id
MATCH (e:Event {id: id})
""" + EVIDENCE + """
RETURN e.id AS id, e.label AS label, e.start AS start, sentence, doc_id
"""

# Every statement sent to the server passes through `_run`; tests read this to EXPLAIN them.
issued_queries: list[tuple[str, dict]] = []
_record_queries = False


@dataclass(frozen=True)
class MatchClause:
    """`MATCH ... WHERE ...` binding `e` to each matching event once, and its parameters."""

    text: str
    params: dict = field(default_factory=dict)
    conditions: tuple[str, ...] = ()  # the per-event conditions alone (for `path`)


def _event_conditions(filters: Filters, any_status: bool) -> tuple[list[str], dict]:
    """Conditions on `e` for the filters other than actors, and their parameters."""
    conditions: list[str] = []
    params: dict = {}
    if not any_status:
        params["statuses"] = ["asserted", "future"] if filters.include_future else ["asserted"]
        conditions.append("e.status IN $statuses")
    if filters.since is not None:
        params["since"] = filters.since.isoformat()
        conditions.append("e.start >= $since")
    if filters.until is not None:
        params["until"] = filters.until.isoformat()
        conditions.append("e.start <= $until")
    did = filters.did
    if did is not None and did.plover:
        conditions.append(f"e:{PLOVER_LABELS[did.plover]}")
        if did.mode:
            params["mode"] = did.mode
            conditions.append("e.mode = $mode")
    if did is not None and did.cameo_prefix:
        params["cameo"] = did.cameo_prefix
        conditions.append("e.cameo STARTS WITH $cameo")
    if did is not None and did.tags:
        tags = sorted(did.tags)
        if all(tag in TAG_LABELS for tag in tags):
            conditions.append("(" + " OR ".join(f"e:{TAG_LABELS[t]}" for t in tags) + ")")
        else:
            params["tags"] = tags
            conditions.append("any(t IN $tags WHERE t IN e.tags)")
    return conditions, params


def match_events(filters: Filters, *, any_status: bool = False,
                 actors: tuple[str, ...] | None = None) -> MatchClause:
    """The clause that selects matching events, starting from the most selective index:
    all of `actors` (default `filters.actors`) take part in each event."""
    actors = tuple(filters.actors if actors is None else actors)
    conditions, params = _event_conditions(filters, any_status)
    did = filters.did
    tags = sorted(did.tags) if did is not None and did.tags else []
    distinct = ""
    if actors:
        params["actor_0"] = actors[0]
        # `e` without a label, and the hint: no Event index can be chosen instead.
        start = ("MATCH (anchor:Actor {id: $actor_0})-[:PARTICIPATED_IN]->(e)\n"
                 "USING INDEX anchor:Actor(id)")
        distinct = "WITH DISTINCT e"  # an actor may be both actor and target of an event
        for number, actor in enumerate(actors[1:], 1):
            params[f"actor_{number}"] = actor
            conditions.append(f"EXISTS {{ MATCH (:Actor {{id: $actor_{number}}})"
                              "-[:PARTICIPATED_IN]->(e) }")
    elif tags and all(tag in TAG_LABELS for tag in tags):
        start = "MATCH (e:" + "|".join(TAG_LABELS[t] for t in tags) + ")"
    elif did is not None and did.plover:
        start = f"MATCH (e:{PLOVER_LABELS[did.plover]})"
    elif did is not None and did.cameo_prefix:
        start = "MATCH (e:Event) USING INDEX e:Event(cameo)"
    elif filters.since is not None or filters.until is not None:
        start = "MATCH (e:Event) USING INDEX e:Event(start)"
    elif not any_status:
        start = "MATCH (e:Event) USING INDEX e:Event(status)"
    else:
        start = "MATCH (e:Event)"  # every event, of any status: nothing narrows it
    where = f"\nWHERE {' AND '.join(conditions)}" if conditions else ""
    return MatchClause(f"{start}{where}\n{distinct}", params, tuple(conditions))


def _summary_conditions(filters: Filters, actors: tuple[str, ...],
                        any_status: bool = False) -> tuple[list[str], dict]:
    """Conditions on a pair summary `s` for every filter but the dates (exact: a summary
    holds events of one kind and status only)."""
    conditions: list[str] = []
    params: dict = {}
    if not any_status:
        params["statuses"] = ["asserted", "future"] if filters.include_future else ["asserted"]
        conditions.append("s.status IN $statuses")
    did = filters.did
    if did is not None and did.plover:
        params["plover"] = did.plover
        conditions.append("s.plover = $plover")
        if did.mode:
            params["mode"] = did.mode
            conditions.append("s.mode = $mode")
    if did is not None and did.cameo_prefix:
        params["cameo"] = did.cameo_prefix
        conditions.append("s.cameo STARTS WITH $cameo")
    if did is not None and did.tags:
        params["tags"] = sorted(did.tags)
        conditions.append("any(t IN $tags WHERE t IN s.tags)")
    if len(actors) == 1:
        params["pair_x"] = actors[0]
        conditions.append("(s.a = $pair_x OR s.b = $pair_x)")
    elif len(actors) >= 2:
        params["pair_a"], params["pair_b"] = sorted(actors[:2])
        conditions.append("s.a = $pair_a AND s.b = $pair_b")
    return conditions, params


def _year_bounds(filters: Filters) -> tuple[str, str]:
    low = f"{filters.since.year:04d}" if filters.since is not None else "0000"
    high = f"{filters.until.year:04d}" if filters.until is not None else "9999"
    return low, high


SUMMARY_COLUMNS = """s.a AS a, s.b AS b, s.events AS events, s.first AS first, s.last AS last,
       s.type AS type, [s.best_mentions, s.best_start, s.best_event] AS best,
       [s.walk_start, s.walk_event] AS walk"""


def pair_summary_query(filters: Filters, actors: tuple[str, ...] = ()) -> tuple[str, dict]:
    """One row per actor pair of the matching events: (a, b, events, first, last, types,
    best, walk), folded from the pair summaries (see `graph.neo4j.pairs`). Without dates
    the all-time summaries answer; with dates, the years inside the range come from year
    summaries, a year the range cuts from its listed events, each checked."""
    conditions, params = _summary_conditions(filters, actors)
    where = " AND ".join(conditions)
    both = f" AND {where}" if where else ""
    # One pair: its own summaries, found by the first actor (not by year or kind).
    year_match = f"MATCH (s:{YEAR_LABEL})" + (
        f" USING INDEX s:{YEAR_LABEL}(a)" if len(actors) >= 2 else "")
    if filters.since is None and filters.until is None:
        hint = f" USING INDEX s:{TOTAL_LABEL}(a)" if len(actors) >= 2 else ""
        branches = [f"MATCH (s:{TOTAL_LABEL}){hint}{' WHERE ' + where if where else ''}\n"
                    f"RETURN {SUMMARY_COLUMNS}"]
    else:
        since, until = filters.since, filters.until
        low, high = _year_bounds(filters)
        cut = []  # years the range only partly covers
        if since is not None and (since.month, since.day) != (1, 1):
            cut.append(low)
        if until is not None and (until.month, until.day) != (12, 31) and high not in cut:
            cut.append(high)
        full_low = f"{int(low) + 1:04d}" if low in cut else low
        full_high = f"{int(high) - 1:04d}" if high in cut else high
        dates = []
        if since is not None:
            params["since"] = since.isoformat()
            dates.append("e.start >= $since")
        if until is not None:
            params["until"] = until.isoformat()
            dates.append("e.start <= $until")
        branches = []
        if full_low <= full_high:
            params["full_low"] = full_low  # four digits: neither "" nor "~..." years
            years = "s.year >= $full_low AND s.year < ':'"  # ':' sorts right after '9'
            if until is not None:
                params["full_high"] = full_high
                years = "s.year >= $full_low AND s.year <= $full_high"
            branches.append(f"{year_match} WHERE {years}{both}\n"
                            f"RETURN {SUMMARY_COLUMNS}")
        odd = ["s.year STARTS WITH '~'"]  # starts that are not ISO dates: exact per start
        if since is not None:
            params["odd_since"] = "~" + since.isoformat()
            odd.append("s.year >= $odd_since")
        if until is not None:
            params["odd_until"] = "~" + until.isoformat()
            odd.append("s.year <= $odd_until")
        branches.append(f"{year_match} WHERE {' AND '.join(odd)}{both}\n"
                        f"RETURN {SUMMARY_COLUMNS}")
        if cut:
            params["cut_years"] = cut
            branches.append(
                f"{year_match} WHERE s.year IN $cut_years{both}\n"
                "UNWIND s.event_ids AS id\n"
                "MATCH (e:Event {id: id}) USING INDEX e:Event(id)\n"
                f"WHERE {' AND '.join(dates)}\n"
                "RETURN s.a AS a, s.b AS b, 1 AS events, e.start AS first, e.start AS last,\n"
                f"       s.type AS type, {STRENGTH} AS best, {GRAPH_ORDER} AS walk")
    union = "\n  UNION ALL\n".join(branches)
    return f"""CALL () {{
{union}
}}
WITH a, b, sum(events) AS events, min(first) AS first, max(last) AS last,
     collect(DISTINCT type) AS types, max(best) AS best, min(walk) AS walk""", params


def who_query(filters: Filters) -> tuple[str, dict]:
    folded, params = pair_summary_query(filters, tuple(filters.actors))
    return f"""{folded}
MATCH (x:Actor {{id: a}}), (y:Actor {{id: b}})
MATCH (e:Event {{id: best[2]}})
{EVIDENCE}
RETURN a AS actor_a, b AS actor_b, x.name AS name_a, y.name AS name_b, events,
       first, last, types, sentence, doc_id
ORDER BY events DESC, actor_a, actor_b""", params


def pair_events_clause(filters: Filters, actors: tuple[str, ...],
                       any_status: bool = False) -> MatchClause:
    """Events with every one of `actors` (two or more): the listed events of the first two
    actors' year summaries, checked against every filter."""
    conditions, params = _summary_conditions(filters, actors, any_status)
    if filters.since is not None or filters.until is not None:
        params["year_low"], year_high = _year_bounds(filters)
        high = "s.year < ':'"
        if filters.until is not None:
            params["year_high"], high = year_high, "s.year <= $year_high"
        conditions.append(f"((s.year >= $year_low AND {high}) OR s.year STARTS WITH '~')")
    checks, event_params = _event_conditions(filters, any_status)
    for number, actor in enumerate(actors[2:], 2):
        event_params[f"actor_{number}"] = actor
        checks.append(f"EXISTS {{ MATCH (:Actor {{id: $actor_{number}}})"
                      "-[:PARTICIPATED_IN]->(e) }")
    where = f"\nWHERE {' AND '.join(checks)}" if checks else ""
    return MatchClause(f"""MATCH (s:{YEAR_LABEL}) USING INDEX s:{YEAR_LABEL}(a)
WHERE {' AND '.join(conditions)}
UNWIND s.event_ids AS id
MATCH (e:Event {{id: id}}) USING INDEX e:Event(id){where}
WITH DISTINCT e""", {**params, **event_params}, tuple(checks))


def event_rows_query(filters: Filters, *, any_status: bool = False,
                     actors: tuple[str, ...] | None = None) -> tuple[str, dict]:
    actors = tuple(filters.actors if actors is None else actors)
    if len(set(actors)) >= 2:
        matched = pair_events_clause(filters, tuple(dict.fromkeys(actors)), any_status)
    else:
        matched = match_events(filters, any_status=any_status, actors=actors)
    return f"""{matched.text}
RETURN e {{ .* }} AS event, {EVENT_PEOPLE} AS people, {EVENT_REPORTS} AS reports
ORDER BY coalesce(e.start, '9999'), e.id""", matched.params


def pairs_query(filters: Filters) -> tuple[str, dict]:
    """One row per actor pair of the filtered graph: its strongest event and where the
    embedded backend's walk over events meets it first (from the pair summaries)."""
    folded, params = pair_summary_query(filters)
    return f"""{folded}
RETURN a, b, walk AS first, best[2] AS event""", params


def _run(driver, query: str, database: str, params: dict | None = None) -> list:
    params = params or {}
    if _record_queries:
        issued_queries.append((query, dict(params)))
    with session_errors():
        records, _, _ = driver.execute_query(query, params, database_=database)
    return records


def actor_ids(driver, database: str = DEFAULT_DATABASE) -> frozenset[str]:
    return frozenset(r["id"] for r in _run(driver, ACTOR_IDS, database))


def resolve_actors(driver, names, database: str = DEFAULT_DATABASE) -> tuple[str, ...]:
    """Actor ids for user-typed names, in the given order; UnknownActor on the first miss."""
    names = tuple(names)
    if not names:
        return ()
    known = actor_ids(driver, database)
    return tuple(resolve_actor(name, known) for name in names)


def _row(row_type, values: dict):
    """A row of `row_type` from named values (fields the row type lacks are ignored)."""
    return row_type(**{name: values.get(name, "") for name in row_fields(row_type)})


def who(driver, filters: Filters, database: str = DEFAULT_DATABASE) -> list[PairRow]:
    """Pairs of actors that took part together in matching events."""
    wanted = tuple(dict.fromkeys(filters.actors))
    if len(wanted) > 2:
        return []  # no pair holds three actors
    query, params = who_query(replace(filters, actors=wanted))
    return [_row(PairRow, {**dict(r), "types": tuple(sorted(r["types"])),
                           "evidence": r["sentence"]})
            for r in _run(driver, query, database, params)]


def path(driver, a: str, b: str, filters: Filters, max_hops: int = 4, limit: int = 5,
         database: str = DEFAULT_DATABASE) -> list[HopRow]:
    """Shortest actor -> event -> actor chains from `a` to `b` (see the module notes)."""
    if a == b:
        raise NoPath(f"{a} and {b} are the same actor")
    scoped = Filters(filters.did, filters.since, filters.until, (), filters.include_future)
    query, params = pairs_query(scoped)
    pairs = sorted(_run(driver, query, database, params),
                   key=lambda r: (list(r["first"]), r["a"], r["b"]))
    rows = embedded.path(_pair_graph(pairs), a, b, Filters(), max_hops, limit)
    chain = {r["id"]: r for r in _run(driver, CHAIN_EVENTS, database,
                                      {"ids": sorted({row.event_id for row in rows})})}
    return [replace(row, event=chain[row.event_id]["label"] or "",
                    date=chain[row.event_id]["start"],
                    evidence=chain[row.event_id]["sentence"] or "",
                    doc_id=chain[row.event_id]["doc_id"] or "")
            for row in rows]


def _pair_graph(pairs) -> EventGraph:
    """A graph of one stand-in event per actor pair (carrying the id of the pair's
    strongest event), in the order the embedded backend meets the pairs."""
    events = [MergedEvent(r["event"], "", "", "", (), "", "", None, None, "unknown",
                          "asserted", None, "", (r["a"], r["b"]), (), (r["event"],),
                          r["event"], evidence_doc="?")  # the real evidence is read later
              for r in pairs]
    return EventGraph({}, {}, events, {})


def _evidence(reports) -> tuple[str | None, str | None]:
    """(sentence, document) of the report `EVIDENCE` would pick: the flagged one first (a
    missing flag before it, as `ORDER BY ... DESC` puts nulls), then by document and
    sentence index."""
    if not reports:
        return None, None
    flag, doc_id, _, sentence = min(
        reports, key=lambda r: (0 if r[0] is None else 1 if r[0] else 2, r[1], r[2]))
    return sentence, doc_id


def _event_rows(records) -> list[EventRow]:
    rows = []
    for r in records:
        e = r["event"]
        people = r["people"]
        sentence, doc_id = _evidence(r["reports"])
        rows.append(_row(EventRow, {
            **e, "granularity": e.get("granularity", "unknown"), "start": e.get("start"),
            "end": e.get("end"), "location": e.get("location"),
            "status": e.get("status", "asserted"), "tags": tuple(e.get("tags") or ()),
            "actors": tuple(sorted(x for role, x in people if role == "actor")),
            "targets": tuple(sorted(x for role, x in people if role == "target")),
            "mentions": int(e.get("mentions", 0)), "evidence": sentence, "doc_id": doc_id}))
    return rows


def timeline(driver, actors: tuple[str, ...], filters: Filters,
             database: str = DEFAULT_DATABASE) -> list[EventRow]:
    """Matching events in which every actor of `actors` took part, in date order."""
    query, params = event_rows_query(filters, actors=tuple(actors) or filters.actors)
    return _event_rows(_run(driver, query, database, params))


def events(driver, filters: Filters, database: str = DEFAULT_DATABASE) -> list[EventRow]:
    """Every event (any status) that matches the filters, in date order."""
    query, params = event_rows_query(filters, any_status=True)
    return _event_rows(_run(driver, query, database, params))


def stats(driver, database: str = DEFAULT_DATABASE) -> list[CountRow]:
    """Totals, then events per type, per actor and per year."""
    totals = _run(driver, STATS_TOTALS, database)[0]
    rows = [CountRow("total", key, totals[key])
            for key in ("documents", "events", "mentions", "actors")]
    for group, query in (("type", STATS_BY_TYPE), ("actor", STATS_BY_ACTOR),
                         ("year", STATS_BY_YEAR)):
        rows.extend(CountRow(group, r["key"], r["n"]) for r in _run(driver, query, database))
    return rows
