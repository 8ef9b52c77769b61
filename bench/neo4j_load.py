"""Neo4j load throughput: batched loads at scale, and batched vs one transaction per event.

    python bench/neo4j_load.py ratio [--events 20000]            # batched vs per event
    python bench/neo4j_load.py scale --mentions 100000 [--keep]  # synthetic mentions

`ratio`: after a warm-up round (both methods, a smaller graph, not timed), both methods
write the same graph (every event with two or three actors and one or two mentions) into
an emptied database and must leave identical node and relationship counts. The batched
method is `graph.neo4j.load.load` end to end (fingerprints, schema, reads and writes, pair
summaries); the naive one sends the same rows with the same statements, one transaction
per event and one per pair summary.

`scale`: `graph.synthetic` mentions (ten per document, 30 % re-reports merged into earlier
events) merged into an `EventGraph`, then loaded into an emptied database: the first load,
a reload of the same graph (nothing changed), and a reload after 1 % of the documents were
re-extracted (their sentence 0 moved by a day), each checked against the networkx counts.
`--keep` leaves the graph in the database for `bench/neo4j_queries.py`.

Server: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD (defaults match neo4j/server.sh). Prints a
markdown table and a JSON line.
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
from graph.neo4j.load import (DEFAULT_BATCH_SIZE, DEFAULT_WORKERS,  # noqa: E402
                              MERGE_EVENTS, MERGE_NODES, actor_row, clear, counts,
                              create_events_labelled, document_row, ensure_schema, event_row,
                              load)
from graph.neo4j.pairs import (CREATE_SUMMARIES, TOTAL_LABEL, YEAR_LABEL,  # noqa: E402
                               Summaries)

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


def load_one_transaction_per_event(driver, graph, database: str) -> None:
    """The naive way: the same statements and rows, but one transaction for each event
    (and for each pair summary, which the batched load writes too)."""
    ensure_schema(driver, database)
    events = [event_row(graph, e) for e in graph.events]
    ids = [event["id"] for event in events]
    records, _, _ = driver.execute_query("UNWIND $ids AS id MATCH (e:Event {id: id}) "
                                         "RETURN e.id AS id", ids=ids, database_=database)
    existing = {record["id"] for record in records}
    driver.execute_query(MERGE_NODES["Actor"], rows=[actor_row(a) for a in graph.actors.values()],
                         database_=database)
    driver.execute_query(MERGE_NODES["Document"],
                         rows=[document_row(d) for d in graph.documents.values()],
                         database_=database)

    def write(tx, event):
        statement = (MERGE_EVENTS if event["id"] in existing
                     else create_events_labelled(event["labels"]))
        tx.run(statement, rows=[event]).consume()

    def write_summary(tx, label, row):
        tx.run(CREATE_SUMMARIES[label], rows=[row]).consume()

    summaries = Summaries()
    for event in graph.events:
        summaries.add_event(event)
    with driver.session(database=database) as session:
        for event in events:
            session.execute_write(write, event)
        for label, (rows, _) in ((YEAR_LABEL, summaries.year_rows(summaries.years)),
                                 (TOTAL_LABEL, summaries.total_rows(summaries.totals))):
            for row in rows:
                session.execute_write(write_summary, label, row)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def networkx_counts(graph) -> tuple[int, int]:
    view = graph.to_networkx()
    return view.number_of_nodes(), view.number_of_edges()


def ratio(driver, database: str, args) -> dict:
    graph = synthetic_graph(args.events)
    expected = networkx_counts(graph)
    assert len(graph.events) == args.events, len(graph.events)
    if args.warmup:
        warm = synthetic_graph(args.warmup)
        for method in (lambda: load(driver, warm, database, args.batch_size, workers=args.workers),
                       lambda: load_one_transaction_per_event(driver, warm, database)):
            clear(driver, database)
            method()
    clear(driver, database)
    batched = timed(lambda: load(driver, graph, database, args.batch_size, workers=args.workers))
    batched_counts = counts(driver, database)
    clear(driver, database)
    single = timed(lambda: load_one_transaction_per_event(driver, graph, database))
    single_counts = counts(driver, database)
    clear(driver, database)
    if not batched_counts == single_counts == expected:
        raise SystemExit(f"counts differ: batched {batched_counts}, per event {single_counts}, "
                         f"networkx {expected}")
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
          f"| batched load ({args.batch_size} rows, {args.workers} writers) | "
          f"{result['batched_seconds']} | {result['batched_events_per_second']} |\n"
          f"| one transaction per event | {result['per_event_seconds']} | "
          f"{result['per_event_events_per_second']} |\n\n"
          f"ratio: {result['ratio']}x ({expected[0]} nodes, {expected[1]} relationships)")
    return result


def synthetic_event_graph(mentions_count: int, moved_share: float = 0.0):
    from graph.model import build_graph
    from graph.synthetic import synthetic_documents, synthetic_mentions

    mentions = synthetic_mentions(mentions_count)
    if moved_share:
        step = round(1 / moved_share)
        for number, mention in enumerate(mentions):
            if number % (10 * step) == 0 and mention["time"]["start"]:
                day = date.fromisoformat(mention["time"]["start"]) + timedelta(days=1)
                mention["time"] = {**mention["time"], "start": day.isoformat(),
                                   "end": day.isoformat(), "granularity": "day"}
    return build_graph(synthetic_documents(mentions), mentions)


def scale(driver, database: str, args) -> dict:
    import resource

    started = time.perf_counter()
    graph = synthetic_event_graph(args.mentions)
    merge_seconds = time.perf_counter() - started
    expected = networkx_counts(graph) if args.mentions <= 200_000 else None
    clear(driver, database)
    runs = {}
    for name, target in (("first load", graph), ("reload, unchanged", graph),
                         ("reload, 1% of documents changed",
                          synthetic_event_graph(args.mentions, moved_share=0.01))):
        summary = load(driver, target, database, args.batch_size, workers=args.workers)
        if expected is not None and target is graph:
            assert (summary.nodes, summary.relationships) == expected, (summary, expected)
        runs[name] = summary
        print(f"{name}: {summary.seconds:.1f} s, {summary.events_written} events and "
              f"{summary.documents_written} documents written, {summary.stale_events_deleted} "
              f"stale events deleted; {summary.nodes} nodes, {summary.relationships} "
              f"relationships", file=sys.stderr)
    if args.keep:  # leave the first graph loaded, for bench/neo4j_queries.py --check
        back = load(driver, graph, database, args.batch_size, workers=args.workers)
        print(f"reload of the first graph: {back.seconds:.1f} s, {back.events_written} events "
              f"written", file=sys.stderr)
    else:
        clear(driver, database)
    first = runs["first load"]
    result = {"mentions": args.mentions, "events": len(graph.events),
              "merge_seconds": round(merge_seconds, 1),
              "nodes": first.nodes, "relationships": first.relationships,
              "batch_size": args.batch_size, "workers": args.workers,
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    for name, summary in runs.items():
        key = name.split(",")[0].replace(" ", "_") if name == "first load" else \
            ("reload_unchanged" if "unchanged" in name else "reload_changed")
        result[f"{key}_seconds"] = round(summary.seconds, 1)
        result[f"{key}_events_written"] = summary.events_written
    result["events_per_second"] = round(len(graph.events) / first.seconds)
    print(f"| mentions | events | first load | events/s | reload, unchanged | reload, 1 % "
          f"changed (events written) |\n|---:|---:|---:|---:|---:|---:|\n"
          f"| {args.mentions:,} | {len(graph.events):,} | {result['first_load_seconds']} s | "
          f"{result['events_per_second']:,} | {result['reload_unchanged_seconds']} s | "
          f"{result['reload_changed_seconds']} s ({result['reload_changed_events_written']:,}) |")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("ratio", "scale"), nargs="?", default="ratio")
    parser.add_argument("--events", type=int, default=20_000, help="ratio: events")
    parser.add_argument("--mentions", type=int, default=100_000, help="scale: mentions")
    parser.add_argument("--keep", action="store_true", help="scale: keep the graph loaded")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="concurrent transactions of the batched load (1: sequential)")
    parser.add_argument("--warmup", type=int, default=2000,
                        help="ratio: events written by both methods first, so query plans "
                             "and the server's JIT are warm for both (not timed)")
    args = parser.parse_args(argv)
    settings = Neo4jSettings.from_env(password=os.environ.get("NEO4J_PASSWORD", "eventkg-test"))
    driver = connect(settings)
    try:
        result = (ratio if args.mode == "ratio" else scale)(driver, settings.database, args)
    finally:
        driver.close()
    print(json.dumps({"mode": args.mode, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
