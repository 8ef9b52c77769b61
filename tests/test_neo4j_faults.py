"""Neo4j faults: server down, wrong password, and a server killed in the middle of a load."""
from __future__ import annotations

import socket
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from cli import app
from extract.records import Action, Actor, Event, TimeSpan
from graph.model import build_graph
from graph.neo4j import (Neo4jAuthError, Neo4jBackend, Neo4jSettings,
                                 Neo4jUnavailable, connect)
from graph.neo4j.load import counts, load
from neo4j_server_control import server_script


runner = CliRunner()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_one_error_line(result, *fragments: str) -> None:
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("command", [["who"], ["stats"], ["neo4j", "load"],
                                     ["path", "CHN", "RUS"]])
def test_server_down_is_one_error_line(seed_graph_path, command, monkeypatch):
    uri = f"bolt://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "whatever-it-is")
    options = [] if command[0] == "neo4j" else ["--backend", "neo4j"]
    result = runner.invoke(app, [*command, *options, "--graph", str(seed_graph_path)])
    assert_one_error_line(result, "cannot reach Neo4j", uri)


def test_build_into_a_down_server_fails_before_extracting(shared_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{closed_port()}")
    graph_file = tmp_path / "g.json"
    result = runner.invoke(app, ["build", str(shared_dir / "seed" / "article.txt"),
                                 "--graph", str(graph_file), "--backend", "neo4j"])
    assert_one_error_line(result, "cannot reach Neo4j")
    assert not graph_file.exists()


@pytest.mark.neo4j
def test_wrong_password_is_a_clear_error(neo4j_driver, neo4j_settings, seed_graph_path):
    wrong = Neo4jSettings(neo4j_settings.uri, neo4j_settings.user, "not-the-password",
                          neo4j_settings.database)
    with pytest.raises(Neo4jAuthError, match="refused the credentials"):
        connect(wrong)
    result = runner.invoke(app, ["neo4j", "load", "--graph", str(seed_graph_path),
                                 "--uri", wrong.uri, "--password", wrong.password])
    assert_one_error_line(result, "refused the credentials")


def synthetic_graph(events: int):
    """`events` distinct events (different days), each reported once, over 40 documents."""
    mentions = []
    for number in range(events):
        day = (date(2020, 1, 1) + timedelta(days=number)).isoformat()
        actors = (Actor(f"A{number % 13:02d}", "a"), Actor(f"B{number % 11:02d}", "b"))
        mentions.append(Event(f"doc{number % 40}", number, f"Drills number {number}.", (0, 6),
                              actors, (), Action("drill", "drills", "COOPERATE", "military",
                                                 "062", ("exercise",)),
                              TimeSpan(day, day, day, "day")).to_dict())
    documents = {f"doc{n}": {"id": f"doc{n}", "title": f"Doc {n}"} for n in range(40)}
    return build_graph(documents, mentions)


@pytest.mark.neo4j
def test_load_cut_by_a_killed_server_completes_without_duplicates_when_run_again(
        empty_neo4j, neo4j_settings, managed_server):
    graph = synthetic_graph(3000)
    view = graph.to_networkx()
    expected = (view.number_of_nodes(), view.number_of_edges())
    event_batches = 0

    def kill_after_some_event_batches(step: str, rows: int) -> None:
        nonlocal event_batches
        if step == "Event":
            event_batches += 1
            if event_batches == 5:
                assert server_script("kill", timeout=60).returncode == 0

    with pytest.raises(Neo4jUnavailable):
        load(empty_neo4j, graph, neo4j_settings.database, batch_size=200,
             on_batch=kill_after_some_event_batches)

    started = server_script("start")
    assert started.returncode == 0, started.stderr
    partial = counts(empty_neo4j, neo4j_settings.database)
    assert 0 < partial[0] < expected[0]

    summary = load(empty_neo4j, graph, neo4j_settings.database, batch_size=200)
    assert (summary.nodes, summary.relationships) == expected
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (n) WHERE n:Actor OR n:Event OR n:Document "
        "WITH labels(n)[0] AS label, n.id AS id, count(*) AS copies WHERE copies > 1 "
        "RETURN count(*) AS duplicated")
    assert records[0]["duplicated"] == 0
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (a)-[r]->(b) WITH a, b, type(r) AS kind, r.role AS role, "
        "r.sentence_index AS index, count(*) AS copies WHERE copies > 1 "
        "RETURN count(*) AS duplicated")
    assert records[0]["duplicated"] == 0
    totals = {r.key: r.count for r in Neo4jBackend(neo4j_settings, driver=empty_neo4j).stats()
              if r.group == "total"}
    assert totals == {"documents": 40, "events": 3000, "mentions": 3000, "actors": 24}
