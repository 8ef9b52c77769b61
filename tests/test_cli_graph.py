"""The graph commands end to end on a small hand-made graph (no language model needed)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from cli import app
from graph.build import apply_documents
from graph.model import EventGraph
from graph.store import save
from graph.synthetic import make_document, make_event

runner = CliRunner()
COMMANDS = ["build", "who", "path", "timeline", "events", "export", "stats", "import-graph"]


@pytest.fixture()
def graph_file(tmp_path):
    drills = make_event("tass", 0, ["CHN", "RUS"], location="RUS",
                        sentence="China and Russia held joint missile drills on Sunday.")
    echo = make_event("xinhua", 1, ["CHN", "RUS"], start="2025-12-01", end="2025-12-07",
                      granularity="week", sentence="The drills this week were defensive.")
    naval = make_event("tass", 3, ["RUS", "CHN"], start="2025-01-01", end="2025-12-08",
                       granularity="range", trigger="operation",
                       sentence="Earlier this year Russia and China held naval operations.")
    pact = make_event("tass", 5, ["CHN", "RUS"], plover="AGREE", mode="", cameo="057",
                      tags=["agreement"], trigger="sign", start="2022-01-01", end="2022-12-31",
                      granularity="year", sentence="Beijing and Moscow signed a pact in 2022.")
    worry = make_event("kyodo", 2, ["JPN"], targets=["CHN"], plover="ACCUSE", mode="disapprove",
                       cameo="112", tags=["statement"], trigger="express", start="2025-12-08",
                       sentence="Japan expressed worry about China's navy.")
    future = make_event("tass", 9, ["CHN", "RUS"], start="2025-12-08", end="2026-06-08",
                        granularity="range", status="future", sentence="Training will continue.")
    old = make_event("tass", 11, ["CHN", "IND"], start="2019-05-01", sentence="China and India drilled in 2019.")
    g = apply_documents(EventGraph(), [
        (make_document("tass"), [drills, naval, pact, future, old]),
        (make_document("xinhua"), [echo]), (make_document("kyodo"), [worry])])
    path = tmp_path / "g.db"
    save(g, path)
    return path


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})


def json_rows(result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) > 3


def test_who_exercised_with_whom_since_2022(graph_file):
    rows = json_rows(run("who", "--did", "exercise", "--since", "2022", "--graph", str(graph_file),
                         "--format", "json"))
    assert [(r["actor_a"], r["actor_b"], r["events"]) for r in rows] == [("CHN", "RUS", 2)]
    assert rows[0]["first"] == "2025-01-01" and rows[0]["last"] == "2025-12-07"
    assert rows[0]["types"] == ["COOPERATE/exercise"]
    assert rows[0]["evidence"] == "China and Russia held joint missile drills on Sunday."


def test_who_counts_future_events_only_when_asked(graph_file):
    args = ["who", "--did", "drills", "--since", "2022", "--graph", str(graph_file), "--format", "json"]
    assert json_rows(run(*args))[0]["events"] == 2
    assert json_rows(run(*args, "--include-future"))[0]["events"] == 3


def test_who_without_since_and_with_actor_filter(graph_file):
    rows = json_rows(run("who", "--graph", str(graph_file), "--format", "json", "--actor", "india"))
    assert [(r["actor_a"], r["actor_b"]) for r in rows] == [("CHN", "IND")]
    rows = json_rows(run("who", "--graph", str(graph_file), "--format", "json", "--until", "2022"))
    assert [(r["actor_a"], r["actor_b"], r["types"]) for r in rows] == [
        ("CHN", "IND", ["COOPERATE/exercise"]), ("CHN", "RUS", ["AGREE/agreement"])]


def test_who_accepts_plover_and_cameo_forms(graph_file):
    rows = json_rows(run("who", "--did", "COOPERATE:military", "--since", "2022", "--graph",
                         str(graph_file), "--format", "json"))
    assert [r["types"] for r in rows] == [["COOPERATE/exercise"]]
    assert json_rows(run("who", "--did", "COOPERATE:economic", "--graph", str(graph_file),
                         "--format", "json")) == []
    for what in ("AGREE", "agree:", "05"):
        rows = json_rows(run("who", "--did", what, "--graph", str(graph_file), "--format", "json"))
        assert [r["types"] for r in rows] == [["AGREE/agreement"]], what


def test_path_goes_through_events(graph_file):
    rows = json_rows(run("path", "japan", "Moscow", "--graph", str(graph_file), "--format", "json"))
    first = [r for r in rows if r["path"] == 1]
    assert [(r["source"], r["target"]) for r in first] == [("JPN", "CHN"), ("CHN", "RUS")]
    assert first[0]["evidence"] == "Japan expressed worry about China's navy."
    assert first[1]["date"] == "2025-12-07"


def test_timeline_is_chronological_with_evidence(graph_file):
    rows = json_rows(run("timeline", "CHN", "RUS", "--graph", str(graph_file), "--format", "json"))
    assert [r["start"] for r in rows] == ["2022-01-01", "2025-01-01", "2025-12-07"]
    assert all(r["evidence"] for r in rows)
    future = json_rows(run("timeline", "CHN", "RUS", "--include-future", "--graph", str(graph_file),
                           "--format", "json"))
    assert future[-1]["status"] == "future"


def test_events_lists_every_status_and_filters(graph_file):
    rows = json_rows(run("events", "--graph", str(graph_file), "--format", "json"))
    assert len(rows) == 6
    assert {r["status"] for r in rows} == {"asserted", "future"}
    rows = json_rows(run("events", "--actor", "JPN", "--graph", str(graph_file), "--format", "json"))
    assert [r["plover"] for r in rows] == ["ACCUSE"]


def test_csv_and_table_formats(graph_file):
    result = run("who", "--graph", str(graph_file), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["actor_a"] + r["relation"] + r["actor_b"] for r in rows} == {"CHNwithRUS", "CHNwithIND", "JPN→CHN"}
    table = run("timeline", "CHN", "RUS", "--graph", str(graph_file))
    assert table.exit_code == 0 and "2022-01-01" in table.stdout and "evidence" in table.stdout


def test_stats_counts(graph_file):
    rows = json_rows(run("stats", "--graph", str(graph_file), "--format", "json"))
    totals = {r["key"]: r["count"] for r in rows if r["group"] == "total"}
    assert totals == {"documents": 3, "events": 6, "mentions": 7, "actors": 4}
    years = {r["key"]: r["count"] for r in rows if r["group"] == "year"}
    assert years == {"2019": 1, "2022": 1, "2025": 4}


def test_graph_file_from_environment(graph_file, tmp_path):
    result = run("stats", "--format", "json", env={"EVENTKG_GRAPH": str(graph_file)})
    assert json_rows(result)


def test_export_command(graph_file, tmp_path):
    out = tmp_path / "actors.graphml"
    result = run("export", str(out), "--view", "actors", "--graph", str(graph_file))
    assert result.exit_code == 0, result.stderr
    assert out.read_text().count("<node ") == 4


@pytest.mark.parametrize("args, fragments", [
    (["who", "--actor", "Atlantis"], ["unknown actor", "Atlantis"]),
    (["path", "JPN", "IND", "--max-hops", "1"], ["no chain", "JPN", "IND"]),
    (["path", "JPN", "Narnia"], ["unknown actor"]),
    (["who", "--since", "last year"], ["--since", "YYYY"]),
    (["timeline", "--until", "2022-02-30"], ["--until"]),
    (["events", "--since", "2024", "--until", "2023"], ["--since", "after"]),
    (["who", "--did", "juggled"], ["--did"]),
    (["export", "out.xlsx"], [".graphml"]),
])
def test_bad_queries_fail_with_one_line(graph_file, args, fragments):
    assert_one_line_error(run(*args, "--graph", str(graph_file)), *fragments)


def test_actor_known_but_absent_from_graph(graph_file):
    assert_one_line_error(run("who", "--actor", "France", "--graph", str(graph_file)),
                          "FRA", "does not occur")


def test_missing_and_corrupt_graph_files(tmp_path):
    assert_one_line_error(run("who", "--graph", str(tmp_path / "none.db")), "not found")
    old = tmp_path / "old.json"
    old.write_text('{"format": "eventkg-graph", "version": 1, "documents": [')
    assert_one_line_error(run("stats", "--graph", str(old)), "old JSON graph", "import-graph")
    other = tmp_path / "other.db"
    other.write_text("nodes, edges\n")
    assert_one_line_error(run("timeline", "--graph", str(other)), "not an SQLite database")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert_one_line_error(run("events", "--graph", str(empty)), "empty")
    foreign = tmp_path / "foreign.db"
    import sqlite3
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    assert_one_line_error(run("who", "--graph", str(foreign)), "not an eventkg graph")


def test_build_of_missing_file_fails_cleanly(tmp_path):
    result = run("build", str(tmp_path / "nothing.txt"), "--graph", str(tmp_path / "g.db"))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert not (tmp_path / "g.db").exists()
