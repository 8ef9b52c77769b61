"""Dependency patterns in trigger files: a user's own pattern adds events through `--triggers`,
wins over a lexicon row on the same word, fills its role nodes, and a bad pattern is one
error line."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from extract.patterns import PatternFileError, load_patterns

pytestmark = pytest.mark.model
runner = CliRunner()

TRIGGER = {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "snub", "POS": "VERB"}}
SNUB = {
    "id": "snub", "plover": "REJECT", "mode": "", "cameo": "120", "tags": [],
    "pattern": [
        TRIGGER,
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "actor", "RIGHT_ATTRS": {"DEP": "nsubj"}},
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "target", "RIGHT_ATTRS": {"DEP": "dobj"}},
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "at", "RIGHT_ATTRS": {"LOWER": "at"}},
        {"LEFT_ID": "at", "REL_OP": ">", "RIGHT_ID": "occasion", "RIGHT_ATTRS": {"DEP": "pobj"}},
        {"LEFT_ID": "occasion", "REL_OP": ">", "RIGHT_ID": "in", "RIGHT_ATTRS": {"LOWER": "in"}},
        {"LEFT_ID": "in", "REL_OP": ">", "RIGHT_ID": "place", "RIGHT_ATTRS": {"DEP": "pobj"}},
    ],
}
TEXT = "Mexico snubbed Peru at the summit in Lima on Tuesday.\n"


def _extract(tmp_path, text, *patterns):
    article = tmp_path / "a.txt"
    article.write_text(text)
    args = ["extract", str(article)]
    if patterns:
        extra = tmp_path / "mine.json"
        extra.write_text(json.dumps({"dependency_patterns": list(patterns)}))
        args += ["--triggers", str(extra)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_a_users_pattern_file_adds_an_event_with_its_roles(tmp_path):
    assert _extract(tmp_path, TEXT) == []  # "snub" is no trigger of the built-in data
    [event] = _extract(tmp_path, TEXT, SNUB)
    assert event["action"]["plover"] == "REJECT" and event["action"]["trigger"] == "snub"
    assert [a["id"] for a in event["actors"]] == ["MEX"] and [t["id"] for t in event["targets"]] == ["PER"]
    assert event["location"]["id"] == "PER" and event["location"]["text"] == "in Lima"
    assert event["status"] == "asserted"


def test_a_time_role_names_the_events_time(tmp_path):
    text = "On Monday officials said Mexico snubbed Peru on Tuesday.\n"
    pattern = {**SNUB, "pattern": SNUB["pattern"][:3] + [
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "on", "RIGHT_ATTRS": {"LOWER": "on"}},
        {"LEFT_ID": "on", "REL_OP": ">", "RIGHT_ID": "time", "RIGHT_ATTRS": {"DEP": "pobj"}}]}
    [event] = _extract(tmp_path, text, pattern)
    assert event["time"]["text"] == "on Tuesday"


def test_a_pattern_wins_over_the_lexicon_row_on_the_same_word(tmp_path):
    text = "Mexico condemned Peru on Tuesday.\n"
    [before] = _extract(tmp_path, text)
    assert before["action"]["plover"] == "ACCUSE"
    protest = {"id": "condemn-as-protest", "plover": "PROTEST", "cameo": "140", "status": "future",
               "pattern": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "condemn"}}]}
    [after] = _extract(tmp_path, text, protest)  # one event, not the lexicon's and the pattern's
    assert after["action"]["plover"] == "PROTEST" and after["status"] == "future"
    assert [a["id"] for a in after["actors"]] == ["MEX"] and [t["id"] for t in after["targets"]] == ["PER"]


def test_an_earlier_file_wins_and_roles_left_out_come_from_the_general_rules(tmp_path):
    text = "Mexico snubbed Peru.\n"
    bare = {"id": "bare-snub", "plover": "ACCUSE", "pattern": [TRIGGER]}
    [event] = _extract(tmp_path, text, bare, SNUB)  # SNUB needs an "at" phrase: only the bare one fits
    assert event["action"]["plover"] == "ACCUSE"
    assert [a["id"] for a in event["actors"]] == ["MEX"] and [t["id"] for t in event["targets"]] == ["PER"]


def test_the_built_in_patterns_compile(extractor):
    ids = [entry.id for entry in extractor.patterns.entries]
    assert {"reported-obligation", "moving-together", "training-together", "barred-from-entering"} <= set(ids)
    assert {"say", "patrol", "train", "bar"} <= extractor.patterns.head_words()


NODE = {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {}}


def _file(*entries) -> str:
    return json.dumps({"dependency_patterns": list(entries)})


def _bad(**fields) -> str:
    return _file({"id": "x", "plover": "AID", **fields})


BAD_PATTERNS = [
    '{"dependency_patterns": {}}', '{"dependency_patterns": [1]}',
    _file({"plover": "AID", "pattern": [NODE]}),  # no id
    _bad(plover="HELP", pattern=[NODE]), _bad(tags=["gift"], pattern=[NODE]), _bad(status="maybe", pattern=[NODE]),
    _bad(), _bad(pattern=[]), _bad(pattern=[NODE], patterns=[[NODE]]), _bad(patern=[NODE]),
    _bad(id=5, pattern=[NODE]), _bad(mode=[], pattern=[NODE]), _bad(tags="aid", pattern=[NODE]),
    _bad(patterns=[]), _bad(patterns=[5]), _bad(pattern=[5]),
    _bad(pattern=[{"RIGHT_ID": "actor", "RIGHT_ATTRS": {}}]),  # no trigger node
    _bad(pattern=[NODE, {"RIGHT_ID": "a", "RIGHT_ATTRS": {}}]),  # no LEFT_ID / REL_OP
    _bad(pattern=[NODE, {"LEFT_ID": "nobody", "REL_OP": ">", "RIGHT_ID": "a", "RIGHT_ATTRS": {}}]),
    _bad(pattern=[NODE, {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "a"}]),  # no RIGHT_ATTRS
    _bad(pattern=[NODE, {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "trigger", "RIGHT_ATTRS": {}}]),
    _bad(pattern=[{"RIGHT_ID": "trigger", "RIGHT_ATTRS": 5}]),
    _bad(pattern=[{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": {"IN": 5}}}]),  # spaCy's own checks
    _bad(pattern=[{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"COLOUR": "red"}}]),
    _bad(pattern=[NODE, {"LEFT_ID": "trigger", "REL_OP": "<>", "RIGHT_ID": "a", "RIGHT_ATTRS": {}}]),
    _file({"id": "x", "plover": "AID", "pattern": [NODE]}, {"id": "x", "plover": "AID", "pattern": [NODE]}),
]


@pytest.mark.parametrize("content", BAD_PATTERNS)
def test_a_bad_pattern_file_is_one_error_line(tmp_path, content):
    bad = tmp_path / "patterns.json"
    bad.write_text(content)
    article = tmp_path / "a.txt"
    article.write_text("China and Russia held joint drills on Sunday.\n")
    result = runner.invoke(app, ["extract", str(article), "--triggers", str(bad)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "patterns.json" in lines[0], result.stderr
    assert result.stdout == ""


def test_a_bad_pattern_is_a_pattern_file_error(tmp_path, extractor):
    bad = tmp_path / "p.json"
    bad.write_text(_bad(pattern=[{"RIGHT_ID": "a", "RIGHT_ATTRS": {}}]))
    with pytest.raises(PatternFileError, match="RIGHT_ID 'trigger'"):
        load_patterns(extractor.nlp.vocab, [bad])


def test_a_trigger_node_that_names_no_word_still_matches(tmp_path):
    text = "Mexico rudely ignored Peru.\n"
    assert _extract(tmp_path, text) == []
    rude = {"id": "rude-act", "plover": "REJECT", "pattern": [
        {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"POS": "VERB"}},
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "manner", "RIGHT_ATTRS": {"LOWER": "rudely"}}]}
    [event] = _extract(tmp_path, text, rude)
    assert event["action"]["plover"] == "REJECT" and event["action"]["trigger"] == "ignore"
    assert [a["id"] for a in event["actors"]] == ["MEX"] and [t["id"] for t in event["targets"]] == ["PER"]


def test_a_target_node_takes_its_actors_out_of_the_general_rules_actors(tmp_path):
    text = "Turkey's facilitation between Russia and Ukraine continued on Monday.\n"
    trigger = {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "facilitation"}}
    bare = {"id": "facilitation", "plover": "CONSULT", "pattern": [trigger]}
    [event] = _extract(tmp_path, text, bare)  # a nominal's "between" phrase names actors by default
    assert sorted(a["id"] for a in event["actors"]) == ["RUS", "TUR", "UKR"] and event["targets"] == []
    between = {**bare, "pattern": [
        trigger, {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "between", "RIGHT_ATTRS": {"LOWER": "between"}},
        {"LEFT_ID": "between", "REL_OP": ">", "RIGHT_ID": "target", "RIGHT_ATTRS": {"DEP": "pobj"}}]}
    [event] = _extract(tmp_path, text, between)
    assert [a["id"] for a in event["actors"]] == ["TUR"]
    assert sorted(t["id"] for t in event["targets"]) == ["RUS", "UKR"]


def test_query_words_name_the_tags_of_the_built_in_patterns():
    from extract.triggers import tags_for_word
    assert tags_for_word("trained") == {"exercise"} and tags_for_word("sailed") == {"patrol"}
    assert tags_for_word("insisted") == {"statement"}


def test_the_built_in_obligation_pattern_binds_its_roles_on_a_hand_built_parse():
    import spacy
    from spacy.tokens import Doc

    words = ["Poland", "said", "that", "Belarus", "must", "close", "it", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[1, 1, 5, 5, 5, 1, 5, 1],
              deps=["nsubj", "ROOT", "mark", "nsubj", "aux", "ccomp", "dobj", "punct"],
              lemmas=["Poland", "say", "that", "Belarus", "must", "close", "it", "."],
              pos=["PROPN", "VERB", "SCONJ", "PROPN", "AUX", "VERB", "PRON", "PUNCT"])
    found = load_patterns(doc.vocab).matches(doc)
    assert list(found) == [1]  # one event word: "said"
    match = found[1]
    assert match.entry.id == "reported-obligation" and match.trigger.plover == "REQUEST"
    assert {role: words[i] for role, i in match.roles.items()} == \
        {"trigger": "said", "actor": "Poland", "target": "Belarus"}  # the alternative with the most roles
    doc = Doc(doc.vocab, words=[w if w != "must" else "will" for w in words], heads=[1, 1, 5, 5, 5, 1, 5, 1],
              deps=["nsubj", "ROOT", "mark", "nsubj", "aux", "ccomp", "dobj", "punct"],
              lemmas=["Poland", "say", "that", "Belarus", "will", "close", "it", "."],
              pos=["PROPN", "VERB", "SCONJ", "PROPN", "AUX", "VERB", "PRON", "PUNCT"])
    assert load_patterns(doc.vocab).matches(doc) == {}  # no "must": a report, not a demand
