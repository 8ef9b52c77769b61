"""The graph database: atomic saves, schema checks, the import of old JSON graphs, file
hardening (symlinks, modes, read-only targets, orphan temporaries, disk full), and
incremental and interrupted builds with the real extractor (marked `model`)."""
from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from cli import app
from graph.build import apply_documents, build
from graph.errors import BuildError, GraphFileError
from graph.model import EventGraph
from graph.store import (SCHEMA_VERSION, connect, import_json_graph, load, replaced_file, save,
                         to_payload)
from graph.synthetic import make_document, make_event

runner = CliRunner()
ARTICLE = ("Title: Drills {n}\nPublished: 2025-12-{day:02d}\n\n"
           "China and Russia held joint naval drills in the Sea of Japan on Monday, report {n} said. "
           "Japan protested against the drills. The two navies also staged a joint air patrol. "
           "South Korea scrambled fighter jets in response to the patrol.\n")


def small_graph() -> EventGraph:
    return apply_documents(EventGraph(), [(make_document("a"), [make_event("a", 0, ["CHN", "RUS"]),
                                                                make_event("a", 1, ["JPN"], targets=["CHN"],
                                                                           plover="ACCUSE", tags=["statement"])])])


def old_json_file(g: EventGraph, path: Path) -> None:
    """`g` in the JSON-lines format of the previous store (header line, one mention a line)."""
    payload = to_payload(g)
    mentions = payload.pop("mentions")
    header = {**payload, "index": {}, "mentions": len(mentions)}
    path.write_bytes(orjson.dumps(header) + b"\n" + b"".join(orjson.dumps(m) + b"\n" for m in mentions))


def test_save_replaces_the_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "g.db"
    path.write_text("old")
    save(small_graph(), path)
    assert load(path) == small_graph()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.db"]


def test_save_into_a_missing_folder_is_a_named_error(tmp_path):
    with pytest.raises(GraphFileError, match="does not exist"):
        save(small_graph(), tmp_path / "no" / "g.db")


def test_newer_and_unknown_schemas_and_other_databases_are_named(tmp_path):
    path = tmp_path / "g.db"
    save(small_graph(), path)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(GraphFileError, match=f"version {SCHEMA_VERSION + 1}.*upgrade"):
        connect(path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 1")
    with pytest.raises(GraphFileError, match="unknown graph schema version 1"):
        connect(path)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE x (y)")
    with pytest.raises(GraphFileError, match="not an eventkg graph"):
        connect(other)


def test_a_missing_table_is_named(tmp_path):
    path = tmp_path / "g.db"
    save(small_graph(), path)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE event_tags")
    with pytest.raises(GraphFileError, match="table event_tags is missing"):
        connect(path)


def test_old_json_graph_loads_and_imports(tmp_path):
    old = tmp_path / "eventkg.json"
    old_json_file(small_graph(), old)
    assert load(old) == small_graph()
    result = runner.invoke(app, ["import-graph", str(old)])
    assert result.exit_code == 0, result.stderr
    assert "imported" in result.stderr and "eventkg.db" in result.stderr
    assert load(tmp_path / "eventkg.db") == small_graph()
    again = runner.invoke(app, ["import-graph", str(old)])
    assert again.exit_code == 1 and "exists already" in again.stderr
    with pytest.raises(GraphFileError, match="not an old JSON graph"):
        import_json_graph(tmp_path / "eventkg.db", tmp_path / "x.db")


def test_queries_on_an_old_json_graph_point_to_the_import(tmp_path):
    old = tmp_path / "eventkg.json"
    old_json_file(small_graph(), old)
    result = runner.invoke(app, ["who", "--graph", str(old)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: graph file {old} is an old JSON graph: import it with `eventkg import-graph {old}` "
        f"(or `eventkg build ... --graph {old}`)"]


# -- file hardening ---------------------------------------------------------------------------
def test_save_follows_a_symlink_and_keeps_the_mode(tmp_path):
    real = tmp_path / "data" / "real.db"
    real.parent.mkdir()
    save(small_graph(), real)
    os.chmod(real, 0o640)
    link = tmp_path / "link.db"
    link.symlink_to(real)
    save(EventGraph(), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert load(link) == EventGraph()


def test_new_files_get_the_umask_mode_not_0600(tmp_path):
    path = tmp_path / "g.db"
    save(small_graph(), path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_read_only_target_is_refused_with_one_line(tmp_path):
    path = tmp_path / "g.db"
    save(small_graph(), path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    with pytest.raises(GraphFileError, match="read-only"):
        save(EventGraph(), path)
    assert path.read_bytes() == before
    result = runner.invoke(app, ["export", str(tmp_path / "out.csv"), "--graph", str(path)])
    assert result.exit_code == 0, result.stderr  # reading a read-only graph is fine
    out = tmp_path / "out.csv"
    os.chmod(out, 0o444)
    result = runner.invoke(app, ["export", str(out), "--graph", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: export {out} is read-only: not overwritten "
                                                   "(change its mode first)"]


def test_orphan_temporaries_of_killed_runs_are_removed_and_live_ones_kept(tmp_path):
    path = tmp_path / "g.db"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f".g.db.{dead.pid}.abc.eventkg-tmp"
    orphan.write_text("left by a killed run")
    alive = tmp_path / f".g.db.{os.getppid()}.xyz.eventkg-tmp"
    alive.write_text("another run still writing")
    save(small_graph(), path)
    assert not orphan.exists() and alive.exists()


def test_a_failed_write_removes_its_temporary(tmp_path):
    path = tmp_path / "out.txt"
    with pytest.raises(RuntimeError):
        with replaced_file(path) as temporary:
            Path(temporary).write_text("half")
            raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_a_write_removes_the_temporary(tmp_path):
    script = ("import sys, time\nfrom graph.store import replaced_file\n"
              "with replaced_file(sys.argv[1]) as t:\n    open(t, 'w').write('x')\n"
              "    print('writing', flush=True)\n    time.sleep(30)\n")
    process = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "out.txt")],
                               cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == b"writing"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


@pytest.fixture()
def tiny_tmpfs(tmp_path):
    """A 1 MB tmpfs (needs root and mount permission; skipped where not allowed)."""
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def big_graph_mentions():
    from datetime import date, timedelta

    first = date(2000, 1, 1)
    return [make_event(f"d{n}", 0, ["CHN", "RUS"], start=(first + timedelta(days=10 * n)).isoformat(),  # apart: no merge
                       sentence="x" * 1000 + str(n)) for n in range(3000)]


def big_graph() -> EventGraph:
    events = big_graph_mentions()
    return apply_documents(EventGraph(), [(make_document(f"d{n}"), [e]) for n, e in enumerate(events)])


def test_disk_full_is_one_line_and_keeps_the_old_files(tiny_tmpfs, tmp_path):
    graph = tiny_tmpfs / "g.db"
    save(small_graph(), graph)
    before = graph.read_bytes()
    with pytest.raises(GraphFileError, match="cannot write graph file|disk is full|no space"):
        save(big_graph(), graph)
    assert graph.read_bytes() == before
    assert sorted(p.name for p in tiny_tmpfs.iterdir()) == ["g.db"]
    from graph.build import document_record, write_documents

    items = [(document_record(make_document(f"d{n}")), [m]) for n, m in
             enumerate(e.to_dict() for e in big_graph_mentions())]
    with pytest.raises(GraphFileError, match=f"cannot write graph file {graph}: database or disk is full"):
        write_documents(graph, items, batch_documents=5000)
    assert load(graph) == small_graph()  # the failed batch rolled back, the old graph intact
    with closing(sqlite3.connect(graph)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for leftover in ("g.db-wal", "g.db-shm"):  # the last connection closed: SQLite removed them
        assert not (tiny_tmpfs / leftover).exists()
    source = tmp_path / "big.db"
    save(big_graph(), source)
    for name in ("x.graphml", "x.gexf", "x.json", "x.csv"):
        target = tiny_tmpfs / name
        target.write_text("previous export")
        result = runner.invoke(app, ["export", str(target), "--graph", str(source)])
        assert result.exit_code == 1, name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "space" in lines[0], result.stderr
        assert target.read_text() == "previous export"
        assert sorted(p.name for p in tiny_tmpfs.iterdir()) == sorted(["g.db", name])
        target.unlink()


# -- builds with the real extractor -----------------------------------------------------------
def write_articles(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        (folder / f"a{n:04d}.txt").write_text(ARTICLE.format(n=n, day=1 + n % 28))


@pytest.mark.model
def test_incremental_build_skips_unchanged_and_redoes_changed(tmp_path):
    articles = tmp_path / "in"
    write_articles(articles, 3)
    path = tmp_path / "g.db"
    first = build([str(articles)], path)
    assert (first.added, first.skipped) == (3, 0) and first.events > 0
    again = build([str(articles)], path)
    assert (again.added, again.updated, again.skipped, again.bytes_written) == (0, 0, 3, 0)
    (articles / "a0001.txt").write_text(ARTICLE.format(n=1, day=1).replace("Japan protested against the drills. ", ""))
    changed = build([str(articles)], path)
    assert (changed.added, changed.updated, changed.skipped) == (0, 1, 2)
    g = load(path)
    kept = [m for m in g.mentions.values() if m["doc_id"] == "a0001"]
    assert kept and not any(m["action"]["plover"] == "PROTEST" for m in kept)


@pytest.mark.model
def test_build_imports_an_old_json_graph_given_as_graph(tmp_path):
    old = tmp_path / "eventkg.json"
    old_json_file(small_graph(), old)
    articles = tmp_path / "in"
    write_articles(articles, 1)
    result = runner.invoke(app, ["build", str(articles), "--graph", str(old)])
    assert result.exit_code == 0, result.stderr
    assert f"imported the old JSON graph {old} into {tmp_path / 'eventkg.db'}" in result.stderr
    g = load(tmp_path / "eventkg.db")
    assert set(g.documents) == {"a", "a0000"}
    assert load(old) == small_graph()  # the old file is left as it was


@pytest.mark.model
def test_build_with_nothing_readable_is_a_named_error(tmp_path):
    with pytest.raises(BuildError):
        build([str(tmp_path / "absent.txt")], tmp_path / "g.db")
    assert not (tmp_path / "g.db").exists()


@pytest.mark.model
def test_killed_build_keeps_its_committed_batches_and_the_next_build_completes(tmp_path):
    path = tmp_path / "g.db"
    first = tmp_path / "first.txt"
    first.write_text(ARTICLE.format(n=9999, day=1))
    build([str(first)], path)
    many = tmp_path / "many"
    write_articles(many, 1500)
    command = [sys.executable, "-m", "cli", "build", str(many), "--graph", str(path)]
    process = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and len(load(path).documents) < 2:
        time.sleep(0.5)
    time.sleep(1.0)
    assert process.poll() is None, "the build finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    kept = len(load(path).documents)
    assert 1 < kept < 1501
    summary = build([str(many)], path)
    assert summary.added == 1501 - kept and summary.skipped == kept - 1
    assert len(load(path).documents) == 1501
