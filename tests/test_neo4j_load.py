"""Loading the event graph into a real Neo4j server: counts, idempotence, re-merges."""
from __future__ import annotations

from collections import Counter

import pytest

from extract.records import Action, Actor, Event, TimeSpan
from graph.model import build_graph
from extract.records import MAX_DOCUMENT_ID_CHARS
from graph.neo4j.load import (NODE_LABELS, PLOVER_LABELS, TAG_LABELS, DocumentIdTooLong,
                              LoadInterrupted, actor_row, document_row, event_row, counts,
                              load)


pytestmark = pytest.mark.neo4j


def networkx_counts(g) -> tuple[int, int]:
    view = g.to_networkx()
    return view.number_of_nodes(), view.number_of_edges()


def neo4j_by_label(driver) -> Counter:
    records, _, _ = driver.execute_query(
        "MATCH (n) UNWIND [x IN labels(n) WHERE x IN $kinds] AS label "
        "RETURN label, count(*) AS n", kinds=list(NODE_LABELS))
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
        event = next(e for e in seed_graph.events if e.id == data["id"])
        assert stored[data["id"]] == {**wanted, "name": event.name}


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
    events = [event_row(seed_graph, e) for e in seed_graph.events]
    roles = {p["role"] for event in events for p in event["participations"]}
    assert roles == {"actor", "target"} or roles == {"actor"}
    assert sum(len(e["reports"]) for e in events) == sum(
        len(e.mention_ids) for e in seed_graph.events)
    view = seed_graph.to_networkx()
    actors = [actor_row(a) for a in seed_graph.actors.values()]
    documents = [document_row(d) for d in seed_graph.documents.values()]
    assert len(actors) + len(documents) + len(events) == view.number_of_nodes()
    assert sum(len(e["participations"]) + len(e["reports"]) for e in events) == \
        view.number_of_edges()


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


def test_every_event_carries_its_tag_and_category_labels(empty_neo4j, seed_graph):
    load(empty_neo4j, seed_graph)
    records, _, _ = empty_neo4j.execute_query("MATCH (e:Event) RETURN e.id AS id, labels(e) AS labels")
    stored = {r["id"]: set(r["labels"]) for r in records}
    for event in seed_graph.events:
        wanted = {"Event", PLOVER_LABELS[event.plover], *(TAG_LABELS[t] for t in event.tags)}
        assert stored[event.id] == wanted


def two_documents(second_start: str = "2025-05-05"):
    documents = {"a": {"id": "a", "title": "A"}, "b": {"id": "b", "title": "B"}}
    return build_graph(documents, [mention("a", 0, ("CHN", "RUS"), "2025-12-07"),
                                   mention("a", 2, ("CHN", "RUS"), "2025-09-01"),
                                   mention("b", 1, ("IND", "USA"), second_start)])


def test_a_reload_writes_only_the_documents_that_changed(empty_neo4j):
    first = load(empty_neo4j, two_documents())
    assert (first.documents_written, first.events_written) == (2, 3)

    unchanged = load(empty_neo4j, two_documents())
    assert (unchanged.documents_written, unchanged.events_written) == (0, 0)
    assert (unchanged.nodes, unchanged.relationships) == networkx_counts(two_documents())

    changed = load(empty_neo4j, two_documents(second_start="2025-05-06"))
    assert (changed.documents_written, changed.events_written) == (1, 1)
    assert changed.stale_events_deleted == 1
    assert (changed.nodes, changed.relationships) == networkx_counts(two_documents("2025-05-06"))


def test_replace_clears_another_graph_and_foreign_documents_are_counted(empty_neo4j):
    other = build_graph({"x": {"id": "x", "title": "X"}},
                        [mention("x", 0, ("FRA", "DEU"), "2024-01-01")])
    load(empty_neo4j, other)
    kept = load(empty_neo4j, two_documents())
    assert kept.foreign_documents == 1
    assert kept.nodes == networkx_counts(two_documents())[0] + networkx_counts(other)[0]

    replaced = load(empty_neo4j, two_documents(), replace=True)
    assert replaced.foreign_documents == 0
    assert (replaced.nodes, replaced.relationships) == networkx_counts(two_documents())


def test_an_over_long_document_id_is_refused_before_any_write(empty_neo4j):
    long_id = "d" * (MAX_DOCUMENT_ID_CHARS + 1)
    graph = build_graph({long_id: {"id": long_id, "title": "long"}, "a": {"id": "a"}},
                        [mention(long_id, 0, ("CHN", "RUS"), "2025-01-01"),
                         mention("a", 0, ("IND", "USA"), "2025-01-02")])
    with pytest.raises(DocumentIdTooLong, match=f"limit of {MAX_DOCUMENT_ID_CHARS}"):
        load(empty_neo4j, graph)
    assert counts(empty_neo4j) == (0, 0)


def test_a_cancelled_load_stops_between_batches_and_a_rerun_completes(empty_neo4j):
    import threading

    documents = {f"d{n}": {"id": f"d{n}", "title": f"D{n}"} for n in range(10)}
    graph = build_graph(documents, [mention(f"d{n % 10}", n, ("CHN", "RUS"), f"{1900 + n}-06-01")
                                    for n in range(200)])  # a year apart: 200 events, ten batches
    stop = threading.Event()

    def stop_after_two(step, rows):
        if step == "Event" and rows:
            stop.set()

    with pytest.raises(LoadInterrupted):
        load(empty_neo4j, graph, batch_size=20, workers=1, on_batch=stop_after_two, cancel=stop)
    assert counts(empty_neo4j)[0] < networkx_counts(graph)[0]
    summary = load(empty_neo4j, graph, batch_size=20)
    assert (summary.nodes, summary.relationships) == networkx_counts(graph)
