"""`eventkg explain`: the reasons printed for a sentence that gives an event, one whose
candidate is dropped, one with no trigger, one filtered before parsing; DOC:SENTENCE_INDEX
against a built graph; one-line errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

pytestmark = pytest.mark.model
runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

EVENT = "India and Japan held joint naval drills in the Bay of Bengal on Tuesday."
DROPPED = "The attack on the convoy was condemned by observers."
NO_TRIGGER = "China said the weather was fine on Sunday."
FILTERED = "The weather was fine for most of the week."


def explain(*args: str):
    return runner.invoke(app, ["explain", *args])


def test_sentence_with_an_event_shows_pattern_roles_resolution_time_and_status():
    result = explain(EVENT, "--published", "2024-05-10")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "first pass: parsed: names 2 actors" in out
    assert "6:drills/NOUN/dobj>held[trigger]" in out  # what the parser saw, compactly
    assert "actor 'India' -> IND (India): country name" in out
    assert "trigger 'drills' (pattern drill NOUN: COOPERATE:military CAMEO 062 exercise)" in out
    assert "roles via the light verb 'held'" in out
    assert "actor JPN (Japan): country name" in out
    assert "status asserted: no negation, modal, conditional or future cue" in out
    assert "time: 'on Tuesday', the nearest time expression up the parse tree: 2024-05-07 (day)" in out
    assert "location 'in the Bay of Bengal' -> no country ('Bay of Bengal': the place list)" in out
    assert "=> event " in out and out.rstrip().endswith("result: 1 event")


def test_dropped_candidate_says_why():
    result = explain(DROPPED, "--published", "2024-05-10")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "trigger 'condemned' (pattern condemn VERB: ACCUSE" in out
    assert "=> dropped: no actor found in its roles" in out
    assert "trigger 'attack' (pattern attack NOUN: ASSAULT" in out
    assert "result: no event: every candidate was dropped" in out


def test_no_trigger_and_filtered_sentences():
    result = explain(NO_TRIGGER, "--published", "2024-05-10")
    assert result.exit_code == 0, result.output
    assert "actor 'China' -> CHN (China): country name" in result.stdout
    assert "not a trigger here: 'said'" in result.stdout
    assert "result: no event: no trigger pattern matched" in result.stdout
    filtered = explain(FILTERED)
    assert filtered.exit_code == 0, filtered.output
    assert "first pass: not parsed: it names no actor" in filtered.stdout
    assert "result: no event: filtered before parsing" in filtered.stdout


def test_a_sentence_about_sport_is_discarded_by_name():
    result = explain("Russia beat China 3-1 in the World Cup semifinal on Sunday.", "--published", "2024-03-01")
    assert "discarded: about sport, film or music (words 'cup', 'semifinal', 'world cup')" in result.stdout
    assert "result: no event: the sentence is about sport" in result.stdout
    assert "trigger 'beat'" not in result.stdout


def test_status_reasons_name_their_cues():
    result = explain("Russia will not hold exercises with China next year.", "--published", "2024-03-01")
    assert "status negated: future 'will', negation 'not' (negated over hypothetical over future)" in result.stdout
    later = explain("China and Russia held joint drills on 3 June 2024.", "--published", "2024-03-01")
    assert "status future: its time (2024-06-03) is after the publication date (2024-03-01)" in later.stdout


def test_people_and_capitals_resolve_with_their_source():
    result = explain("President Xi Jinping met Vladimir Putin in Moscow.", "--published", "2024-03-01")
    out = " ".join(result.stdout.split())
    assert "actor 'Xi Jinping' -> CHN GOV (China): person (Xi Jinping," in out
    assert "the whole phrase 'President Xi Jinping' gives sector GOV" in out
    assert "actor 'Moscow' -> RUS GOV (Russia): capital: its government" in out


def test_places_say_where_their_country_came_from():
    gazetteer = explain("India and Japan signed an agreement in Osaka.", "--published", "2024-03-01")
    assert "location 'in Osaka' -> JPN (gazetteer: a city of 100,000 people or more" in " ".join(gazetteer.stdout.split())
    demonym = explain("Chinese warships held drills on Russian territory.", "--published", "2024-03-01")
    assert "location 'on Russian territory' -> RUS ('Russian': demonym)" in demonym.stdout
    assert "actor 'Russian' -> RUS (Russia): demonym; it qualifies a place noun" in " ".join(demonym.stdout.split())


def test_json_format_carries_the_same_reasons():
    result = explain(DROPPED, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    sentence = data["sentences"][0]
    assert sentence["verdict"] == "no event: every candidate was dropped"
    by_word = {t["word"]: t for t in sentence["triggers"]}
    assert by_word["condemned"]["result"] == "dropped"
    assert by_word["condemned"]["why"] == "no actor found in its roles"
    assert {t["dep"] for t in sentence["tokens"]} >= {"nsubjpass", "agent"}
    fired = json.loads(explain(EVENT, "--format", "json").stdout)["sentences"][0]
    trigger = fired["triggers"][0]
    assert trigger["result"] == "event" and trigger["event_id"] == fired["events"][0]["id"]
    assert [a["id"] for a in trigger["roles"]["actors"]] == ["IND", "JPN"]
    assert fired["tokens"][0]["entity"] == "IND"


@pytest.fixture(scope="module")
def example_graph(tmp_path_factory) -> Path:
    graph = tmp_path_factory.mktemp("explain") / "g.db"
    result = runner.invoke(app, ["build", str(EXAMPLES), "--graph", str(graph)])
    assert result.exit_code == 0, result.output
    return graph


def test_doc_sentence_against_a_built_graph(example_graph):
    whole = explain("2021-10-joint-sea:1", "--graph", str(example_graph), "--docs", str(EXAMPLES))
    assert whole.exit_code == 0, whole.output
    out = whole.stdout
    assert out.startswith("published: 2021-10-24\nsentence 1: Ten warships from the two navies")
    assert "actor 'the two navies' -> CHN (China): a group reference" in out
    assert "trigger 'sailed' (pattern sail VERB: COOPERATE:military" in out
    assert "result: 2 events" in out
    graph_lines = out.split("in the graph:\n")[1].splitlines()
    assert len(graph_lines) == 2 and all("-> event " in line for line in graph_lines)
    fired = {line.split("=> event ")[1] for line in out.splitlines() if "=> event " in line}
    assert fired == {line.split()[1] for line in graph_lines}  # the graph's mentions are these events

    alone = explain("2021-10-joint-sea:1", "--graph", str(example_graph))
    assert alone.exit_code == 0, alone.output
    assert "note: explained on its own, without the sentences before it" in alone.stdout
    assert "=> dropped: no actor found in its roles" in alone.stdout  # "the two navies" needs the article


@pytest.mark.parametrize("args, message", [
    (["nodoc:1"], "error: document 'nodoc' is not in the graph"),
    (["2021-10-joint-sea:x"], "error: bad sentence index 'x' in '2021-10-joint-sea:x'"),
    (["2021-10-joint-sea:40"], "error: sentence 40 of '2021-10-joint-sea' gave no event"),
    (["2021-10-joint-sea:40", "--docs", str(EXAMPLES)], "error: document '2021-10-joint-sea' has no sentence 40"),
    (["2021-10-joint-sea:1", "--docs", str(EXAMPLES / "2022-09-vostok.txt")], "error: document '2021-10-joint-sea' is not among the articles"),
])
def test_reference_errors_are_one_line(example_graph, args, message):
    result = explain(*args, "--graph", str(example_graph))
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1


def test_missing_graph_and_empty_sentence_are_one_line(tmp_path):
    missing = explain("doc:1", "--graph", str(tmp_path / "none.db"))
    assert missing.exit_code == 1
    assert missing.stderr.splitlines() == [f"error: graph file {tmp_path / 'none.db'} not found (run `eventkg build` first)"]
    empty = explain("   ")
    assert empty.exit_code == 1 and empty.stderr.splitlines() == ["error: nothing to explain: the sentence is empty"]
    bad = explain(EVENT, "--published", "May 10")
    assert bad.exit_code == 1 and len(bad.stderr.splitlines()) == 1


def test_help_names_the_forms_options_and_examples():
    explain_help = runner.invoke(app, ["explain", "--help"], env={"COLUMNS": "200"})
    assert explain_help.exit_code == 0
    for text in ("SENTENCE|DOC:SENTENCE_INDEX", "--published", "--graph", "--docs", "--format", "Examples:"):
        assert text in explain_help.stdout
    build_help = runner.invoke(app, ["build", "--help"], env={"COLUMNS": "200"})
    for text in ("--corrections", "--actors", "--triggers", "--progress-every", "Ctrl-C", "Examples:"):
        assert text in build_help.stdout
