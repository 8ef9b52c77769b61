"""The graph file: atomic saves, named load errors, the build lock, incremental and
interrupted builds (these run the real extractor)."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.build import apply_documents, build
from graph.errors import BuildError, GraphFileError
from graph.model import EventGraph
from graph.store import load, locked, save
from graph.synthetic import make_document, make_event

ARTICLE = ("Title: Drills {n}\nPublished: 2025-12-{day:02d}\n\n"
           "China and Russia held joint naval drills in the Sea of Japan on Monday, report {n} said. "
           "Japan protested against the drills. The two navies also staged a joint air patrol. "
           "South Korea scrambled fighter jets in response to the patrol.\n")


def small_graph() -> EventGraph:
    return apply_documents(EventGraph(), [(make_document("a"), [make_event("a", 0, ["CHN", "RUS"])])])


def test_save_replaces_the_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("old")
    save(small_graph(), path)
    assert load(path) == small_graph()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]


def test_save_into_a_missing_folder_is_a_named_error(tmp_path):
    with pytest.raises(GraphFileError, match="cannot write"):
        save(small_graph(), tmp_path / "no" / "g.json")


def test_wrong_version_is_named(tmp_path):
    path = tmp_path / "g.json"
    path.write_text('{"format": "eventkg-graph", "version": 99}')
    with pytest.raises(GraphFileError, match="version 99"):
        load(path)


def test_second_writer_waits_for_the_lock(tmp_path):
    path = tmp_path / "g.json"
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with locked(path):
            holding.set()
            time.sleep(0.5)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(5)
    waited: list[str] = []
    with locked(path, on_wait=waited.append):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]
    assert waited and "waiting" in waited[0]


def write_articles(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        (folder / f"a{n:04d}.txt").write_text(ARTICLE.format(n=n, day=1 + n % 28))


@pytest.mark.model
def test_incremental_build_skips_unchanged_and_redoes_changed(tmp_path):
    articles = tmp_path / "in"
    write_articles(articles, 3)
    path = tmp_path / "g.json"
    first = build([str(articles)], path)
    assert (first.added, first.skipped) == (3, 0) and first.events > 0
    before = path.read_bytes()
    again = build([str(articles)], path)
    assert (again.added, again.updated, again.skipped, again.bytes_written) == (0, 0, 3, 0)
    assert path.read_bytes() == before
    (articles / "a0001.txt").write_text(ARTICLE.format(n=1, day=1).replace("Japan protested against the drills. ", ""))
    changed = build([str(articles)], path)
    assert (changed.added, changed.updated, changed.skipped) == (0, 1, 2)
    g = load(path)
    kept = [m for m in g.mentions.values() if m["doc_id"] == "a0001"]
    assert kept and not any(m["action"]["plover"] == "PROTEST" for m in kept)


@pytest.mark.model
def test_build_with_nothing_readable_is_a_named_error(tmp_path):
    with pytest.raises(BuildError):
        build([str(tmp_path / "absent.txt")], tmp_path / "g.json")


@pytest.mark.model
def test_killed_build_leaves_the_previous_file_and_the_next_build_completes(tmp_path):
    path = tmp_path / "g.json"
    first = tmp_path / "first.txt"
    first.write_text(ARTICLE.format(n=9999, day=1))
    build([str(first)], path)
    before = path.read_bytes()
    many = tmp_path / "many"
    write_articles(many, 1500)
    command = [sys.executable, "-m", "cli", "build", str(many), "--graph", str(path)]
    process = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_until_locked(Path(f"{path}.lock"), process)
    time.sleep(3.0)  # well into extraction: the lock is held from loading the old graph to saving the new one
    assert process.poll() is None, "the build finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert path.read_bytes() == before
    assert len(load(path).documents) == 1
    summary = build([str(many)], path)
    assert summary.added == 1500
    assert len(load(path).documents) == 1501


def _wait_until_locked(lock_path: Path, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Return once another process holds the build lock, i.e. the build is under way."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        with open(lock_path, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            fcntl.flock(handle, fcntl.LOCK_UN)
        time.sleep(0.05)
    raise AssertionError("the build never took the lock")


def test_stored_indexes_match_the_events_and_missing_ones_are_rebuilt(tmp_path):
    g = apply_documents(EventGraph(), [
        (make_document("a"), [make_event("a", 0, ["CHN", "RUS"]),
                              make_event("a", 1, ["JPN"], targets=["CHN"], plover="ACCUSE",
                                         tags=["statement"])])])
    path = tmp_path / "g.json"
    save(g, path)
    loaded = load(path)
    fresh = EventGraph(loaded.documents, loaded.mentions, loaded.events, loaded.actors)
    assert loaded.indexes() == fresh.indexes()
    assert [e.plover for e in loaded.events_with(["CHN", "JPN"])] == ["ACCUSE"]
    header, _, rest = path.read_bytes().partition(b"\n")
    import orjson
    stripped = orjson.loads(header)
    del stripped["index"]
    path.write_bytes(orjson.dumps(stripped) + b"\n" + rest)
    assert [e.tags for e in load(path).events_tagged(["exercise"])] == [("exercise",)]
