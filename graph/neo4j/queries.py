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
- `who`, `path`, and `timeline`/`events` with two or more actors: the pair summaries the
  loader keeps (`graph.neo4j.pairs`), by pair, relation, kind and year: `PairTotal`
  without dates, `PairYear` by its `year` index with dates; a year the date range cuts is
  checked event by event through the ids its summary lists (the `Event.id` index).

Only `stats`, and `events` with no filter at all, read every event: they are asked about
every event. `path` folds the summaries into one row per actor pair (its strongest event
and where the embedded backend meets the pair first) and picks the chains with the
embedded backend's own routine, so ties break the same way; only the chosen events'
evidence is read back. Given event names (which the summaries do not know), `who` and
`path` read the matching events instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import queries as embedded
from ..errors import NoPath
from ..model import EventGraph, MergedEvent
from ..types import (ON, WITH, CountRow, EventRow, Filters, HopRow, MentionRow, PairFilter,
                     PairRow, matching_names, pair_order, resolve_actor, row_fields)
from .connection import DEFAULT_DATABASE, session_errors
from .load import PLOVER_LABELS, TAG_LABELS
from .pairs import BACK, TOTAL_LABEL, YEAR_LABEL

__all__ = ["who", "path", "timeline", "events", "stats", "mentions", "resolve_actors",
           "resolve_names", "actor_names", "actor_ids", "issued_queries", "match_events"]

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
# People and reports of an event, as lists read in one step per event (the event rows
# pick the evidence and sort in Python, as `EVIDENCE` would).
EVENT_PEOPLE = "[(x:Actor)-[p:PARTICIPATED_IN]->(e) | [p.role, x.id]]"
EVENT_REPORTS = ("[(e)-[r:REPORTED_IN]->(d:Document) | "
                 "[r.evidence, d.id, r.sentence_index, r.sentence]]")
PAIRS = """
MATCH (a:Actor)-[:PARTICIPATED_IN]->(e)<-[:PARTICIPATED_IN]-(b:Actor)
WHERE a.id < b.id"""
# An actor and another participant: `with` another actor (ids in order), `→` a target.
RELATIONS = f"""
MATCH (a:Actor)-[:PARTICIPATED_IN {{role: 'actor'}}]->(e)<-[q:PARTICIPATED_IN]-(b:Actor)
WHERE a.id <> b.id AND (q.role = 'target' OR a.id < b.id)
WITH a, b, e, CASE q.role WHEN 'target' THEN '{ON}' ELSE '{WITH}' END AS relation"""

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
    statuses = filters.wanted_statuses(any_status)
    if statuses is not None:
        params["statuses"] = list(statuses)
        conditions.append("e.status IN $statuses")
    if filters.names is not None:
        params["names"] = list(filters.names)
        conditions.append("e.name IN $names")
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
    elif filters.wanted_statuses(any_status) is not None:
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
    statuses = filters.wanted_statuses(any_status)
    if statuses is not None:
        params["statuses"] = list(statuses)
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


SUMMARY_COLUMNS = """s.a AS a, s.b AS b, s.relation AS relation, s.events AS events, s.first AS first, s.last AS last,
       s.type AS type, [s.best_mentions, s.best_start, s.best_event] AS best,
       [s.walk_start, s.walk_event] AS walk"""


def pair_summary_query(filters: Filters, actors: tuple[str, ...] = (),
                       relations: bool = False) -> tuple[str, dict]:
    """One row per actor pair of the matching events (per pair and relation, the pairs
    that make none left out, with `relations`): (a, b[, relation], events, first, last,
    types, best, walk), folded from the pair summaries (see `graph.neo4j.pairs`). Without
    dates the all-time summaries answer; with dates, the years inside the range come from
    year summaries, a year the range cuts from its listed events, each checked."""
    conditions, params = _summary_conditions(filters, actors)
    if relations:
        conditions.append("s.relation <> ''")
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
                "RETURN s.a AS a, s.b AS b, s.relation AS relation, 1 AS events, e.start AS first, e.start AS last,\n"
                f"       s.type AS type, {STRENGTH} AS best, {GRAPH_ORDER} AS walk")
    union = "\n  UNION ALL\n".join(branches)
    return f"""CALL () {{
{union}
}}
WITH a, b{", relation" if relations else ""}, sum(events) AS events, min(first) AS first, max(last) AS last,
     collect(DISTINCT type) AS types, max(best) AS best, min(walk) AS walk""", params


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


def who_query(filters: Filters) -> tuple[str, dict]:
    """`who` rows of the pairs that hold every actor of `filters.actors` (at most two),
    from the pair summaries: `←` (b on a) turned round into `→`."""
    folded, params = pair_summary_query(filters, tuple(filters.actors), relations=True)
    return f"""{folded}
WITH CASE relation WHEN '{BACK}' THEN b ELSE a END AS a,
     CASE relation WHEN '{BACK}' THEN a ELSE b END AS b,
     CASE relation WHEN '{BACK}' THEN '{ON}' ELSE relation END AS relation,
     events, first, last, types, best
MATCH (x:Actor {{id: a}}), (y:Actor {{id: b}})
MATCH (e:Event {{id: best[2]}})
{EVIDENCE}
RETURN a AS actor_a, relation, b AS actor_b, x.name AS name_a, y.name AS name_b, events,
       first, last, types, e.id AS event_id, coalesce(e.name, '') AS event_name,
       coalesce(e.label, '') AS action, sentence, doc_id""", params


def event_who_query(filters: Filters) -> tuple[str, dict]:
    """`who` rows read from the matching events (for filters the summaries cannot answer)."""
    matched = match_events(filters)
    pair_filter = "\nAND all(x IN $actors WHERE x IN [a.id, b.id])" if filters.actors else ""
    params = {**matched.params, **({"actors": list(filters.actors)} if filters.actors else {})}
    return f"""{matched.text}{RELATIONS}
WHERE true{pair_filter}
WITH a, relation, b, count(e) AS events, min(e.start) AS first, max(e.start) AS last,
     collect(DISTINCT {TYPE_LABEL}) AS types, max({STRENGTH}) AS strongest
MATCH (e:Event {{id: strongest[2]}})
{EVIDENCE}
RETURN a.id AS actor_a, relation, b.id AS actor_b, a.name AS name_a, b.name AS name_b, events,
       first, last, types, e.id AS event_id, coalesce(e.name, '') AS event_name,
       coalesce(e.label, '') AS action, sentence, doc_id""", params


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


def shortest_query(filters: Filters) -> tuple[str, dict]:
    """The hop count of the shortest filtered chain from $source to $target."""
    conditions, params = _event_conditions(filters, any_status=False)
    inline = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"""MATCH (source:Actor {{id: $source}}), (target:Actor {{id: $target}})
MATCH p = SHORTEST 1 (source)
  ((:Actor)-[:PARTICIPATED_IN]->(e:Event{inline})<-[:PARTICIPATED_IN]-(:Actor))+ (target)
RETURN length(p) / 2 AS hops""", params


def event_pairs_query(filters: Filters) -> tuple[str, dict]:
    """One row per actor pair of the filtered graph: its strongest event and where the
    embedded backend's walk over events meets it first."""
    matched = match_events(replace(filters, actors=()))
    return f"""{matched.text}{PAIRS}
WITH a, b, min({GRAPH_ORDER}) AS first, max({STRENGTH})[2] AS event
RETURN a.id AS a, b.id AS b, first, event""", matched.params  # min/max need no DISTINCT


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


def who(driver, filters: Filters, pairs: PairFilter = PairFilter(),
        database: str = DEFAULT_DATABASE) -> list[PairRow]:
    """Pairs of actors and how they met in matching events (`graph.queries.who`)."""
    scoped = replace(filters, actors=tuple(dict.fromkeys(filters.actors + pairs.required_actors)))
    if scoped.names is not None:  # the summaries do not know event names
        query, params = event_who_query(scoped)
    elif len(scoped.actors) > 2:
        return pairs.apply([])  # a row holds two actors: none holds them all
    else:  # every kept row holds all of `scoped.actors`: the pair summaries answer
        query, params = who_query(scoped)
    wanted = set(filters.actors)
    rows = [_row(PairRow, {**dict(r), "types": tuple(sorted(r["types"])),
                           "evidence": r["sentence"] or "", "doc_id": r["doc_id"] or ""})
            for r in _run(driver, query, database, params)]
    rows = [row for row in rows if not wanted or wanted.issubset((row.actor_a, row.actor_b))]
    rows.sort(key=pair_order)
    return pairs.apply(rows)


def path(driver, a: str, b: str, filters: Filters, max_hops: int = 4, limit: int = 5,
         database: str = DEFAULT_DATABASE) -> list[HopRow]:
    """Shortest actor -> event -> actor chains from `a` to `b` (see the module notes)."""
    if a == b:
        raise NoPath(f"{a} and {b} are the same actor")
    scoped = replace(filters, actors=())
    if scoped.names is None:
        query, params = pairs_query(scoped)
    else:  # the summaries do not know event names: the matching events answer
        query, params = shortest_query(scoped)
        found = _run(driver, query, database, {**params, "source": a, "target": b})
        if not found:
            raise NoPath(f"no chain of events links {a} and {b}")
        if found[0]["hops"] > max_hops:
            raise NoPath(f"no chain of at most {max_hops} events links {a} and {b}")
        query, params = event_pairs_query(scoped)
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
            "mentions": int(e.get("mentions", 0)), "evidence": sentence, "doc_id": doc_id,
            "name": e.get("name") or ""}))
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


MENTIONS = """
CALL (e) {
  MATCH (e)-[r:REPORTED_IN]->(d:Document)
  RETURN d.id AS doc_id, r.sentence_index AS sentence_index, r.sentence AS sentence,
         coalesce(r.linked_by, '') AS linked_by
  ORDER BY doc_id, sentence_index }
"""


def mentions(driver, filters: Filters, database: str = DEFAULT_DATABASE) -> list[MentionRow]:
    """Every report of each event of `events(filters)` (`graph.queries.mentions`)."""
    matched = match_events(filters, any_status=True)
    query = f"""{matched.text}
{MENTIONS}
RETURN e.id AS event_id, e.start AS start, {TYPE_LABEL} AS type,
       coalesce(e.name, '') AS event_name, doc_id, sentence_index, sentence, linked_by
ORDER BY coalesce(e.start, '9999'), e.id, doc_id, sentence_index"""
    return [MentionRow(r["event_id"], r["start"], r["type"], r["event_name"], r["doc_id"],
                       int(r["sentence_index"]), r["sentence"] or "", r["linked_by"])
            for r in _run(driver, query, database, matched.params)]


EVENT_NAMES = "MATCH (e:Event) WHERE e.name <> '' RETURN DISTINCT e.name AS name ORDER BY name"
ACTOR_NAMES = "UNWIND $ids AS id MATCH (a:Actor {id: id}) RETURN a.id AS id, a.name AS name"


def resolve_names(driver, text: str, database: str = DEFAULT_DATABASE) -> tuple[str, ...]:
    """The stored event names that `text` names (`graph.types.matching_names`)."""
    return matching_names(text, [r["name"] for r in _run(driver, EVENT_NAMES, database)])


def actor_names(driver, ids, database: str = DEFAULT_DATABASE) -> dict[str, str]:
    """id -> name of the given actors."""
    return {r["id"]: r["name"] for r in _run(driver, ACTOR_NAMES, database, {"ids": sorted(set(ids))})}
