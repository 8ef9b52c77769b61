"""`build --corrections FILE`: reject, fix and add events; applied on every build, so they
survive a rebuild from scratch, in the embedded store and in Neo4j after `neo4j load`."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from graph.corrections import CorrectionsError, load_corrections

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ADDED_SENTENCE = "NATO leaders said the Chinese support for Russia's war was decisive."


def events_of(graph: Path) -> dict[str, dict]:
    result = runner.invoke(app, ["events", "--graph", str(graph), "--format", "json"])
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


def find(events: dict, plover: str, actors: list[str], doc: str) -> list[dict]:
    return [e for e in events.values() if e["plover"] == plover and e["actors"] == actors and e["doc_id"] == doc]


@pytest.fixture(scope="module")
def plain_events(tmp_path_factory) -> dict[str, dict]:
    graph = tmp_path_factory.mktemp("plain") / "g.db"
    result = runner.invoke(app, ["build", str(EXAMPLES), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    return events_of(graph)


def corrections_for(plain: dict, folder: Path, suffix: str = ".json") -> tuple[Path, str, str]:
    """A file rejecting the CONSULT event the Tokyo air-patrol article wrongly gives the Quad,
    fixing Japan's scramble (aimed at China and Russia), adding a missed NATO accusation."""
    [wrong] = find(plain, "CONSULT", ["AUS", "IND", "JPN", "USA"], "2022-05-air-patrol-tokyo")
    [scramble] = find(plain, "MOBILIZE", ["JPN"], "2022-05-air-patrol-tokyo")
    rows = [
        {"action": "reject", "event": wrong["id"], "note": "no Quad meeting in this sentence"},
        {"action": "fix", "event": scramble["id"], "targets": ["CHN", "RUS"], "note": "aimed at the bombers"},
        {"action": "add", "doc_id": "2024-07-nato-summit", "sentence_index": 1, "sentence": ADDED_SENTENCE,
         "actors": ["NATO"], "targets": ["CHN"], "plover": "ACCUSE", "tags": ["accusation"],
         "start": "2024-07-10", "note": "missed"},
    ]
    path = folder / f"corrections{suffix}"
    if suffix == ".csv":
        header = "action,event,doc_id,sentence_index,sentence,actors,targets,plover,tags,start,note\n"
        body = "".join(
            f"{r['action']},{r.get('event', '')},{r.get('doc_id', '')},{r.get('sentence_index', '')},"
            f"\"{r.get('sentence', '')}\",{';'.join(r.get('actors', []))},{';'.join(r.get('targets', []))},"
            f"{r.get('plover', '')},{';'.join(r.get('tags', []))},{r.get('start', '')},{r['note']}\n" for r in rows)
        path.write_text(header + body, encoding="utf-8")
    else:
        path.write_text(json.dumps(rows), encoding="utf-8")
    return path, wrong["id"], scramble["id"]


def assert_corrected(events: dict, rejected: str) -> None:
    assert rejected not in events
    assert not find(events, "CONSULT", ["AUS", "IND", "JPN", "USA"], "2022-05-air-patrol-tokyo")
    [scramble] = find(events, "MOBILIZE", ["JPN"], "2022-05-air-patrol-tokyo")
    assert scramble["targets"] == ["CHN", "RUS"]
    [added] = find(events, "ACCUSE", ["NATO"], "2024-07-nato-summit")
    assert added["targets"] == ["CHN"] and added["start"] == "2024-07-10" and added["evidence"] == ADDED_SENTENCE


def build(graph: Path, *extra: str):
    result = runner.invoke(app, ["build", str(EXAMPLES), "--graph", str(graph), *extra])
    assert result.exit_code == 0, result.output
    return result


def marks(graph: Path) -> dict[str, str]:
    """Merged event id -> correction mark, from the mentions the graph stores."""
    with sqlite3.connect(graph) as db:
        return {event: mark for event, mark in db.execute(
            "SELECT event, json_extract(data, '$.correction') FROM mentions WHERE json_extract(data, '$.correction') IS NOT NULL")}


@pytest.mark.model
@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_corrections_survive_a_full_rebuild(plain_events, tmp_path, suffix):
    path, rejected, _ = corrections_for(plain_events, tmp_path, suffix)
    graph = tmp_path / "g.db"
    first = build(graph, "--corrections", str(path))
    assert f"corrections from {path}: 1 rejected, 1 fixed, 1 added" in first.stderr
    corrected = events_of(graph)
    assert_corrected(corrected, rejected)
    assert len(corrected) == len(plain_events) + 1 - 1
    assert sorted(marks(graph).values()) == ["added", "fixed"]

    again = build(graph, "--corrections", str(path))  # incremental: nothing re-extracted
    assert "9 unchanged" in again.stderr and events_of(graph) == corrected

    graph.unlink()  # from scratch: everything extracted again, the corrections applied again
    build(graph, "--corrections", str(path))
    assert events_of(graph) == corrected


@pytest.mark.model
def test_a_removed_correction_gives_the_extraction_back(plain_events, tmp_path):
    path, rejected, scramble = corrections_for(plain_events, tmp_path)
    graph = tmp_path / "g.db"
    build(graph, "--corrections", str(path))
    rows = json.loads(path.read_text())
    path.write_text(json.dumps(rows[2:]))  # keep only the added event
    build(graph, "--corrections", str(path))
    events = events_of(graph)
    assert rejected in events and events[scramble] == plain_events[scramble]
    assert find(events, "ACCUSE", ["NATO"], "2024-07-nato-summit")
    path.write_text("[]")
    build(graph, "--corrections", str(path))
    assert events_of(graph) == plain_events


@pytest.mark.model
def test_corrections_show_in_exports_and_explain(plain_events, tmp_path):
    path, _, _ = corrections_for(plain_events, tmp_path)
    graph = tmp_path / "g.db"
    build(graph, "--corrections", str(path))
    out = tmp_path / "g.json"
    assert runner.invoke(app, ["export", str(out), "--graph", str(graph)]).exit_code == 0
    nodes = json.loads(out.read_text())["nodes"]
    by_mark = sorted((n["plover"], n["correction"]) for n in nodes if n.get("type") == "Event" and n["correction"])
    assert by_mark == [("ACCUSE", "added"), ("MOBILIZE", "fixed")]
    explained = runner.invoke(app, ["explain", "2024-07-nato-summit:1", "--graph", str(graph)])
    assert explained.exit_code == 0, explained.output
    assert "ACCUSE NATO -> CHN [analyst correction: added]" in explained.stdout


@pytest.mark.parametrize("content, message", [
    ("not json", "is not JSON"),
    ('{"rows": []}', "expected a list of rows"),
    ('[{"action": "delete", "event": "x"}]', "row 1: action 'delete' is not one of reject, fix, add"),
    ('[{"action": "reject"}]', "row 1: reject needs \"event\""),
    ('[{"action": "fix", "event": "x"}]', "row 1: fix names no field to change"),
    ('[{"action": "fix", "event": "x", "plover": "BOMB"}]', "row 1: unknown PLOVER category 'BOMB'"),
    ('[{"action": "fix", "event": "x", "start": "May"}]', "row 1: start 'May' is not a date"),
    ('[{"action": "reject", "event": "x"}, {"action": "add", "doc_id": "d"}]', "row 2: add needs sentence, actors, plover"),
    ('[{"action": "reject", "event": "x", "colour": "red"}]', "row 1: unknown field 'colour'"),
])
def test_bad_corrections_file_is_one_error_line_before_any_work(tmp_path, content, message):
    path = tmp_path / "c.json"
    path.write_text(content)
    with pytest.raises(CorrectionsError, match=message.replace("(", r"\(")):
        load_corrections(path)
    graph = tmp_path / "g.db"
    result = runner.invoke(app, ["build", str(EXAMPLES), "--graph", str(graph), "--corrections", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {result.stderr.splitlines()[0][7:]}"]
    assert message in result.stderr and not graph.exists()


def test_missing_corrections_file(tmp_path):
    result = runner.invoke(app, ["build", str(EXAMPLES), "--graph", str(tmp_path / "g.db"),
                                 "--corrections", str(tmp_path / "none.json")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: corrections file {tmp_path / 'none.json'} not found"]


@pytest.mark.model
def test_an_unknown_event_is_named_and_the_rest_applied(plain_events, tmp_path):
    path, rejected, _ = corrections_for(plain_events, tmp_path)
    rows = json.loads(path.read_text()) + [{"action": "reject", "event": "0000000000000000"}]
    path.write_text(json.dumps(rows))
    graph = tmp_path / "g.db"
    result = build(graph, "--corrections", str(path))
    assert f"warning: {path}: row 4: event '0000000000000000' is not in the graph, not applied" in result.stderr
    assert "1 rejected, 1 fixed, 1 added, 1 not applied" in result.stderr
    assert_corrected(events_of(graph), rejected)


@pytest.mark.model
@pytest.mark.neo4j
def test_corrections_survive_a_full_rebuild_in_neo4j(plain_events, tmp_path, empty_neo4j, neo4j_settings,
                                                       monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    path, rejected, _ = corrections_for(plain_events, tmp_path)
    graph = tmp_path / "g.db"
    seen = []
    for _ in range(2):  # a build, then a rebuild from scratch, each loaded into Neo4j
        graph.unlink(missing_ok=True)
        build(graph, "--corrections", str(path))
        loaded = runner.invoke(app, ["neo4j", "load", "--graph", str(graph)])
        assert loaded.exit_code == 0, loaded.output
        records, _, _ = empty_neo4j.execute_query(
            "MATCH (e:Event) OPTIONAL MATCH (a:Actor)-[:PARTICIPATED_IN {role: 'target'}]->(e) "
            "RETURN e.id AS id, e.plover AS plover, e.correction AS correction, collect(a.id) AS targets",
            database_=neo4j_settings.database)
        seen.append({r["id"]: (r["plover"], r["correction"], sorted(r["targets"])) for r in records})
    first, second = seen
    assert first == second and rejected not in first
    assert sorted(v for v in first.values() if v[1]) == [("ACCUSE", "added", ["CHN"]),
                                                          ("MOBILIZE", "fixed", ["CHN", "RUS"])]
    assert set(first) == set(events_of(graph))  # the same events as the embedded store
    via_backend = runner.invoke(app, ["events", "--backend", "neo4j", "--format", "json"])
    assert via_backend.exit_code == 0, via_backend.output
    assert {e["id"] for e in json.loads(via_backend.stdout)} == set(first)
