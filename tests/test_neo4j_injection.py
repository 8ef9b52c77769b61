"""Hostile text in names, ids and sentences is stored literally and runs nothing (real server)."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import app
from extract.records import Action, Actor, Event, TimeSpan
from graph.errors import UnknownActor
from graph.model import build_graph
from graph.neo4j import Neo4jBackend
from graph.neo4j.load import counts, load
from graph.types import Filters


pytestmark = pytest.mark.neo4j
runner = CliRunner()

HOSTILE = [
    "'}) DETACH DELETE n //",
    '"}) MATCH (m) DETACH DELETE m //',
    "`Actor`) DETACH DELETE n RETURN (`x",
    "O'Brien said \"enough\" and left",
    "{id: 'CHN', name: $rows}",
    "$rows",
    "back\\slash \\' and \\\"",
    "line\nbreak\ttab",
    "DROP CONSTRAINT actor_id",
    "中俄 «учения» ünïcödé 🚢",
]


def hostile_graph():
    mentions, documents = [], {}
    for number, text in enumerate(HOSTILE):
        doc_id = f"doc {text}"
        documents[doc_id] = {"id": doc_id, "title": text, "url": text}
        mentions.append(Event(
            doc_id, number, f"{text} held drills with Russia.", (0, len(text)),
            (Actor(text, f"name {text}", "group"), Actor("RUS", "Russia")), (),
            Action("drill", text, "COOPERATE", "military", "062", ("exercise",)),
            TimeSpan(text, f"2024-01-{number + 1:02d}", f"2024-01-{number + 1:02d}", "day"),
        ).to_dict())
    return build_graph(documents, mentions)


@pytest.fixture
def sentinel(empty_neo4j, neo4j_settings):
    """A node outside eventkg's labels that an injected DELETE would take with it."""
    empty_neo4j.execute_query("MERGE (:Sentinel {name: 'keep me'})",
                              database_=neo4j_settings.database)
    yield
    empty_neo4j.execute_query("MATCH (s:Sentinel) DELETE s", database_=neo4j_settings.database)


def sentinels(driver) -> int:
    return driver.execute_query("MATCH (s:Sentinel) RETURN count(s) AS n").records[0]["n"]


def test_hostile_values_are_stored_literally(empty_neo4j, neo4j_settings, sentinel):
    graph = hostile_graph()
    view = graph.to_networkx()
    summary = load(empty_neo4j, graph, neo4j_settings.database, batch_size=3)

    assert (summary.nodes, summary.relationships) == (view.number_of_nodes(),
                                                       view.number_of_edges())
    assert sentinels(empty_neo4j) == 1
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (a:Actor) WHERE a.id <> 'RUS' RETURN a.id AS id, a.name AS name")
    assert sorted((r["id"], r["name"]) for r in records) == sorted(
        (text, f"name {text}") for text in HOSTILE)
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (:Event)-[r:REPORTED_IN]->(d:Document) RETURN d.id AS doc, d.title AS title, "
        "r.sentence AS sentence")
    assert sorted((r["doc"], r["title"], r["sentence"]) for r in records) == sorted(
        (f"doc {text}", text, f"{text} held drills with Russia.") for text in HOSTILE)
    constraints = empty_neo4j.execute_query("SHOW CONSTRAINTS YIELD name RETURN name").records
    assert {"actor_id", "event_id", "document_id"} <= {r["name"] for r in constraints}


def test_hostile_query_arguments_match_literally_and_delete_nothing(empty_neo4j, neo4j_settings,
                                                                   sentinel):
    load(empty_neo4j, hostile_graph(), neo4j_settings.database)
    before = counts(empty_neo4j, neo4j_settings.database)
    backend = Neo4jBackend(neo4j_settings, driver=empty_neo4j)

    for text in HOSTILE:
        rows = backend.who(Filters(actors=(text,)))
        assert [(r.actor_a, r.actor_b) for r in rows] == [tuple(sorted((text, "RUS")))]
        assert rows[0].evidence == f"{text} held drills with Russia."
    with pytest.raises(UnknownActor):
        backend.resolve_actors(["x'}) MATCH (n) DETACH DELETE n //"])
    assert backend.who(Filters(actors=("') DETACH DELETE n //",))) == []

    assert counts(empty_neo4j, neo4j_settings.database) == before
    assert sentinels(empty_neo4j) == 1


def test_cli_with_a_hostile_actor_is_one_error_line(empty_neo4j, neo4j_settings, sentinel,
                                                    monkeypatch):
    load(empty_neo4j, hostile_graph(), neo4j_settings.database)
    before = counts(empty_neo4j, neo4j_settings.database)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    result = runner.invoke(app, ["who", "--backend", "neo4j", "--actor",
                                 "zz'}) MATCH (n) DETACH DELETE n //"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown actor")
    assert counts(empty_neo4j, neo4j_settings.database) == before
    assert sentinels(empty_neo4j) == 1
