"""Neo4j query times on a loaded synthetic graph: median of 5 per query.

    python bench/neo4j_load.py scale --mentions 1000000 --keep   # load it first
    python bench/neo4j_queries.py [--runs 5] [--check 1000000]

Queries (through `graph.neo4j.Neo4jBackend`, the CLI's code path without process start):
`who --did exercise --since 2022`, `who --actor CHN`, `who --source CHN --status negated`,
`timeline CHN RUS`,
`timeline CHN RUS --since 2024`, `path JPN MNG` and `path JPN MNG --did exercise`. One
untimed run of each first (plans cached), then `--runs` timed runs; the median is
reported. With `--check N`, the same synthetic graph is built in process and every answer
is compared with the embedded backend's.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.neo4j import Neo4jBackend, Neo4jSettings  # noqa: E402
from graph.types import Filters, PairFilter, parse_what, parse_when  # noqa: E402

QUERIES = {
    "who --did exercise --since 2022":
        lambda b: b.who(Filters(parse_what("exercise"), parse_when("2022"))),
    "who --actor CHN": lambda b: b.who(Filters(actors=("CHN",))),
    "who --source CHN --status negated":
        lambda b: b.who(Filters(statuses=("negated",)), PairFilter(source="CHN")),
    "timeline CHN RUS": lambda b: b.timeline(("CHN", "RUS"), Filters()),
    "timeline CHN RUS --since 2024":
        lambda b: b.timeline(("CHN", "RUS"), Filters(since=parse_when("2024"))),
    "path JPN MNG": lambda b: b.path("JPN", "MNG", Filters()),
    "path JPN MNG --did exercise":
        lambda b: b.path("JPN", "MNG", Filters(parse_what("exercise"))),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", type=int, default=0,
                        help="mentions of the loaded synthetic graph, to compare answers")
    args = parser.parse_args(argv)
    settings = Neo4jSettings.from_env(password=os.environ.get("NEO4J_PASSWORD", "eventkg-test"))
    backend = Neo4jBackend(settings)
    result = {}
    answers = {}
    try:
        for name, query in QUERIES.items():
            answers[name] = query(backend)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                query(backend)
                times.append(time.perf_counter() - started)
            result[name] = {"median_ms": round(statistics.median(times) * 1000, 1),
                            "min_ms": round(min(times) * 1000, 1),
                            "max_ms": round(max(times) * 1000, 1), "rows": len(answers[name])}
    finally:
        backend.close()
    if args.check:
        from graph import queries as in_memory
        from graph.model import build_graph
        from graph.synthetic import synthetic_documents, synthetic_mentions

        class Embedded:  # the embedded backend's query functions over the graph in memory
            def __init__(self, graph):
                self.graph = graph

            def who(self, filters, pairs=PairFilter()):
                return in_memory.who(self.graph, filters, pairs)

            def timeline(self, actors, filters):
                return in_memory.timeline(self.graph, actors, filters)

            def path(self, a, b, filters):
                return in_memory.path(self.graph, a, b, filters)

        mentions = synthetic_mentions(args.check)
        embedded = Embedded(build_graph(synthetic_documents(mentions), mentions))
        for name, query in QUERIES.items():
            result[name]["same_as_embedded"] = query(embedded) == answers[name]
    print("| query | median of %d | min | max | rows |" % args.runs)
    print("|---|---:|---:|---:|---:|")
    for name, row in result.items():
        same = "" if "same_as_embedded" not in row else \
            (" (same as embedded)" if row["same_as_embedded"] else " (DIFFERS from embedded)")
        print(f"| `{name}` | {row['median_ms']} ms | {row['min_ms']} | {row['max_ms']} | "
              f"{row['rows']}{same} |")
    print(json.dumps(result))
    return 0 if all(r.get("same_as_embedded", True) for r in result.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
