"""Damaged and hand-edited graph databases: every query and export command answers with
at most one `error:` line, never a traceback.

Mutations: truncation, bit flips, a page overwritten with garbage, and SQL edits (values
set to NULL, to the wrong type or to broken JSON, rows deleted so that references
dangle, tables or indexes dropped, the schema version or application id changed).
`EVENTKG_MUTATIONS` sets how many damaged files are made (default 30; BENCHMARKS.md
reports a run with 300)."""
from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from graph.build import write_documents
from graph.synthetic import synthetic_items

runner = CliRunner()
COMMANDS = [
    ["who", "--format", "json"], ["who", "--did", "exercise", "--since", "2001", "--actor", "CHN", "--format", "csv"],
    ["path", "JPN", "MNG", "--format", "json"], ["timeline", "CHN", "RUS"],
    ["events", "--did", "COOPERATE", "--format", "json"], ["stats", "--format", "json"],
    ["export", "{out}.graphml"], ["export", "{out}.gexf", "--view", "actors"], ["export", "{out}.json"],
    ["export", "{out}.csv"],
]
COLUMNS = {
    "events": ["tags", "actors", "targets", "mention_ids", "start", "mentions", "type", "plover", "id", "evidence"],
    "participation": ["actor", "event", "role"], "event_pairs": ["a", "b", "event"],
    "event_tags": ["tag", "event", "start"], "actors": ["id", "name", "kind"],
    "documents": ["id", "record", "title"], "mentions": ["data", "event", "doc_id"],
}
BAD_VALUES = [None, 7, 2.5, "", "[", "{}", '"x"', "[1, 2]", "null", b"\x00\xff", "\ud7ff", "9" * 40]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "g.db"
    write_documents(path, synthetic_items(300), batch_documents=10)
    return path


def file_mutation(rng: random.Random, path: Path) -> str:
    data = bytearray(path.read_bytes())
    kind = rng.choice(["truncate", "flip", "page"])
    if kind == "truncate":
        cut = rng.randrange(0, len(data))
        path.write_bytes(bytes(data[:cut]))
        return f"truncated at {cut}"
    if kind == "flip":
        for _ in range(rng.randint(1, 30)):
            offset = rng.randrange(len(data))
            data[offset] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        return "bit flips"
    page = 4096
    start = rng.randrange(len(data) // page) * page
    data[start:start + page] = bytes(rng.randrange(256) for _ in range(page))
    path.write_bytes(bytes(data))
    return f"page at {start} overwritten"


def sql_mutation(rng: random.Random, path: Path) -> str:
    with sqlite3.connect(path) as db:
        kind = rng.choice(["value", "value", "value", "delete", "drop", "pragma", "orphan"])
        table = rng.choice(sorted(COLUMNS))
        if kind == "value":
            column = rng.choice(COLUMNS[table])
            value = rng.choice(BAD_VALUES)
            share = rng.choice([1, 10, 100])
            try:
                db.execute(f'UPDATE {table} SET "{column}" = ? WHERE abs(random()) % ? = 0', (value, share))
            except sqlite3.Error:  # a NOT NULL or key constraint: break it with the check off
                db.execute("PRAGMA ignore_check_constraints = 1")
                db.execute(f'UPDATE OR REPLACE {table} SET "{column}" = ? WHERE abs(random()) % ? = 0',
                           ("" if value is None else value, share))
            return f"{table}.{column} = {value!r} (1 in {share})"
        if kind == "delete":
            db.execute(f"DELETE FROM {table} WHERE abs(random()) % 3 = 0")
            return f"a third of {table} deleted"
        if kind == "drop":
            name = rng.choice(["events_start", "event_tags_start", "events_order", "participation_event",
                               table])
            db.execute(f"DROP {'INDEX' if '_' in name and name not in COLUMNS else 'TABLE'} IF EXISTS {name}")
            return f"{name} dropped"
        if kind == "pragma":
            setting = rng.choice(["user_version = 1", "user_version = 99", "application_id = 5"])
            db.execute(f"PRAGMA {setting}")
            return setting
        db.execute("INSERT OR IGNORE INTO participation VALUES ('GHOST', (SELECT id FROM events LIMIT 1), 'actor')")
        db.execute("INSERT OR IGNORE INTO event_pairs VALUES ((SELECT id FROM events LIMIT 1), 'AAA', 'GHOST')")
        return "an actor without a row"


def damaged_files(pristine: Path, folder: Path, count: int, seed: int = 7):
    rng = random.Random(seed)
    for number in range(count):
        path = folder / f"damaged{number}.db"
        shutil.copyfile(pristine, path)
        mutate = file_mutation if number % 3 == 0 else sql_mutation
        try:
            how = mutate(rng, path)
            if mutate is sql_mutation and rng.random() < 0.3:
                how += "; " + sql_mutation(rng, path)
        except sqlite3.Error as exc:
            how = f"mutation stopped: {exc}"
        yield path, how


def test_no_damaged_file_gives_a_traceback(pristine, tmp_path):
    count = int(os.environ.get("EVENTKG_MUTATIONS", "30"))
    outcomes: Counter[str] = Counter()
    failures = []
    for path, how in damaged_files(pristine, tmp_path, count):
        for command in COMMANDS:
            args = [a.format(out=tmp_path / "out") for a in command]
            result = runner.invoke(app, [*args, "--graph", str(path)], env={"COLUMNS": "120"})
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
            if crashed or result.exit_code not in (0, 1) or (result.exit_code == 1 and (
                    len(lines) != 1 or not lines[0].startswith("error: "))):
                failures.append((how, args[0], repr(result.exception), result.stderr[-300:]))
            outcomes["error" if result.exit_code else "answered"] += 1
        path.unlink()
    print(f"{count} damaged files x {len(COMMANDS)} commands: {dict(outcomes)}, {len(failures)} tracebacks")
    assert not failures, failures[:5]
    assert outcomes["error"] > 0
