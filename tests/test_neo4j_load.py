"""Loading the event graph into a real Neo4j server: counts, idempotence, re-merges."""
from __future__ import annotations

from collections import Counter

import pytest

from extract.records import Action, Actor, Event, TimeSpan
from graph.model import build_graph
from graph.neo4j_load import counts, graph_rows, load


pytestmark = pytest.mark.neo4j


def networkx_counts(g) -> tuple[int, int]:
    view = g.to_networkx()
    return view.number_of_nodes(), view.number_of_edges()


def neo4j_by_label(driver) -> Counter:
    records, _, _ = driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")
    return Counter({r["label"]: r["n"] for r in records})


def networkx_by_label(g) -> Counter:
    return Counter(data["type"] for _, data in g.to_networkx().nodes(data=True))


@pytest.fixture(params=["seed", "examples"])
def corpus_graph(request):
    return request.getfixturevalue(f"{request.param}_graph")


def test_load_holds_the_networkx_graph_and_a_second_load_changes_nothing(empty_neo4j,
                                                                         corpus_graph):
    expected = networkx_counts(corpus_graph)
    assert expected[0] > 0 and expected[1] > 0

    first = load(empty_neo4j, corpus_graph, batch_size=7)
    assert (first.nodes, first.relationships) == expected
    assert neo4j_by_label(empty_neo4j) == networkx_by_label(corpus_graph)

    second = load(empty_neo4j, corpus_graph, batch_size=7)
    assert (second.nodes, second.relationships) == expected
    assert counts(empty_neo4j) == expected


def test_node_properties_equal_the_networkx_attributes(empty_neo4j, seed_graph):
    load(empty_neo4j, seed_graph)
    view = seed_graph.to_networkx()
    records, _, _ = empty_neo4j.execute_query("MATCH (e:Event) RETURN e {.*} AS props")
    stored = {r["props"]["id"]: r["props"] for r in records}
    for _, data in view.nodes(data=True):
        if data["type"] != "Event":
            continue
        wanted = {k: v for k, v in data.items() if k != "type" and v is not None}
        assert stored[data["id"]] == wanted


def test_reports_carry_sentence_span_and_exactly_one_quoted_mention(empty_neo4j, seed_graph):
    load(empty_neo4j, seed_graph)
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (e:Event)-[r:REPORTED_IN]->(d:Document) "
        "RETURN e.id AS event, count(r) AS reports, "
        "sum(CASE WHEN r.evidence THEN 1 ELSE 0 END) AS quoted, "
        "collect(r.sentence) AS sentences, collect(r.span) AS spans")
    assert len(records) == len(seed_graph.events)
    for record in records:
        event = {e.id: e for e in seed_graph.events}[record["event"]]
        assert record["reports"] == len(event.mention_ids)
        assert record["quoted"] == 1
        assert all(record["sentences"]) and all(len(span) == 2 for span in record["spans"])


def mention(doc: str, index: int, actors: tuple[str, ...], start: str, tags=("exercise",)):
    return Event(doc, index, f"Sentence {index} of {doc}.", (0, 10),
                 tuple(Actor(a, a.title()) for a in actors), (),
                 Action("drill", "held drills", "COOPERATE", "military", "062", tags),
                 TimeSpan("on Sunday", start, start, "day")).to_dict()


def test_reload_after_a_re_merge_removes_the_replaced_events(empty_neo4j):
    documents = {"a": {"id": "a", "title": "A"}, "b": {"id": "b", "title": "B"}}
    before = build_graph(documents, [mention("a", 0, ("CHN", "RUS"), "2025-12-07"),
                                     mention("a", 2, ("CHN", "RUS"), "2025-09-01"),
                                     mention("b", 1, ("IND", "USA"), "2025-05-05")])
    load(empty_neo4j, before)
    # Document "a" was re-extracted: the September drills now involve Iran as well.
    after = build_graph(documents, [mention("a", 0, ("CHN", "RUS"), "2025-12-07"),
                                    mention("a", 2, ("CHN", "IRN", "RUS"), "2025-09-01"),
                                    mention("b", 1, ("IND", "USA"), "2025-05-05")])
    summary = load(empty_neo4j, after)

    assert summary.stale_events_deleted == 1
    assert (summary.nodes, summary.relationships) == networkx_counts(after)
    records, _, _ = empty_neo4j.execute_query("MATCH (e:Event) RETURN e.id AS id")
    assert sorted(r["id"] for r in records) == sorted(e.id for e in after.events)


def test_rows_hold_every_node_and_edge_of_the_networkx_graph(seed_graph):
    rows = graph_rows(seed_graph)
    roles = {p["role"] for event in rows.events for p in event["participations"]}
    assert roles == {"actor", "target"} or roles == {"actor"}
    assert sum(len(e["reports"]) for e in rows.events) == sum(
        len(e.mention_ids) for e in seed_graph.events)
    view = seed_graph.to_networkx()
    assert len(rows.actors) + len(rows.documents) + len(rows.events) == view.number_of_nodes()
    assert rows.relationships == view.number_of_edges()


def test_a_load_over_part_of_the_events_already_stored_completes_without_duplicates(
        empty_neo4j):
    """What a cut-off load leaves behind: some events stored (merged again), the rest new
    (created), written by concurrent batches."""
    documents = {f"d{n}": {"id": f"d{n}", "title": f"D{n}"} for n in range(3)}
    mentions = [mention(f"d{n % 3}", n, (("CHN", "RUS"), ("IND", "USA", "IRN"))[n % 2],
                        f"2025-{1 + n % 12:02d}-{1 + n // 12:02d}") for n in range(60)]
    full = build_graph(documents, mentions)
    first_part = build_graph(documents, [m for m in mentions if m["sentence_index"] < 25])
    load(empty_neo4j, first_part, batch_size=4, workers=2)

    summary = load(empty_neo4j, full, batch_size=4, workers=2)

    assert summary.stale_events_deleted == 0
    assert (summary.nodes, summary.relationships) == networkx_counts(full)
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (a)-[r]->(b) WITH a, b, type(r) AS kind, r.role AS role, "
        "r.sentence_index AS index, count(*) AS copies WHERE copies > 1 "
        "RETURN count(*) AS duplicated")
    assert records[0]["duplicated"] == 0
    assert neo4j_by_label(empty_neo4j) == networkx_by_label(full)
