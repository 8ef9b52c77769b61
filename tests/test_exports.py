"""Exports: GraphML and GEXF 1.3 parse back with networkx and validate against schemas;
hostile attribute values still give valid files; JSON and CSV round-trip."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
import xmlschema
from lxml import etree

from graph.build import apply_documents
from graph.errors import ExportError
from graph.export import export, scalar_graph, write_gexf, write_graphml
from graph.model import EventGraph
from graph.synthetic import make_document, make_event

SCHEMAS = Path(__file__).resolve().parents[1] / "graph" / "data"
HOSTILE = 'He said "no" <b>& then\x01\x0b left \ufffe'


@pytest.fixture(scope="module")
def graphml_schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "graphml.xsd"))


@pytest.fixture(scope="module")
def gexf_schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "gexf-1.3.xsd"))


@pytest.fixture()
def g() -> EventGraph:
    drills = [make_event("tass", 0, ["CHN", "RUS"], location="RUS", sentence=HOSTILE),
              make_event("xinhua", 2, ["CHN", "RUS"], start="2025-12-01", end="2025-12-07",
                         granularity="week")]
    worry = [make_event("kyodo", 1, ["JPN"], targets=["CHN"], plover="ACCUSE", mode="disapprove",
                        cameo="112", tags=["statement"], trigger="express", start="2025-12-08")]
    pact = [make_event("tass", 5, ["CHN", "RUS"], plover="AGREE", mode="", cameo="057",
                       tags=["agreement"], trigger="sign", start="2022-02-04")]
    return apply_documents(EventGraph(), [(make_document("tass"), drills[:1] + pact),
                                          (make_document("xinhua"), drills[1:]),
                                          (make_document("kyodo", published=None), worry)])


@pytest.mark.parametrize("view", ["events", "actors"])
def test_graphml_parses_back_and_validates(g, tmp_path, graphml_schema, view):
    path = tmp_path / f"{view}.graphml"
    export(g, path, view)
    graphml_schema.validate(str(path))
    back = nx.read_graphml(path)
    assert back.number_of_nodes() > 0
    assert all("label" in data for _, data in back.nodes(data=True))
    if view == "actors":
        assert all(isinstance(d["weight"], int) for _, _, d in back.edges(data=True))
        assert back.edges["CHN", "RUS"]["weight"] == 2
        assert back.edges["CHN", "RUS"]["first"] == "2022-02-04"
    else:
        events = [d for _, d in back.nodes(data=True) if d["type"] == "Event"]
        assert len(events) == 3
        assert {d["mentions"] for d in events} == {2, 1}


def test_graphml_uses_named_key_ids(g, tmp_path):
    path = tmp_path / "g.graphml"
    export(g, path, "actors")
    keys = etree.parse(str(path)).getroot().findall("{http://graphml.graphdrawing.org/xmlns}key")
    ids = [k.get("id") for k in keys]
    assert "label" in ids and "weight" in ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("view", ["events", "actors"])
def test_gexf_is_dynamic_13_and_parses_back(g, tmp_path, gexf_schema, view):
    path = tmp_path / f"{view}.gexf"
    export(g, path, view)
    gexf_schema.validate(str(path))
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "1.3"
    graph = root.find("{http://gexf.net/1.3}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    back = nx.read_gexf(path, version="1.3")
    assert back.number_of_nodes() == len(root.findall(".//{http://gexf.net/1.3}node"))
    starts = [n.get("start") for n in root.iter("{http://gexf.net/1.3}node") if n.get("start")]
    assert starts and all(len(s) == 10 for s in starts)
    declared = {a.get("id") for a in root.iter("{http://gexf.net/1.3}attribute")}
    assert {v.get("for") for v in root.iter("{http://gexf.net/1.3}attvalue")} <= declared


def test_hostile_attribute_values_still_give_valid_files(tmp_path, graphml_schema, gexf_schema):
    view = nx.MultiDiGraph()
    view.add_node("a<&>\"b\x02", label=HOSTILE, tags=["x", "y<z"], missing=None,
                  when=date(2022, 2, 4), quote="'single' \"double\"", ratio=0.5, flag=True,
                  start="2022-02-04")
    view.add_node("plain", label="plain", tags=[], count=3)
    view.add_edge("a<&>\"b\x02", "plain", key="k&1", note=HOSTILE, span=[1, 2], nothing=None)
    for writer, suffix, schema in ((write_graphml, ".graphml", graphml_schema),
                                   (write_gexf, ".gexf", gexf_schema)):
        path = tmp_path / f"hostile{suffix}"
        writer(view, path)
        schema.validate(str(path))
        etree.parse(str(path))  # well-formed XML
    back = nx.read_graphml(tmp_path / "hostile.graphml")
    node = back.nodes['a<&>"b\\x02']  # the illegal character escaped, so ids stay distinct
    assert node["tags"] == "x; y<z"
    assert node["when"] == "2022-02-04"
    assert node["label"] == 'He said "no" <b>& then left '
    assert "missing" not in node
    assert node["flag"] is True and node["ratio"] == 0.5


def test_scalar_graph_leaves_only_scalars(g):
    clean = scalar_graph(g.to_networkx())
    values = [v for _, d in clean.nodes(data=True) for v in d.values()]
    values += [v for *_, d in clean.edges(data=True) for v in d.values()]
    assert values and all(isinstance(v, (str, int, float, bool)) for v in values)


def test_json_node_link_round_trip(g, tmp_path):
    path = tmp_path / "g.json"
    export(g, path, "events")
    back = nx.node_link_graph(json.loads(path.read_text()), edges="links")
    original = g.to_networkx()
    assert back.number_of_nodes() == original.number_of_nodes()
    assert back.number_of_edges() == original.number_of_edges()


def test_csv_has_one_row_per_event(g, tmp_path):
    path = tmp_path / "events.csv"
    export(g, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == len(g.events) == 3
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    drills = next(r for r in rows if r["tags"] == "exercise")
    assert drills["actors"] == "CHN; RUS" and drills["mentions"] == "2"
    assert drills["evidence"]


def test_unknown_suffix_and_view_are_named_errors(g, tmp_path):
    with pytest.raises(ExportError, match="graphml"):
        export(g, tmp_path / "g.xlsx")
    with pytest.raises(ExportError, match="view"):
        export(g, tmp_path / "g.graphml", "people")
    with pytest.raises(ExportError, match="cannot write"):
        export(g, tmp_path / "missing" / "g.graphml")


def test_graphml_edge_ids_are_unique(g, tmp_path):
    path = tmp_path / "g.graphml"
    export(g, path, "events")
    ids = [e.get("id") for e in etree.parse(str(path)).iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == g.to_networkx().number_of_edges() == len(set(ids))


def test_actor_view_edges_appear_on_the_gexf_timeline_at_their_first_event(g, tmp_path):
    path = tmp_path / "actors.gexf"
    export(g, path, "actors")
    edges = {(e.get("source"), e.get("target")): e for e in etree.parse(str(path)).iter("{http://gexf.net/1.3}edge")}
    assert edges[("CHN", "RUS")].get("start") == "2022-02-04"
    assert edges[("CHN", "RUS")].get("weight") == "2.0"


def test_names_shared_by_nodes_and_edges_keep_graphml_key_ids_unique(tmp_path, graphml_schema):
    view = nx.Graph()
    view.add_node("a", label="A", start="2022-01-01")
    view.add_node("b", label="B")
    view.add_edge("a", "b", start="2023-01-01", weight=2)
    path = tmp_path / "shared.graphml"
    write_graphml(view, path)
    graphml_schema.validate(str(path))
    assert nx.read_graphml(path).edges["a", "b"]["edge_start"] == "2023-01-01"
