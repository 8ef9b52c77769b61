"""The SQLite store: incremental builds in any order and any split give the graph a build
from scratch gives, and the SQL queries answer what the in-memory ones answer."""
from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import queries
from graph.backend import EmbeddedBackend
from graph.build import GraphWriter, apply_documents, document_record, write_documents
from graph.errors import NoPath
from graph.model import EventGraph
from graph.store import load, save, to_payload
from graph.synthetic import make_document, make_event, synthetic_items
from graph.types import Filters, GraphBackend, What

ACTORS = st.lists(st.sampled_from(["CHN", "RUS", "JPN", "NATO", "IND"]), min_size=1, max_size=3, unique=True)
KINDS = st.sampled_from([("COOPERATE", "military", ("exercise",), "062"), ("AGREE", "", ("agreement",), "057"),
                         ("ACCUSE", "disapprove", ("statement",), "112"), ("CONSULT", "", (), "040")])


@st.composite
def mention(draw, doc_id: str, index: int):
    plover, mode, tags, cameo = draw(KINDS)
    day = draw(st.integers(min_value=1, max_value=28))
    span = draw(st.sampled_from([0, 0, 6, 40]))
    start = f"202{draw(st.integers(0, 4))}-03-{day:02d}"
    end = None if not span else (start[:8] + f"{min(day + span, 31):02d}" if span < 31 else start[:5] + "05-30")
    actors = draw(ACTORS)
    targets = draw(st.sampled_from([(), (), ("USA",)]))
    return make_event(doc_id, index, actors, targets=targets, plover=plover, mode=mode, tags=tags,
                      cameo=cameo, start=draw(st.sampled_from([start, start, None])), end=end,
                      granularity="week" if span else "day",
                      location=draw(st.sampled_from([None, "RUS", "CHN"])),
                      status=draw(st.sampled_from(["asserted", "asserted", "future", "negated"])),
                      confidence=draw(st.sampled_from([0.5, 0.9])))


@st.composite
def corpus(draw):
    documents = []
    for number in range(draw(st.integers(min_value=1, max_value=6))):
        doc_id = f"doc{number}"
        count = draw(st.integers(min_value=0, max_value=5))
        documents.append((make_document(doc_id), [draw(mention(doc_id, i)) for i in range(count)]))
    return documents


def items(documents):
    return [(document_record(doc), [e.to_dict() for e in events]) for doc, events in documents]


def scratch(documents) -> EventGraph:
    return apply_documents(EventGraph(), documents)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(corpus(), st.randoms(use_true_random=False), st.lists(st.integers(1, 4), min_size=1, max_size=4))
def test_any_order_and_any_split_into_builds_equals_a_build_from_scratch(tmp_path_factory, documents, rng, cuts):
    shuffled = items(documents)
    rng.shuffle(shuffled)
    shuffled = [(record, rng.sample(found, len(found))) for record, found in shuffled]
    path = tmp_path_factory.mktemp("split") / "g.db"
    position = 0
    for size in cuts + [len(shuffled)]:  # several builds, each in batches of `size` documents
        part = shuffled[position:position + size]
        position += size
        if part:
            write_documents(path, part, batch_documents=rng.randint(1, 3))
    assert to_payload(load(path)) == to_payload(scratch(documents))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus(), corpus())
def test_changed_documents_re_merge_to_the_graph_of_the_new_texts(tmp_path_factory, before, after):
    path = tmp_path_factory.mktemp("change") / "g.db"
    write_documents(path, items(before))
    write_documents(path, items(after))  # same ids doc0.. with other mentions
    expected = {doc.id: (doc, events) for doc, events in before}
    expected.update({doc.id: (doc, events) for doc, events in after})
    assert to_payload(load(path)) == to_payload(scratch(list(expected.values())))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus())
def test_building_twice_changes_nothing(tmp_path_factory, documents):
    path = tmp_path_factory.mktemp("twice") / "g.db"
    write_documents(path, items(documents))
    once = to_payload(load(path))
    write_documents(path, items(documents))
    assert to_payload(load(path)) == once


def test_synthetic_corpus_in_batches_equals_the_merge_of_everything(tmp_path):
    all_items = list(synthetic_items(3000))
    path = tmp_path / "g.db"
    write_documents(path, all_items[::-1], batch_documents=37)
    from graph.model import build_graph

    documents = {record["id"]: record for record, _ in all_items}
    expected = build_graph(documents, [m for _, found in all_items for m in found])
    assert to_payload(load(path)) == to_payload(expected)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_rolled_back_batch_leaves_the_store_as_it_was(tmp_path):
    path = tmp_path / "g.db"
    write_documents(path, items([(make_document("a"), [make_event("a", 0, ["CHN", "RUS"])])]))
    before = to_payload(load(path))

    def failing():
        yield document_record(make_document("b")), [make_event("b", 0, ["CHN", "RUS"]).to_dict()]
        raise KeyboardInterrupt

    with GraphWriter(path) as writer, pytest.raises(KeyboardInterrupt):
        writer.write_all(failing())
    assert to_payload(load(path)) == before


# -- the SQL queries against the in-memory ones -----------------------------------------------
FILTERS = [Filters(), Filters(did=What("exercise", tags=frozenset({"exercise"}))),
           Filters(did=What("AGREE", plover="AGREE")), Filters(did=What("COOPERATE:military", plover="COOPERATE", mode="military")),
           Filters(did=What("11", cameo_prefix="11")), Filters(include_future=True)]


def _dated(filters: Filters, since, until) -> Filters:
    from datetime import date

    return Filters(filters.did, date.fromisoformat(since) if since else None,
                   date.fromisoformat(until) if until else None, filters.actors, filters.include_future)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus(), st.sampled_from(FILTERS), st.sampled_from([None, "2021-01-01", "2022-03-10"]),
       st.sampled_from([None, "2023-12-31"]), st.sampled_from([(), ("CHN",), ("CHN", "RUS"), ("USA",)]))
def test_sql_answers_equal_the_in_memory_answers(tmp_path_factory, documents, filters, since, until, actors):
    g = scratch(documents)
    path = tmp_path_factory.mktemp("parity") / "g.db"
    save(g, path)
    filters = _dated(filters, since, until)
    actors = tuple(a for a in actors if a in g.actors)
    scoped = Filters(filters.did, filters.since, filters.until, actors, filters.include_future)
    with EmbeddedBackend(path) as backend:
        assert isinstance(backend, GraphBackend)
        assert backend.who(scoped) == queries.who(g, scoped)
        assert backend.events(scoped) == queries.events(g, scoped)
        assert backend.timeline(actors, filters) == queries.timeline(g, actors, filters)
        assert backend.stats() == queries.stats(g)
        for a, b in (("JPN", "RUS"), ("NATO", "IND"), ("USA", "CHN")):
            if a in g.actors and b in g.actors:
                try:
                    expected = queries.path(g, a, b, filters, 3, 3)
                except NoPath:
                    with pytest.raises(NoPath):
                        backend.path(a, b, filters, 3, 3)
                else:
                    assert backend.path(a, b, filters, 3, 3) == expected


def test_actor_names_resolve_through_the_actors_table(tmp_path):
    path = tmp_path / "g.db"
    save(scratch([(make_document("a"), [make_event("a", 0, ["CHN", "RUS"])])]), path)
    with EmbeddedBackend(path) as backend:
        assert backend.resolve_actors(["china", "Moscow", "RUS"]) == ("CHN", "RUS", "RUS")
