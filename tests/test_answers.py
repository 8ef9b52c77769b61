"""Directed answers on both backends: `who` relations and filters, event names, the
reports of merged events, the `stats` labels (a small hand-made graph, no language model)."""
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
from graph.types import ON, WITH

runner = CliRunner()
STRIKE = "Israel and the United States struck nuclear sites in Iran overnight, officials said."
NAMES = {"ISR": "Israel", "USA": "United States", "IRN": "Iran", "CHN": "China", "RUS": "Russia",
         "JPN": "Japan", "IND": "India", "SAU": "Saudi Arabia", "ARE": "United Arab Emirates"}


def make_named(*args, **options):
    """`make_event` with the actors' real names."""
    from dataclasses import replace

    event = make_event(*args, **options)
    named = lambda group: tuple(replace(a, name=NAMES.get(a.id, a.id)) for a in group)  # noqa: E731
    return replace(event, actors=named(event.actors), targets=named(event.targets))


def answers_graph() -> EventGraph:
    joint_strike = make_named("wce-1", 0, ["ISR", "USA"], targets=["IRN"], plover="ASSAULT",
                              mode="", cameo="190", tags=["attack"], trigger="strike",
                              action_text="struck", start="2025-06-22", sentence=STRIKE)
    lone_strike = make_named("wce-2", 0, ["ISR"], targets=["IRN"], plover="ASSAULT", mode="",
                             cameo="190", tags=["attack"], trigger="strike", action_text="attacked",
                             start="2025-06-13", sentence="Israel attacked air defence sites in Iran.")
    reply = make_named("wce-2", 1, ["IRN"], targets=["ISR"], plover="ASSAULT", mode="", cameo="190",
                       tags=["attack"], trigger="fire", action_text="fired missiles",
                       start="2025-06-14", sentence="Iran fired missiles at Israel in reply.")
    sea_a = make_named("tass", 0, ["CHN", "RUS"], start="2024-07-14", end="2024-07-17",
                       granularity="range", name="Joint Sea-2024", action_text="drills",
                       sentence="China and Russia began the Joint Sea-2024 naval drills on Sunday.")
    sea_b = make_named("xinhua", 3, ["CHN", "RUS"], start="2024-07-15", end="2024-07-15",
                       name="Joint Sea-2024", action_text="exercise",
                       sentence="The Joint Sea-2024 exercise continued off Zhanjiang.")
    planned = make_named("tass", 4, ["CHN", "RUS"], start="2026-03-01", status="future",
                         name="Security Belt-2026", action_text="will hold",
                         sentence="China, Russia and Iran will hold Security Belt-2026 next year.")
    denied = make_named("kyodo", 0, ["JPN"], targets=["CHN"], plover="ASSAULT", mode="",
                        cameo="190", tags=["attack"], trigger="attack", start="2025-02-01",
                        status="negated", sentence="Japan did not attack any Chinese vessel.")
    return apply_documents(EventGraph(), [
        (make_document("wce-1", "2025-06-22"), [joint_strike]),
        (make_document("wce-2", "2025-06-14"), [lone_strike, reply]),
        (make_document("tass", "2024-07-15"), [sea_a, planned]),
        (make_document("xinhua", "2024-07-16"), [sea_b]),
        (make_document("kyodo", "2025-02-02"), [denied]),
        (make_document("empty", "2025-01-01"), []),
    ])


@pytest.fixture(scope="module")
def graph_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("answers") / "answers.db"
    save(answers_graph(), path)
    return path


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend_args(request, graph_path):
    """CLI arguments that query the answers graph on each backend (Neo4j: a real server)."""
    if request.param == "embedded":
        return ["--graph", str(graph_path)]
    from graph.neo4j.load import clear, load
    from graph.store import load as load_graph

    driver = request.getfixturevalue("neo4j_driver")
    settings = request.getfixturevalue("neo4j_settings")
    clear(driver, settings.database)
    load(driver, load_graph(graph_path), settings.database)
    return ["--backend", "neo4j", "--uri", settings.uri, "--user", settings.user,
            "--database", settings.database]


def run(args, *extra: str, columns: int = 200):
    from neo4j_server_control import settings_from_env

    env = {"COLUMNS": str(columns), "NEO4J_PASSWORD": settings_from_env().password}
    return runner.invoke(app, [*extra, *args], env=env)


def rows(args, *extra: str) -> list[dict]:
    result = run(args, *extra, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def relations(found: list[dict]) -> list[tuple]:
    return [(r["actor_a"], r["relation"], r["actor_b"], r["events"]) for r in found]


def test_who_separates_with_and_on_rows(backend_args):
    found = rows(backend_args, "who", "--did", "attack")
    assert relations(found) == [("ISR", ON, "IRN", 2), ("IRN", ON, "ISR", 1),
                                ("ISR", WITH, "USA", 1), ("USA", ON, "IRN", 1)]
    joint = found[2]
    assert (joint["name_a"], joint["name_b"]) == ("Israel", "United States")
    assert (joint["first"], joint["last"], joint["types"]) == ("2025-06-22", "2025-06-22", ["ASSAULT/attack"])
    assert joint["evidence"] == STRIKE and joint["doc_id"] == "wce-1"
    assert found[0]["first"] == "2025-06-13" and found[0]["last"] == "2025-06-22"


def test_who_source_keeps_what_the_actor_did_and_puts_it_first(backend_args):
    found = rows(backend_args, "who", "--did", "attack", "--source", "usa")
    assert relations(found) == [("USA", ON, "IRN", 1), ("USA", WITH, "ISR", 1)]
    assert found[1]["name_a"] == "United States"


def test_who_target_keeps_rows_acting_on_it(backend_args):
    found = rows(backend_args, "who", "--did", "attack", "--target", "Iran")
    assert relations(found) == [("ISR", ON, "IRN", 2), ("USA", ON, "IRN", 1)]


def test_who_pair_keeps_both_directions(backend_args):
    found = rows(backend_args, "who", "--pair", "IRN,ISR")
    assert relations(found) == [("ISR", ON, "IRN", 2), ("IRN", ON, "ISR", 1)]


def test_who_status_counts_only_that_status(backend_args):
    assert relations(rows(backend_args, "who", "--status", "negated")) == [("JPN", ON, "CHN", 1)]
    found = rows(backend_args, "who", "--status", "future", "--status", "asserted", "--did", "exercise")
    assert relations(found) == [("CHN", WITH, "RUS", 2)]
    assert relations(rows(backend_args, "who", "--did", "exercise")) == [("CHN", WITH, "RUS", 1)]


def test_who_limit_and_sort(backend_args):
    assert relations(rows(backend_args, "who", "--limit", "1")) == [("ISR", ON, "IRN", 2)]
    latest = rows(backend_args, "who", "--sort", "last")
    assert [r["last"] for r in latest] == sorted((r["last"] for r in latest), reverse=True)
    earliest = rows(backend_args, "who", "--sort", "first", "--limit", "2")
    assert [(r["actor_a"], r["first"]) for r in earliest] == [("CHN", "2024-07-14"), ("ISR", "2025-06-13")]
    by_actor = rows(backend_args, "who", "--sort", "actor")
    assert [(r["actor_a"], r["actor_b"]) for r in by_actor] == sorted((r["actor_a"], r["actor_b"]) for r in by_actor)


def test_who_evidence_names_the_event(backend_args):
    (row,) = rows(backend_args, "who", "--did", "exercise")
    assert row["event_name"] == "Joint Sea-2024"
    assert "Joint Sea-2024" in row["evidence"]
    table = run(backend_args, "who", "--did", "exercise")
    assert table.exit_code == 0 and "Joint Sea-2024" in table.stdout and "China" in table.stdout


@pytest.mark.parametrize("args, fragment", [
    (["--pair", "CHN"], "--pair"), (["--pair", "CHN,CHN"], "two different"),
    (["--source", "Atlantis"], "unknown actor"), (["--sort", "size"], "size"),
    (["--status", "rumoured"], "rumoured"), (["--limit", "-1"], "--limit"),
])
def test_who_bad_filters_are_one_line_errors(backend_args, args, fragment):
    result = run(backend_args, "who", *args)
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip() and not set(line) <= set("╭╰─│ ")]
    assert any(fragment in line for line in lines), result.stderr
    assert "Traceback" not in result.output


def test_events_by_name(backend_args):
    found = rows(backend_args, "events", "--name", "joint sea 2024")
    assert [(r["name"], r["mentions"]) for r in found] == [("Joint Sea-2024", 2)]
    assert rows(backend_args, "events", "--name", "security belt")[0]["status"] == "future"
    assert rows(backend_args, "events", "--name", "Vostok") == []
    assert rows(backend_args, "events", "--name", "Sea") == rows(backend_args, "events", "--name", "JOINT-SEA")


def test_events_show_mentions_lists_every_report(backend_args):
    found = rows(backend_args, "events", "--name", "Joint Sea-2024", "--show-mentions")
    assert [(r["doc_id"], r["sentence_index"]) for r in found] == [("tass", 0), ("xinhua", 3)]
    assert {r["event_id"] for r in found} == {found[0]["event_id"]}
    assert found[1]["sentence"] == "The Joint Sea-2024 exercise continued off Zhanjiang."
    every = rows(backend_args, "events", "--show-mentions")
    assert len(every) == 7 and len({r["event_id"] for r in every}) == 6


def test_show_mentions_says_why_each_report_is_part_of_the_event(backend_args):
    found = rows(backend_args, "events", "--name", "Joint Sea-2024", "--show-mentions")
    assert [r["linked_by"] for r in found] == ["same name (Joint Sea-2024)"] * 2
    alone = rows(backend_args, "events", "--did", "attack", "--show-mentions", "--since", "2025-06-20")
    assert [r["linked_by"] for r in alone] == ["the only report"]


def test_stats_labels_undated_years_unknown(tmp_path):
    undated = make_event("d", 0, ["CHN", "RUS"], start=None)
    path = tmp_path / "u.db"
    save(apply_documents(EventGraph(), [(make_document("d"), [undated])]), path)
    found = rows(["--graph", str(path)], "stats")
    assert {"group": "year", "key": "unknown", "count": 1} in found


@pytest.mark.neo4j
def test_stats_labels_are_the_same_on_both_backends(tmp_path, neo4j_driver, neo4j_settings):
    from graph.backend import EmbeddedBackend
    from graph.neo4j import Neo4jBackend
    from graph.neo4j.load import clear, load

    g = apply_documents(EventGraph(), [(make_document("d"), [make_event("d", 0, ["CHN", "RUS"], start=None),
                                                            make_event("d", 1, ["CHN", "IND"])])])
    path = tmp_path / "u.db"
    save(g, path)
    clear(neo4j_driver, neo4j_settings.database)
    load(neo4j_driver, g, neo4j_settings.database)
    embedded = EmbeddedBackend(path).stats()
    assert embedded == Neo4jBackend(neo4j_settings, driver=neo4j_driver).stats()
    assert ("year", "unknown") in {(r.group, r.key) for r in embedded}


def test_csv_has_a_header_even_when_empty(backend_args):
    for command, first in (("who", "actor_a"), ("events", "id"), ("timeline", "id")):
        result = run(backend_args, command, "--since", "2031", "--format", "csv")
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == 1 and lines[0].split(",")[0] == first, (command, result.stdout)
    result = run(backend_args, "events", "--show-mentions", "--since", "2031", "--format", "csv")
    assert next(csv.reader(io.StringIO(result.stdout)))[:2] == ["event_id", "start"]


def test_did_list_prints_the_vocabulary():
    result = runner.invoke(app, ["who", "--did", "list"])
    assert result.exit_code == 0
    for word in ("exercise", "attack", "COOPERATE", "military", "CAMEO", "hypothetical"):
        assert word in result.stdout


@pytest.mark.neo4j
def test_both_backends_implement_the_contract(graph_path, neo4j_driver, neo4j_settings):
    from graph.backend import EmbeddedBackend
    from graph.neo4j import Neo4jBackend
    from graph.types import GraphBackend

    assert isinstance(EmbeddedBackend(graph_path), GraphBackend)
    assert isinstance(Neo4jBackend(neo4j_settings, driver=neo4j_driver), GraphBackend)


@pytest.mark.parametrize("options", [{}, {"source": "ISR"}, {"target": "IRN"}, {"pair": ("IRN", "ISR")},
                                     {"sort": "last", "limit": 3}, {"sort": "first"}, {"sort": "actor"}])
@pytest.mark.parametrize("statuses", [(), ("future", "asserted"), ("negated",)])
def test_embedded_sql_answers_as_the_in_memory_queries(graph_path, options, statuses):
    from graph import queries
    from graph.backend import EmbeddedBackend
    from graph.types import Filters, PairFilter

    g, backend = answers_graph(), EmbeddedBackend(graph_path)
    filters = Filters(statuses=statuses)
    assert backend.who(filters, PairFilter(**options)) == queries.who(g, filters, PairFilter(**options))
    assert backend.mentions(filters) == queries.mentions(g, filters)
    named = Filters(names=backend.resolve_names("joint sea"))
    assert backend.events(named) == queries.events(g, named)
    assert queries.resolve_names(g, "joint sea") == ("Joint Sea-2024",)
    assert backend.stats() == queries.stats(g)
