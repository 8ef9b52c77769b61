"""Faults during builds: kill -9 at random moments, and two builds on one file at once.

The builds here write synthetic mentions through `graph.build.write_documents` (what
`eventkg build` runs once extraction is done) in small batches, in a child process.
`EVENTKG_KILL_TRIALS` sets the number of kill trials (default 4; the note in
BENCHMARKS.md reports a run with 20).
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from graph.build import write_documents
from graph.model import build_graph
from graph.store import load, to_payload
from graph.synthetic import synthetic_items

REPO = Path(__file__).resolve().parents[1]
MENTIONS = 4000
DRIVER = """
import sys
from graph.build import write_documents
from graph.synthetic import synthetic_items
items = list(synthetic_items(int(sys.argv[2])))
part = sys.argv[3]
if part == "even":
    items = items[0::2]
elif part == "odd":
    items = items[1::2][::-1]
write_documents(sys.argv[1], items, batch_documents=int(sys.argv[4]), skip_unchanged=True)
"""


def driver(path: Path, part: str = "all", batch: int = 10, mentions: int = MENTIONS) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(path), str(mentions), part, str(batch)],
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def clean_graph():
    all_items = list(synthetic_items(MENTIONS))
    documents = {record["id"]: record for record, _ in all_items}
    return to_payload(build_graph(documents, [m for _, found in all_items for m in found]))


def committed_documents(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as db:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_mid_build_leaves_a_sound_store_that_the_next_build_completes(tmp_path, clean_graph):
    trials = int(os.environ.get("EVENTKG_KILL_TRIALS", "4"))
    rng = random.Random(11)
    interrupted = 0
    for trial in range(trials):
        path = tmp_path / f"kill{trial}.db"
        process = driver(path)
        deadline = time.monotonic() + 300
        while committed_documents(path) == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.5))  # somewhere inside a later batch
        if process.poll() is None:
            interrupted += 1
        elif process.returncode != 0:
            pytest.fail(f"the build failed on its own: {process.stderr.read().decode()[-1500:]}")
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:  # it finished between the poll and the kill
            pass
        process.wait()
        if not path.exists():  # killed before the first batch: nothing may have appeared
            write_documents(path, synthetic_items(MENTIONS), batch_documents=50, skip_unchanged=True)
            assert to_payload(load(path)) == clean_graph
            continue
        with closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            kept = db.execute("SELECT count(*) FROM documents").fetchone()[0]
            # every committed document has its mentions and every mention its event
            assert db.execute("SELECT count(*) FROM mentions WHERE event IS NULL").fetchone()[0] == 0
        assert kept % 10 == 0 or kept == 400, f"a batch was half written: {kept} documents"
        write_documents(path, synthetic_items(MENTIONS), batch_documents=50, skip_unchanged=True)
        assert to_payload(load(path)) == clean_graph
        assert not [p for p in tmp_path.iterdir() if "eventkg-tmp" in p.name]
    print(f"{trials} trials, {interrupted} killed mid-build")
    assert interrupted >= trials // 2, "the builds finished before they could be killed"


def test_two_concurrent_builds_on_one_file_lose_nothing(tmp_path, clean_graph):
    path = tmp_path / "shared.db"
    first, second = driver(path, "even", batch=7), driver(path, "odd", batch=5)
    for process in (first, second):
        assert process.wait(timeout=600) == 0, process.stderr.read().decode()[-2000:]
    assert to_payload(load(path)) == clean_graph
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_log_left_by_a_deleted_database_does_not_damage_the_new_one(tmp_path):
    """Deleting eventkg.db but not eventkg.db-wal, then building again, gives a sound graph."""
    from graph import store

    path = tmp_path / "g.db"
    db = store.create(path)
    db.execute("CREATE TABLE scratch (x)")
    db.executemany("INSERT INTO scratch VALUES (?)", [(os.urandom(200),) for _ in range(3000)])
    wal = Path(f"{path}-wal").read_bytes()  # the log while the database is open, not yet checkpointed
    db.close()
    path.unlink()
    Path(f"{path}-wal").write_bytes(wal)  # a log that belongs to no database any more
    fresh = store.create(path)
    assert fresh.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fresh.close()
    store.connect(path).close()
