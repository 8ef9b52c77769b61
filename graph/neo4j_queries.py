"""The query contract of `graph.queries`, answered with Cypher over a Neo4j driver.

Same functions, same rows (`graph.types`), same order, same answers as the embedded
backend. Filters become query parameters; matching, grouping and counting run in Cypher.
`path` lets Cypher select the matching events and then enumerates chains with the
embedded backend's own routine over just those events, so ties between equally short
chains break the same way.
"""
from __future__ import annotations

from . import queries
from .errors import NoPath
from .model import EventGraph, MergedEvent
from .neo4j_connection import DEFAULT_DATABASE, session_errors
from .types import CountRow, EventRow, Filters, HopRow, PairRow, resolve_actor

__all__ = ["who", "path", "timeline", "events", "stats", "resolve_actors", "actor_ids"]

# `$status_any`, `$include_future`, `$since`, `$until`, `$plover`, `$mode`, `$cameo`,
# `$tags` and `$actors` are always bound by `_params`.
EVENT_FILTER = """
  ($status_any OR e.status = 'asserted' OR ($include_future AND e.status = 'future'))
  AND ($since IS NULL OR (e.start IS NOT NULL AND e.start >= $since))
  AND ($until IS NULL OR (e.start IS NOT NULL AND e.start <= $until))
  AND ($plover = '' OR (e.plover = $plover AND ($mode = '' OR e.mode = $mode)))
  AND ($cameo = '' OR coalesce(e.cameo, '') STARTS WITH $cameo)
  AND (size($tags) = 0 OR any(t IN $tags WHERE t IN coalesce(e.tags, [])))
"""
ALL_ACTORS_TOOK_PART = """
  AND all(x IN $actors WHERE EXISTS { MATCH (:Actor {id: x})-[:PARTICIPATED_IN]->(e) })
"""
TYPE_LABEL = """
  CASE WHEN size(coalesce(e.tags, [])) = 0 THEN e.plover
       ELSE e.plover + '/' + reduce(s = head(e.tags), t IN tail(e.tags) | s + '+' + t) END
"""
# The event a pair or hop quotes: most mentions, then latest start, then highest id.
STRONGEST_FIRST = "e.mentions DESC, coalesce(e.start, '') DESC, e.id DESC"
EVIDENCE = """
  CALL (e) {
    OPTIONAL MATCH (e)-[r:REPORTED_IN]->(d:Document)
    WITH r, d ORDER BY r.evidence DESC, d.id, r.sentence_index LIMIT 1
    RETURN r.sentence AS sentence, d.id AS doc_id }
"""

WHO = f"""
MATCH (e:Event) WHERE {EVENT_FILTER}
MATCH (a:Actor)-[:PARTICIPATED_IN]->(e)<-[:PARTICIPATED_IN]-(b:Actor)
WHERE a.id < b.id AND all(x IN $actors WHERE x IN [a.id, b.id])
WITH DISTINCT a, b, e
ORDER BY {STRONGEST_FIRST}
WITH a, b, count(e) AS events, min(e.start) AS first, max(e.start) AS last,
     collect(DISTINCT {TYPE_LABEL}) AS types, collect(e)[0] AS e
{EVIDENCE}
RETURN a.id AS actor_a, b.id AS actor_b, a.name AS name_a, b.name AS name_b, events,
       first, last, types, sentence, doc_id
ORDER BY events DESC, actor_a, actor_b
"""

EVENT_ROWS = f"""
MATCH (e:Event) WHERE {EVENT_FILTER} {ALL_ACTORS_TOOK_PART}
{EVIDENCE}
CALL (e) {{
  OPTIONAL MATCH (e)-[r:REPORTED_IN]->(d:Document)
  RETURN collect(d.id + '|' + toString(r.sentence_index)) AS reports }}
CALL (e) {{
  OPTIONAL MATCH (x:Actor)-[p:PARTICIPATED_IN]->(e)
  RETURN collect(CASE WHEN p.role = 'actor' THEN x.id END) AS actors,
         collect(CASE WHEN p.role = 'target' THEN x.id END) AS targets }}
RETURN e {{ .* }} AS event, actors, targets, sentence, doc_id, reports
ORDER BY coalesce(e.start, '9999'), e.id
"""

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


def _params(filters: Filters, *, any_status: bool = False, actors=None) -> dict:
    did = filters.did
    return {
        "status_any": any_status,
        "include_future": filters.include_future,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "plover": did.plover if did else "",
        "mode": did.mode if did and did.plover else "",
        "cameo": did.cameo_prefix if did else "",
        "tags": sorted(did.tags) if did else [],
        "actors": list(filters.actors if actors is None else actors),
    }


def _run(driver, query: str, database: str, **params) -> list:
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


def who(driver, filters: Filters, database: str = DEFAULT_DATABASE) -> list[PairRow]:
    """Pairs of actors that took part together in matching events."""
    return [PairRow(r["actor_a"], r["actor_b"], r["name_a"], r["name_b"], r["events"],
                    r["first"], r["last"], tuple(sorted(r["types"])), r["sentence"],
                    r["doc_id"])
            for r in _run(driver, WHO, database, **_params(filters))]


def path(driver, a: str, b: str, filters: Filters, max_hops: int = 4, limit: int = 5,
         database: str = DEFAULT_DATABASE) -> list[HopRow]:
    """Shortest actor -> event -> actor chains from `a` to `b`.

    Cypher selects the matching events with their participants and evidence; the chains
    are then enumerated by `graph.queries.path` itself over just those events, so both
    backends choose and order chains identically.
    """
    if a == b:
        raise NoPath(f"{a} and {b} are the same actor")
    scoped = Filters(filters.did, filters.since, filters.until, (), filters.include_future)
    records = _run(driver, EVENT_ROWS, database, **_params(scoped, actors=()))
    return queries.path(_event_graph(records), a, b, scoped, max_hops, limit)


def _event_graph(records) -> EventGraph:
    """An in-memory `EventGraph` of the events Cypher returned (for the shared routines)."""
    events, mentions, actors = [], {}, {}
    for r in records:
        e = r["event"]
        reports = sorted(r["reports"])
        evidence_id = f"{e['id']}|evidence"
        mentions[evidence_id] = {"id": evidence_id, "sentence": r["sentence"],
                                 "doc_id": r["doc_id"]}
        for actor in (*r["actors"], *r["targets"]):
            actors[actor] = {"id": actor}
        events.append(MergedEvent(
            id=e["id"], plover=e.get("plover", ""), mode=e.get("mode", ""),
            cameo=e.get("cameo", ""), tags=tuple(e.get("tags") or ()),
            trigger=e.get("trigger", ""), label=e.get("label", ""), start=e.get("start"),
            end=e.get("end"), granularity=e.get("granularity", "unknown"),
            status=e.get("status", "asserted"), location=e.get("location"), location_name="",
            actors=tuple(sorted(set(r["actors"]))), targets=tuple(sorted(set(r["targets"]))),
            mention_ids=tuple(reports), evidence_id=evidence_id,
            evidence=r["sentence"] or "", evidence_doc=r["doc_id"] or ""))
    return EventGraph({}, mentions, events, actors)


def _event_rows(records) -> list[EventRow]:
    rows = []
    for r in records:
        e = r["event"]
        rows.append(EventRow(
            e["id"], e.get("start"), e.get("end"), e.get("granularity", "unknown"),
            e.get("plover", ""), e.get("mode", ""), e.get("cameo", ""),
            tuple(e.get("tags") or ()), tuple(sorted(r["actors"])), tuple(sorted(r["targets"])),
            e.get("status", "asserted"), e.get("location"), int(e.get("mentions", 0)),
            e.get("label", ""), r["sentence"], r["doc_id"]))
    return rows


def timeline(driver, actors: tuple[str, ...], filters: Filters,
             database: str = DEFAULT_DATABASE) -> list[EventRow]:
    """Matching events in which every actor of `actors` took part, in date order."""
    scoped = tuple(actors) or filters.actors
    return _event_rows(_run(driver, EVENT_ROWS, database, **_params(filters, actors=scoped)))


def events(driver, filters: Filters, database: str = DEFAULT_DATABASE) -> list[EventRow]:
    """Every event (any status) that matches the filters, in date order."""
    return _event_rows(_run(driver, EVENT_ROWS, database,
                            **_params(filters, any_status=True)))


def stats(driver, database: str = DEFAULT_DATABASE) -> list[CountRow]:
    """Totals, then events per type, per actor and per year."""
    totals = _run(driver, STATS_TOTALS, database)[0]
    rows = [CountRow("total", key, totals[key])
            for key in ("documents", "events", "mentions", "actors")]
    for group, query in (("type", STATS_BY_TYPE), ("actor", STATS_BY_ACTOR),
                         ("year", STATS_BY_YEAR)):
        rows.extend(CountRow(group, r["key"], r["n"]) for r in _run(driver, query, database))
    return rows
