"""Graph benchmark: merge, save, load and query synthetic events; build with 1 vs 2 processes.

    python -m bench.graph                      # 10k, 100k and 1M synthetic mentions
    python -m bench.graph --sizes 10000        # one size
    python -m bench.graph --wiki 2000          # build --processes 1 vs 2 on Wikipedia items

Each size runs in its own process so that the peak memory (max RSS) belongs to it alone.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (10_000, 100_000, 1_000_000)


def measure(size: int) -> dict:
    from graph import queries
    from graph.model import build_graph
    from graph.store import load, save
    from graph.synthetic import synthetic_documents, synthetic_mentions
    from graph.types import Filters, parse_what

    mentions = synthetic_mentions(size)
    documents = synthetic_documents(mentions)
    started = time.perf_counter()
    g = build_graph(documents, mentions)
    merge_s = time.perf_counter() - started
    del mentions
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.json"
        started = time.perf_counter()
        size_bytes = save(g, path)
        save_s = time.perf_counter() - started
        events = len(g.events)
        del g
        started = time.perf_counter()
        g = load(path)
        load_s = time.perf_counter() - started
    exercise = Filters(did=parse_what("exercise"))
    latency = {}
    for name, query in (("who_s", lambda: queries.who(g, exercise)),
                        ("who_actor_s", lambda: queries.who(g, Filters(did=exercise.did, actors=("CHN",)))),
                        ("path_s", lambda: queries.path(g, "JPN", "MNG", Filters())),
                        ("timeline_s", lambda: queries.timeline(g, ("CHN", "RUS"), Filters()))):
        started = time.perf_counter()
        query()
        latency[name] = round(time.perf_counter() - started, 3)
    return {"mentions": size, "events": events, "merge_s": round(merge_s, 2),
            "merge_per_s": round(size / merge_s), "save_s": round(save_s, 2),
            "load_s": round(load_s, 2), "file_mb": round(size_bytes / 1e6, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            **latency}


def wiki_ratio(count: int) -> dict:
    """Build the same `count` Wikipedia items with 1 and with 2 processes; wall times and ratio."""
    from bench.wikipedia import load_items
    from graph.build import build

    folder = Path(__file__).resolve().parents[2] / "shared" / "eval" / "datasets" / "wikipedia-current-events"
    items = load_items(folder)[:count]
    if not items:
        raise SystemExit(f"no Wikipedia items found under {folder}")
    out = {"items": len(items)}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "items.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for index, item in enumerate(items):
                doc = item.document(index)
                handle.write(json.dumps({"id": doc.id, "text": doc.text,
                                         "published": doc.published.isoformat()}) + "\n")
        from extract.pipeline import Extractor

        Extractor()  # imports and the model's files warm before either timed run
        for processes in (1, 2):
            started = time.perf_counter()
            summary = build([str(source)], Path(tmp) / f"g{processes}.json", processes=processes)
            out[f"processes_{processes}_s"] = round(time.perf_counter() - started, 1)
            out[f"events_{processes}"] = summary.events
        from graph.store import load, to_payload

        out["identical"] = to_payload(load(Path(tmp) / "g1.json")) == to_payload(load(Path(tmp) / "g2.json"))
    out["speedup"] = round(out["processes_1_s"] / out["processes_2_s"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--wiki", type=int, default=0, help="Wikipedia items for the processes ratio.")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    if args.wiki:
        print(json.dumps(wiki_ratio(args.wiki)))
        return
    rows = []
    for size in args.sizes:
        done = subprocess.run([sys.executable, "-m", "bench.graph", "--one", str(size)],
                              capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
