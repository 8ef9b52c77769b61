"""`export` for Gephi and scripts: the query filters, no document without events, parallel
edges kept apart, a GEXF timeline made of each event's own start (end only for real
spans), and the actors view as CSV."""
from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from lxml import etree
from typer.testing import CliRunner

from cli import app
from graph.build import apply_documents
from graph.export import MAX_SPAN_DAYS, timeline_bounds
from graph.model import EventGraph
from graph.store import save
from graph.synthetic import make_document, make_event

runner = CliRunner()
GEXF = "{http://gexf.net/1.3}"


@pytest.fixture()
def graph_path(tmp_path):
    drills = make_event("tass", 0, ["CHN", "RUS"], start="2024-07-14", end="2024-07-17",
                        granularity="range", sentence="China and Russia began drills on Sunday.")
    again = make_event("tass", 2, ["CHN", "RUS"], start="2024-07-15",
                       sentence="The drills went on on Monday.")  # one event, two reports in one document
    pact = make_event("tass", 5, ["CHN", "RUS"], plover="AGREE", mode="", cameo="057",
                      tags=["agreement"], trigger="sign", start="2024-05-16", end="2040-12-31",
                      granularity="range", sentence="The two signed an accord running to 2040.")
    yearly = make_event("kyodo", 0, ["JPN"], targets=["CHN"], plover="ACCUSE", mode="disapprove",
                        cameo="112", tags=["statement"], trigger="criticize", start="2023-01-01",
                        end="2023-12-31", granularity="year", sentence="Japan criticised China in 2023.")
    strike = make_event("wce", 0, ["ISR"], targets=["IRN"], plover="ASSAULT", mode="", cameo="190",
                        tags=["attack"], trigger="strike", start="2025-06-13",
                        sentence="Israel struck Iran.")
    g = apply_documents(EventGraph(), [
        (make_document("tass"), [drills, again, pact]), (make_document("kyodo"), [yearly]),
        (make_document("wce"), [strike]), (make_document("quiet"), []),
        (make_document("unrelated"), [])])
    path = tmp_path / "g.db"
    save(g, path)
    return path


def export(graph_path, out, *args):
    result = runner.invoke(app, ["export", str(out), "--graph", str(graph_path), *args])
    assert result.exit_code == 0, result.stderr
    return result


def json_nodes(path) -> dict:
    back = nx.node_link_graph(json.loads(path.read_text()), edges="links")
    return {node: data for node, data in back.nodes(data=True)}


@pytest.mark.parametrize("args, events, documents", [
    ([], 4, {"doc:tass", "doc:kyodo", "doc:wce"}),
    (["--did", "attack"], 1, {"doc:wce"}),
    (["--since", "2024-06"], 2, {"doc:tass", "doc:wce"}),
    (["--until", "2023"], 1, {"doc:kyodo"}),
    (["--actor", "Japan"], 1, {"doc:kyodo"}),
    (["--actor", "CHN", "--did", "exercise"], 1, {"doc:tass"}),
])
def test_export_takes_the_query_filters_and_leaves_out_documents_without_events(graph_path, tmp_path,
                                                                               args, events, documents):
    out = tmp_path / "g.json"
    export(graph_path, out, *args)
    nodes = json_nodes(out)
    assert sum(d["type"] == "Event" for d in nodes.values()) == events
    assert {n for n, d in nodes.items() if d["type"] == "Document"} == documents
    for suffix in (".graphml", ".gexf"):
        other = tmp_path / f"g{suffix}"
        export(graph_path, other, *args)
        text = other.read_text()
        assert "doc:quiet" not in text and "doc:unrelated" not in text


def test_parallel_edges_keep_their_own_ids_in_graphml_and_gexf(graph_path, tmp_path):
    for suffix, tag in ((".graphml", "{http://graphml.graphdrawing.org/xmlns}edge"), (".gexf", f"{GEXF}edge")):
        out = tmp_path / f"g{suffix}"
        export(graph_path, out, "--did", "exercise")
        edges = list(etree.parse(str(out)).iter(tag))
        to_tass = [e for e in edges if e.get("target") == "doc:tass"]
        assert len(to_tass) == 2  # two reports of one event in one document
        assert len({e.get("id") for e in edges}) == len(edges)


def test_gexf_timeline_uses_each_events_start_and_only_real_spans(graph_path, tmp_path):
    out = tmp_path / "g.gexf"
    export(graph_path, out)
    events = {}
    for node in etree.parse(str(out)).iter(f"{GEXF}node"):
        if node.get("id").startswith("event:"):
            events[node.get("start")] = node.get("end")
    assert events == {"2024-07-14": "2024-07-17",  # the exercise's days
                      "2024-05-16": None,  # an accord "running to 2040" does not stretch the timeline
                      "2023-01-01": None,  # a year is a vague date, not a span
                      "2025-06-13": None}
    latest = max(v for pair in events.items() for v in pair if v)
    assert latest == "2025-06-13"


def test_timeline_bounds_rule():
    assert timeline_bounds({"start": "2024-01-01", "end": "2024-01-03", "granularity": "range"}) == \
        ("2024-01-01", "2024-01-03")
    assert timeline_bounds({"start": "2024-01-01", "end": "2024-01-07", "granularity": "week"}) == \
        ("2024-01-01", "2024-01-07")
    long_span = {"start": "2024-01-01", "end": "2024-12-31", "granularity": "range"}
    assert timeline_bounds(long_span) == ("2024-01-01", None) and MAX_SPAN_DAYS < 365
    assert timeline_bounds({"start": "2024-01-01", "end": "2024-01-31", "granularity": "month"}) == \
        ("2024-01-01", None)
    assert timeline_bounds({"first": "2022-02-04"}) == ("2022-02-04", None)
    assert timeline_bounds({"start": None}) == (None, None)


def test_csv_export_honours_the_actors_view(graph_path, tmp_path):
    out = tmp_path / "pairs.csv"
    result = export(graph_path, out, "--view", "actors")
    rows = list(csv.DictReader(out.open(newline="")))
    assert [(r["actor_a"], r["relation"], r["actor_b"], r["events"]) for r in rows] == [
        ("CHN", "with", "RUS", "2"), ("ISR", "\u2192", "IRN", "1"), ("JPN", "\u2192", "CHN", "1")]
    assert "3 pairs" in result.stderr
    events = tmp_path / "events.csv"
    export(graph_path, events)
    assert next(csv.reader(events.open()))[:2] == ["id", "start"]
    empty = tmp_path / "empty.csv"
    export(graph_path, empty, "--view", "actors", "--since", "2031")
    assert empty.read_text().splitlines() == [",".join(next(csv.reader(out.open())))]
