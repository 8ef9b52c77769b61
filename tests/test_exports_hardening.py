"""Exports against hostile data: CSV formula injection, ids that differ only in XML-illegal
characters, parallel edges, documents without events, filters, and a run without lxml."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from cli import app
from graph.build import apply_documents
from graph.export import export, xml_id
from graph.model import EventGraph
from graph.store import save
from graph.synthetic import make_document, make_event

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def hostile(tmp_path) -> Path:
    events = [
        (make_document("dup"), [make_event("dup", 0, ["CHN", "RUS"], sentence="=HYPERLINK(\"http://x\")"),
                                make_event("dup", 1, ["CHN", "RUS"], sentence="+1 drills")]),
        (make_document("dup\x01"), [make_event("dup\x01", 0, ["CHN", "RUS"], start="2024-01-02",
                                               sentence="@SUM(A1) and more")]),
        (make_document("=cmd|' /C calc'!A0"), [make_event("=cmd|' /C calc'!A0", 0, ["JPN"], targets=["CHN"],
                                                          plover="ACCUSE", tags=["statement"],
                                                          sentence="-2 warned\tthem\r")]),
        (make_document("empty"), []),
    ]
    path = tmp_path / "g.db"
    save(apply_documents(EventGraph(), events), path)
    return path


def test_csv_cells_are_neutralised_against_formulas(hostile, tmp_path):
    out = tmp_path / "events.csv"
    assert runner.invoke(app, ["export", str(out), "--graph", str(hostile)]).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {r["evidence"] for r in rows} >= {"'=HYPERLINK(\"http://x\")", "'@SUM(A1) and more",
                                            "'-2 warned\tthem\r"}
    assert "'=cmd|' /C calc'!A0" in {r["doc_id"] for r in rows}


def test_query_csv_output_is_neutralised_too(hostile):
    result = runner.invoke(app, ["events", "--graph", str(hostile), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert not [v for r in rows for v in r.values() if v[:1] in ("=", "+", "-", "@")]


def test_csv_export_always_has_a_header(tmp_path):
    path = tmp_path / "g.db"
    save(EventGraph(), path)
    out = tmp_path / "none.csv"
    result = runner.invoke(app, ["export", str(out), "--graph", str(path)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text().splitlines()[0].startswith("id,start,end,granularity")


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_ids_that_differ_only_in_illegal_characters_stay_distinct(hostile, tmp_path, suffix):
    out = tmp_path / f"g{suffix}"
    assert runner.invoke(app, ["export", str(out), "--graph", str(hostile)]).exit_code == 0
    if suffix == ".graphml":
        back = nx.read_graphml(out)
    elif suffix == ".gexf":
        back = nx.read_gexf(out, version="1.3")
    else:
        back = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    documents = sorted(n for n in back if str(n).startswith("doc:"))
    assert documents == sorted(["doc:dup", "doc:" + ("dup\x01" if suffix == ".json" else xml_id("dup\x01")),
                                "doc:=cmd|' /C calc'!A0"])
    assert "doc:empty" not in back  # a document without events is left out


def test_xml_ids_are_escaped_injectively():
    values = ["dup", "dup\x01", "dup\\x01", "dup\\\x01", "a\\b", "a\ufffeb"]
    assert len({xml_id(v) for v in values}) == len(values)
    assert xml_id("plain id") == "plain id"


def test_parallel_edges_stay_distinct(hostile, tmp_path):
    out = tmp_path / "g.graphml"
    assert runner.invoke(app, ["export", str(out), "--graph", str(hostile)]).exit_code == 0
    back = nx.read_graphml(out, force_multigraph=True)
    doubles = [(u, v) for u, v in back.edges() if v == "doc:dup"]
    assert len(doubles) == 2 and len(set(doubles)) == 1  # two mentions of one event in one document


def test_export_filters_keep_only_matching_events(hostile, tmp_path):
    out = tmp_path / "g.json"
    result = runner.invoke(app, ["export", str(out), "--graph", str(hostile), "--did", "statement"])
    assert result.exit_code == 0, result.stderr
    back = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    kinds = sorted(d["type"] for _, d in back.nodes(data=True))
    assert kinds == ["Actor", "Actor", "Document", "Event"]
    dated = tmp_path / "dated.csv"
    assert runner.invoke(app, ["export", str(dated), "--graph", str(hostile), "--until", "2024"]).exit_code == 0
    assert [r["start"] for r in csv.DictReader(dated.open())] == ["2024-01-02"]


def test_in_memory_and_stored_graphs_export_the_same(hostile, tmp_path):
    from graph.store import load

    for suffix in (".graphml", ".gexf", ".json", ".csv"):
        stored, memory = tmp_path / f"s{suffix}", tmp_path / f"m{suffix}"
        export(hostile, stored)
        export(load(hostile), memory)
        assert stored.read_bytes() == memory.read_bytes(), suffix


# The interpreter of this venv, with lxml (a test dependency only) made unimportable: what a
# plain `pip install .` gives the command.
BLOCK_LXML = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "lxml" or name.startswith("lxml."):
            raise ImportError("lxml is not installed here")
sys.meta_path.insert(0, Block())
from cli import main
sys.argv = ["eventkg"] + sys.argv[1:]
main()
"""


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json", ".csv"])
def test_export_runs_without_lxml(hostile, tmp_path, suffix):
    out = tmp_path / f"plain{suffix}"
    done = subprocess.run([sys.executable, "-c", BLOCK_LXML, "export", str(out), "--graph", str(hostile)],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
