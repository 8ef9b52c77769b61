"""Every query the Neo4j backend issues starts from an index, never from all Event nodes.

The backend runs over a grid of filters on the seed graph while `queries.issued_queries`
records each statement it sends; each one is then EXPLAINed with its own parameters, and a
plan that scans every Event (a label scan or an index scan over `:Event`, or an all-nodes
scan) or every year summary (`:PairYear`, one per pair, kind and year) fails the test.
Exempt, because they are asked about every event: `stats`, and `events` with no filter at
all. (`PairTotal`, one summary per pair and kind, may be read whole.)
"""
from __future__ import annotations

from itertools import product

import pytest

from graph.errors import NoPath
from graph.neo4j import Neo4jBackend
from graph.neo4j import queries as cypher
from graph.neo4j.load import clear, load
from graph.types import Filters, parse_what, parse_when

pytestmark = pytest.mark.neo4j

WHATS = (None, "exercise", "drills", "war games", "COOPERATE", "COOPERATE:military", "06")
DATES = ((None, None), ("2022", None), (None, "2025-06"), ("2024", "2025-12"),
         ("2022-03-15", None))
ACTORS = ((), ("CHN",), ("CHN", "RUS"), ("RUS", "CHN", "JPN"))
FULL_SCANS = ("NodeByLabelScan", "NodeIndexScan", "AllNodesScan")
EVERY_EVENT = {cypher.STATS_BY_TYPE, cypher.STATS_BY_YEAR}


def operators(plan) -> list[tuple[str, str]]:
    found = [(plan["operatorType"].split("@")[0], plan["args"].get("Details", ""))]
    for child in plan.get("children", []):
        found.extend(operators(child))
    return found


def full_event_scans(plan) -> list[str]:
    return [f"{kind} {details}" for kind, details in operators(plan)
            if kind in FULL_SCANS and (kind == "AllNodesScan" or ":Event" in details
                                       or ":PairYear" in details)]


@pytest.fixture(scope="module")
def recorded(neo4j_driver, neo4j_settings, seed_graph):
    """(query, params, what called it) for every statement of the grid, deduplicated."""
    clear(neo4j_driver, neo4j_settings.database)
    load(neo4j_driver, seed_graph, neo4j_settings.database)
    backend = Neo4jBackend(neo4j_settings, driver=neo4j_driver)
    seen: dict[str, tuple[str, dict, str]] = {}
    cypher.issued_queries.clear()
    cypher._record_queries = True
    try:
        grid = [(*cell, False) for cell in product(WHATS, DATES, ACTORS)]
        grid += [(what, (None, None), (), True) for what in WHATS]
        for what, (since, until), actors, future in grid:
            filters = Filters(parse_what(what), parse_when(since),
                              parse_when(until, end=True), actors, future)
            unfiltered = what is None and since is None and until is None and not actors
            calls = {"who": lambda: backend.who(filters),
                     "timeline": lambda: backend.timeline(actors, filters),
                     "events": lambda: backend.events(filters),
                     "path": lambda: backend.path("JPN", "RUS", filters)}
            if actors:
                del calls["path"]  # path ignores --actor
            for name, call in calls.items():
                del cypher.issued_queries[:]
                try:
                    call()
                except NoPath:
                    pass
                for query, params in cypher.issued_queries:
                    exempt = name == "events" and unfiltered
                    key = query
                    if not exempt and key not in seen:
                        seen[key] = (query, params, f"{name} {filters}")
        backend.stats()
    finally:
        cypher._record_queries = False
    return list(seen.values())


def test_the_grid_issues_many_distinct_queries(recorded):
    kinds = {call.split()[0] for _, _, call in recorded}
    assert kinds == {"who", "timeline", "events", "path"}
    assert len(recorded) > 60


def test_no_query_plan_scans_every_event(recorded, neo4j_driver, neo4j_settings):
    bad = []
    for query, params, call in recorded:
        if query in EVERY_EVENT:
            continue
        summary = neo4j_driver.execute_query("EXPLAIN " + query, params,
                                             database_=neo4j_settings.database).summary
        scans = full_event_scans(summary.plan)
        if scans:
            bad.append(f"{call}: {scans}\n{query}")
    assert not bad, "\n\n".join(bad[:5])


def test_plans_start_from_the_expected_index(neo4j_driver, neo4j_settings, recorded):
    def plan_of(filters: Filters, **options) -> set[str]:
        query, params = cypher.event_rows_query(filters, **options)
        summary = neo4j_driver.execute_query("EXPLAIN " + query, params,
                                             database_=neo4j_settings.database).summary
        return {f"{kind} {details}" for kind, details in operators(summary.plan)}

    def uses(plan: set[str], fragment: str) -> bool:
        return any(fragment in step for step in plan)

    assert uses(plan_of(Filters(actors=("CHN",))), "UNIQUE anchor:Actor(id)")
    assert uses(plan_of(Filters(parse_what("exercise"))), "Tag_exercise")
    assert uses(plan_of(Filters(parse_what("COOPERATE:military"))), "Plover_COOPERATE")
    assert uses(plan_of(Filters(parse_what("06"))), "Event(cameo)")
    assert uses(plan_of(Filters(since=parse_when("2022"))), "Event(start)")
    assert uses(plan_of(Filters()), "Event(status)")
    assert uses(plan_of(Filters(), any_status=True), "NodeByLabelScan")  # every event
    assert uses(plan_of(Filters(actors=("RUS", "CHN"))), "PairYear(a)")
    assert uses(plan_of(Filters(since=parse_when("2024"), actors=("CHN", "RUS", "JPN"))),
                "PairYear(a)")


def test_pair_queries_start_from_the_summaries(neo4j_driver, neo4j_settings, recorded):
    def plan_of(query_and_params) -> set[str]:
        query, params = query_and_params
        summary = neo4j_driver.execute_query("EXPLAIN " + query, params,
                                             database_=neo4j_settings.database).summary
        return {f"{kind} {details}" for kind, details in operators(summary.plan)}

    def uses(plan: set[str], fragment: str) -> bool:
        return any(fragment in step for step in plan)

    assert uses(plan_of(cypher.who_query(Filters())), "PairTotal")
    assert uses(plan_of(cypher.who_query(Filters(actors=("CHN", "RUS")))), "PairTotal(a)")
    assert uses(plan_of(cypher.who_query(Filters(statuses=("negated",), since=parse_when("2022")))),
                "PairYear(year)")
    assert uses(plan_of(cypher.pairs_query(Filters())), "PairTotal")
    since = plan_of(cypher.pairs_query(Filters(parse_what("exercise"), parse_when("2022"))))
    assert uses(since, "PairYear(year)") and not uses(since, "s.event_ids")  # whole years
    cut = plan_of(cypher.pairs_query(Filters(since=parse_when("2022-03-15"))))
    assert uses(cut, "PairYear(year)") and uses(cut, "s.event_ids")  # 2022 event by event
    assert uses(plan_of(cypher.pairs_query(Filters(until=parse_when("2025-06")))),
                "PairYear(year)")


def test_values_are_parameters_never_query_text(recorded):
    for query, params, _ in recorded:
        for value in params.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and len(item) > 3:
                    assert f"'{item}'" not in query and f'"{item}"' not in query
