"""Neo4j load throughput: batched `UNWIND $rows ... MERGE` against one transaction per event.

    python bench/neo4j_load.py [--events 20000] [--batch-size 500] [--workers 2]

After a warm-up round (both methods, a smaller graph, not timed), both methods write the
same synthetic graph (every event with two or three actors and one
or two mentions) into an emptied database of a running server (NEO4J_URI, NEO4J_USER,
NEO4J_PASSWORD; defaults match neo4j/server.sh) and must leave identical node and
relationship counts. Only the writing is timed (both methods get the same precomputed
parameter rows). Both use the loader's statements: CREATE for events the database does
not hold yet, MERGE for those it does (in an emptied database every event is new). The
batched load runs `--workers` concurrent transactions; the naive one is sequential.
Prints a markdown table and a JSON line with the ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.records import Action, Actor, Event, TimeSpan  # noqa: E402
from graph.model import build_graph  # noqa: E402
from graph.neo4j import Neo4jSettings, connect  # noqa: E402
from graph.neo4j.load import (CREATE_EVENTS, DEFAULT_BATCH_SIZE,  # noqa: E402
                              DEFAULT_WORKERS, MERGE_EVENTS, MERGE_NODES, clear, counts,
                              ensure_constraints, graph_rows, write_rows)

COUNTRIES = ["CHN", "RUS", "IND", "IRN", "PRK", "USA", "JPN", "KOR", "TUR", "BRA", "ZAF",
             "EGY", "PAK", "IDN", "VNM", "FRA", "DEU", "GBR", "AUS", "CAN"]
DOCUMENTS = 500


def synthetic_graph(events: int):
    """`events` distinct events (distinct dates or participants), some reported twice."""
    mentions = []
    first_day = date(1990, 1, 1)
    for number in range(events):
        day = (first_day + timedelta(days=number)).isoformat()
        size = 2 + number % 2
        actors = tuple(Actor(COUNTRIES[(number * 7 + k * 3) % len(COUNTRIES)], "")
                       for k in range(size))
        action = Action("drill", "held drills", "COOPERATE", "military", "062", ("exercise",))
        for copy in range(1 + (number % 4 == 0)):
            doc = f"article-{(number + copy * 17) % DOCUMENTS:04d}"
            mentions.append(Event(doc, number, f"Event {number} reported ({copy}).", (0, 8),
                                  actors, (), action, TimeSpan(day, day, day, "day"),
                                  confidence=0.9 - copy * 0.1).to_dict())
    documents = {f"article-{n:04d}": {"id": f"article-{n:04d}", "title": f"Article {n}"}
                 for n in range(DOCUMENTS)}
    return build_graph(documents, mentions)


def load_one_transaction_per_event(driver, rows, database: str) -> None:
    """The naive way: the same statements and rows, but one transaction for each event."""
    ensure_constraints(driver, database)
    ids = [event["id"] for event in rows.events]
    records, _, _ = driver.execute_query("UNWIND $ids AS id MATCH (e:Event {id: id}) "
                                         "RETURN e.id AS id", ids=ids, database_=database)
    existing = {record["id"] for record in records}
    driver.execute_query(MERGE_NODES["Actor"], rows=list(rows.actors), database_=database)
    driver.execute_query(MERGE_NODES["Document"], rows=list(rows.documents), database_=database)

    def write(tx, event):
        statement = MERGE_EVENTS if event["id"] in existing else CREATE_EVENTS
        tx.run(statement, rows=[event]).consume()

    with driver.session(database=database) as session:
        for event in rows.events:
            session.execute_write(write, event)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="concurrent transactions of the batched load (1: sequential)")
    parser.add_argument("--warmup", type=int, default=2000,
                        help="events written by both methods first, so query plans and the "
                             "server's JIT are warm for both (not timed)")
    args = parser.parse_args(argv)
    settings = Neo4jSettings.from_env(password=os.environ.get("NEO4J_PASSWORD", "eventkg-test"))
    driver = connect(settings)
    database = settings.database

    graph = synthetic_graph(args.events)
    view = graph.to_networkx()
    expected = (view.number_of_nodes(), view.number_of_edges())
    assert len(graph.events) == args.events, len(graph.events)
    rows = graph_rows(graph)  # both methods write these same rows; only writing is timed

    if args.warmup:
        warm = graph_rows(synthetic_graph(args.warmup))
        for method in (lambda: write_rows(driver, warm, database, args.batch_size,
                                          workers=args.workers),
                       lambda: load_one_transaction_per_event(driver, warm, database)):
            clear(driver, database)
            method()

    clear(driver, database)
    batched = timed(lambda: write_rows(driver, rows, database, args.batch_size,
                                       workers=args.workers))
    batched_counts = counts(driver, database)
    clear(driver, database)
    single = timed(lambda: load_one_transaction_per_event(driver, rows, database))
    single_counts = counts(driver, database)
    clear(driver, database)
    driver.close()
    if not batched_counts == single_counts == expected:
        print(f"counts differ: batched {batched_counts}, per event {single_counts}, "
              f"networkx {expected}", file=sys.stderr)
        return 1

    result = {
        "events": args.events, "nodes": expected[0], "relationships": expected[1],
        "batch_size": args.batch_size, "workers": args.workers,
        "batched_seconds": round(batched, 2),
        "batched_events_per_second": round(args.events / batched),
        "per_event_seconds": round(single, 2),
        "per_event_events_per_second": round(args.events / single),
        "ratio": round(single / batched, 1),
    }
    print(f"| method | seconds | events/s |\n|---|---:|---:|\n"
          f"| batched UNWIND ({args.batch_size} rows, {args.workers} writers) | "
          f"{result['batched_seconds']} | "
          f"{result['batched_events_per_second']} |\n"
          f"| one transaction per event | {result['per_event_seconds']} | "
          f"{result['per_event_events_per_second']} |\n\n"
          f"ratio: {result['ratio']}x ({expected[0]} nodes, {expected[1]} relationships)")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
