"""Graph benchmark: the SQLite store against the JSON store of the base commit, end to end.

    python -m bench.graph                          # 10k, 100k and 1M synthetic mentions
    python -m bench.graph --sizes 10000            # one size
    python -m bench.graph --json-export-max 100000 # skip the JSON store's exports above this
    python -m bench.graph --wiki 2000              # build --processes 1 vs 2 on Wikipedia items

For every size, in one run: the build (synthetic mentions from `graph.synthetic`, written
in batches through `graph.build.write_documents`, the code `eventkg build` runs after
extraction; the JSON store merges and saves them with the base commit's own code), then
`who`, `timeline`, `path`, `stats` and `export` (GraphML, GEXF) as `eventkg` subprocesses
of the command line, each with its wall time and peak memory (max RSS of that process
alone, from wait4). Queries are the median wall time of 3 runs. The JSON store is the tree
of commit `--base` (default 8888709, the commit this store replaced), taken with
`git archive` into a temporary folder and run from there.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (10_000, 100_000, 1_000_000)
REPO = Path(__file__).resolve().parents[1]
BASE_COMMIT = "8888709"
QUERIES = {
    "who": ["who", "--did", "exercise", "--since", "2022", "--format", "json"],
    "timeline": ["timeline", "CHN", "RUS", "--format", "json"],
    "path": ["path", "JPN", "MNG", "--format", "json"],
    "stats": ["stats", "--format", "json"],
}
EXPORTS = {"export_graphml": "x.graphml", "export_gexf": "x.gexf"}
JSON_BUILD = """
import sys, time
from graph.model import build_graph
from graph.store import save
from graph.synthetic import synthetic_documents, synthetic_mentions
mentions = synthetic_mentions(int(sys.argv[1]))
g = build_graph(synthetic_documents(mentions), mentions)
del mentions
save(g, sys.argv[2])
"""


def run_measured(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MB, exit status) of one subprocess."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        print(f"  {' '.join(command[:6])}... exited {process.returncode}: {error.strip()[-300:]}",
              file=sys.stderr)
    return wall, round(usage.ru_maxrss / 1024), process.returncode


def build_sqlite(size: int, path: str) -> None:
    """Write `size` synthetic mentions into a new SQLite store (what --build-db runs)."""
    from graph.build import write_documents
    from graph.synthetic import synthetic_items

    batch = max(1000, size // 4)  # mentions per transaction: 4 batches at any size
    write_documents(path, synthetic_items(size), batch_documents=batch // 10, batch_mentions=batch,
                    batch_seconds=1e9)


def store_rows(label: str, size: int, folder: Path, cwd: Path, env: dict, graph: Path,
               build_command: list[str], exports: bool) -> dict:
    row: dict = {"store": label, "mentions": size}
    wall, rss, status = run_measured(build_command, cwd, env)
    row["build_s"], row["build_mb"] = round(wall, 1), rss
    if status != 0:
        return row
    row["file_mb"] = round(graph.stat().st_size / 1e6, 1)
    cli = [sys.executable, "-m", "cli"]
    for name, args in QUERIES.items():
        runs = [run_measured([*cli, *args, "--graph", str(graph)], cwd, env) for _ in range(3)]
        row[f"{name}_s"] = round(statistics.median(r[0] for r in runs), 2)
        row[f"{name}_mb"] = max(r[1] for r in runs)
    for name, file in EXPORTS.items():
        if not exports:
            row[f"{name}_s"] = row[f"{name}_mb"] = "skipped"
            continue
        wall, rss, _ = run_measured([*cli, "export", str(folder / file), "--graph", str(graph)], cwd, env)
        row[f"{name}_s"], row[f"{name}_mb"] = round(wall, 1), rss
        (folder / file).unlink(missing_ok=True)
    return row


def measure(size: int, base: str | None, json_export_max: int, git: Path = REPO) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="eventkg-bench-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        db = folder / "bench.db"
        rows.append(store_rows("sqlite", size, folder, REPO, env, db,
                               [sys.executable, "-m", "bench.graph", "--build-db", str(size), str(db)],
                               exports=True))
        db.unlink(missing_ok=True)
        if base:
            tree = folder / "base"
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(git), "archive", base], capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            base_env = {**os.environ, "PYTHONPATH": str(tree)}
            graph = folder / "bench.json"
            rows.append(store_rows(f"json ({base})", size, folder, tree, base_env, graph,
                                   [sys.executable, "-c", JSON_BUILD, str(size), str(graph)],
                                   exports=size <= json_export_max))
    return rows


def wiki_ratio(count: int) -> dict:
    """Build the same `count` Wikipedia items with 1 and with 2 processes; wall times and ratio."""
    from bench.wikipedia import load_items
    from graph.build import build

    folder = REPO.parent / "shared" / "eval" / "datasets" / "wikipedia-current-events"
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
            summary = build([str(source)], Path(tmp) / f"g{processes}.db", processes=processes)
            out[f"processes_{processes}_s"] = round(time.perf_counter() - started, 1)
            out[f"events_{processes}"] = summary.events
        from graph.store import load, to_payload

        out["identical"] = to_payload(load(Path(tmp) / "g1.db")) == to_payload(load(Path(tmp) / "g2.db"))
    out["speedup"] = round(out["processes_1_s"] / out["processes_2_s"], 2)
    return out


def table(rows: list[dict]) -> str:
    columns = list(dict.fromkeys(c for row in rows for c in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--base", default=BASE_COMMIT, help="Commit of the JSON store ('' to skip it).")
    parser.add_argument("--json-export-max", type=int, default=100_000,
                        help="Largest size at which the JSON store's exports run (about 10 GB at 1M).")
    parser.add_argument("--git", type=Path, default=REPO, help="Repository that holds --base.")
    parser.add_argument("--out", type=Path, help="Also write the rows as JSON here.")
    parser.add_argument("--build-db", nargs=2, metavar=("SIZE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--wiki", type=int, default=0, help="Wikipedia items for the processes ratio.")
    args = parser.parse_args()
    if args.build_db:
        build_sqlite(int(args.build_db[0]), args.build_db[1])
        return
    if args.wiki:
        print(json.dumps(wiki_ratio(args.wiki)))
        return
    rows = []
    for size in args.sizes:
        for row in measure(size, args.base or None, args.json_export_max, args.git):
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
            if args.out:
                args.out.write_text(json.dumps(rows, indent=1))
    print(table(rows))


if __name__ == "__main__":
    main()
