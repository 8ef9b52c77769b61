"""Long builds: the input count behind the total, progress lines, Ctrl-C keeping finished
documents, and `build --actors/--triggers`."""
from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from extract.readers.count import count_documents
from graph.progress import LogProgress, progress_line

runner = CliRunner()
PAIRS = [("China", "Russia"), ("Japan", "India"), ("France", "Germany"), ("Egypt", "Jordan")]


def write_articles(folder: Path, count: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        a, b = PAIRS[i % len(PAIRS)]
        (folder / f"a{i:04d}.txt").write_text(
            f"Published: 2024-0{1 + i % 9}-1{i % 9}\n\n{a} and {b} held joint naval drills on Sunday "
            f"near the coast. Officials said exercise number {i} lasted three days.\n", encoding="utf-8")


def test_count_documents_per_format(tmp_path):
    (tmp_path / "one.txt").write_text("China and Russia met.", encoding="utf-8")
    (tmp_path / "many.jsonl").write_text('{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\n'
                                         '{"id": "c", "text": "z"}', encoding="utf-8")
    (tmp_path / "rows.csv").write_text("id,text\n1,a\n2,b\n", encoding="utf-8")
    (tmp_path / "wire.sgm").write_bytes(b"<REUTERS NEWID=1>a</REUTERS>\n" * 5)
    (tmp_path / "README.md").write_text("not an article", encoding="utf-8")
    (tmp_path / "README.txt").write_text("not an article either", encoding="utf-8")
    (tmp_path / "notes.odt").write_bytes(b"\x00")
    assert count_documents([str(tmp_path / "many.jsonl")]) == 3
    assert count_documents([str(tmp_path / "wire.sgm")]) == 5
    assert count_documents([str(tmp_path)]) == 1 + 3 + 2 + 5
    assert count_documents([str(tmp_path / "one.txt"), "-"]) is None


def test_count_spans_chunk_boundaries(tmp_path, monkeypatch):
    import extract.readers.count as count

    monkeypatch.setattr(count, "_CHUNK", 7)  # every tag and line crosses a chunk boundary
    (tmp_path / "wire.sgm").write_bytes(b"<REUTERS NEWID=1>abc</REUTERS>" * 9)
    (tmp_path / "lines.jsonl").write_text("".join(f'{{"id": "{i}", "text": "t"}}\n' for i in range(11)))
    assert count_documents([str(tmp_path / "wire.sgm")]) == 9
    assert count_documents([str(tmp_path / "lines.jsonl")]) == 11


def test_progress_line_has_total_rate_and_eta():
    assert progress_line(250, 1000, 10.0) == "build: 250/1,000 documents (25%), 25.0 documents/s, ETA 30s"
    assert progress_line(1000, 1000, 40.0) == "build: 1,000/1,000 documents (100%), 25.0 documents/s"
    assert progress_line(30, None, 3.0) == "build: 30 documents, 10.0 documents/s"
    assert "ETA 1h06m40s" in progress_line(1, 4001, 1.0)


def test_log_progress_writes_every_n_documents():
    now = [0.0]
    stream = io.StringIO()
    log = LogProgress(7, stream, every=3, clock=lambda: now[0])
    for _ in range(7):
        now[0] += 1.0  # one document a second
        log.advance()
    lines = stream.getvalue().splitlines()
    assert lines == ["build: 3/7 documents (42%), 1.0 documents/s, ETA 4s",
                     "build: 6/7 documents (85%), 1.0 documents/s, ETA 1s"]


def _documents(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM documents").fetchone()[0]


@pytest.mark.model
def test_build_logs_progress_when_stderr_is_not_a_terminal(tmp_path):
    write_articles(tmp_path / "docs", 12)
    result = runner.invoke(app, ["build", str(tmp_path / "docs"), "--graph", str(tmp_path / "g.db"),
                                 "--progress-every", "5"])
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("build: ")]
    assert [line.split(" documents")[0] for line in progress] == ["build: 5/12", "build: 10/12"]
    assert "documents/s" in progress[0] and "ETA" in progress[0]
    assert "12 documents read: 12 added" in result.stderr


@pytest.mark.model
def test_ctrl_c_keeps_finished_documents_and_a_rerun_finishes(tmp_path):
    docs, graph = tmp_path / "docs", tmp_path / "g.db"
    write_articles(docs, 1200)
    command = [sys.executable, "-c", "from cli import main; main()", "build", str(docs),
               "--graph", str(graph), "--progress-every", "20"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    seen = 0
    for line in process.stderr:
        if line.startswith("build: "):
            seen = int(line.split()[1].split("/")[0].replace(",", ""))
            if seen >= 100:
                process.send_signal(signal.SIGINT)
                break
    rest = process.stderr.read()
    assert process.wait(timeout=120) == 130
    errors = [line for line in rest.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "interrupted" in errors[0] and "Traceback" not in rest
    kept = _documents(graph)
    assert seen <= kept < 1200  # everything reported done is there, and the build did stop
    assert f"{kept} documents finished before it are kept" in errors[0]

    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"1200 documents read: {1200 - kept} added, 0 updated, {kept} unchanged" in again.stderr
    assert _documents(graph) == 1200


@pytest.mark.model
def test_build_takes_actor_and_trigger_files(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Published: 2024-03-01\n\nWakanda and Genovia held joint drills "
                                "on Sunday. Wakanda zorbled Genovia on Monday.\n", encoding="utf-8")
    actors = tmp_path / "actors.json"
    actors.write_text(json.dumps({"entities": [
        {"id": "wakanda", "kind": "group", "name": "Wakanda", "aliases": ["Wakanda"]},
        {"id": "genovia", "kind": "group", "name": "Genovia", "aliases": ["Genovia"]}]}))
    triggers = tmp_path / "triggers.json"
    triggers.write_text(json.dumps({"triggers": [
        {"lemma": "zorble", "pos": "VERB", "plover": "ASSAULT", "mode": "", "cameo": "190",
         "tags": ["attack"]}]}))
    graph = tmp_path / "g.db"
    plain = runner.invoke(app, ["build", str(docs), "--graph", str(tmp_path / "plain.db")])
    assert plain.exit_code == 0, plain.output
    result = runner.invoke(app, ["build", str(docs), "--graph", str(graph), "--actors", str(actors),
                                 "--triggers", str(triggers)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(graph) as db:
        types = sorted(row[0] for row in db.execute("SELECT plover FROM events"))
        actors_found = {row[0] for row in db.execute("SELECT id FROM actors")}
    assert types == ["ASSAULT", "COOPERATE"] and actors_found == {"wakanda", "genovia"}
    with sqlite3.connect(tmp_path / "plain.db") as db:
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


@pytest.mark.model
def test_build_on_a_terminal_shows_a_bar_with_total_rate_and_eta(tmp_path):
    import pty
    import re
    import select

    write_articles(tmp_path / "docs", 400)
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "COLUMNS": "120",
           "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-c", "from cli import main; main()", "build",
                                str(tmp_path / "docs"), "--graph", str(tmp_path / "g.db")],
                               stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    screen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the build is over
            break
        if not chunk:
            break
        screen += chunk
    assert process.wait(timeout=120) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode("utf-8", "replace"))
    frames = re.findall(r"building\S*\s.*?(\d+)/400.*?(\d+\.\d) docs/s ETA\s+(\S+)", text)
    assert frames, text[-2000:]
    done = [int(n) for n, _, _ in frames]
    assert done == sorted(done) and done[-1] >= 100  # the bar advanced, counting towards the total
    assert "400 documents read: 400 added" in text
