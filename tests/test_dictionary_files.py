"""A dictionary file a user passes (--triggers, --actors) that is wrong in any way gives one
error line and a non-zero exit, never a traceback."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
BAD_TRIGGERS = [
    "[]", "nonsense", '{"triggers": {}}', '{"triggers": [1]}', '{"triggers": [{"lemma": 3, "plover": "AID"}]}',
    '{"triggers": [{"lemma": "x"}]}', '{"triggers": [{"lemma": "x", "plover": "HELP"}]}',
    '{"triggers": [{"lemma": "x", "plover": "AID", "tags": "aid"}]}',
    '{"triggers": [{"lemma": "x", "plover": "AID", "tags": ["gift"]}]}',
    '{"triggers": [{"lemma": "x", "plover": "AID", "object": 5}]}',
    '{"triggers": [{"lemma": "x", "plover": "AID", "pos": 1}]}',
    '{"triggers": [{"lemma": "x", "plover": "AID", "mode": []}]}',
    '{"triggers": [{"lemmas": "x", "plover": "AID"}]}', '{"light_verbs": 4}', '{"weapon_words": [1, 2]}',
]
BAD_ACTORS = [
    "[]", "nonsense", '{"countries": 5}', '{"entities": {}}', '{"entities": [1]}', '{"entities": [{"id": 3}]}',
    '{"entities": [{"id": "x", "aliases": "abc"}]}', '{"entities": [{"id": "x", "aliases": [1]}]}',
    '{"entities": [{"id": "x", "aliases": ["Foo"], "sectors": 5}]}',
    '{"entities": [{"id": "x", "kind": 5, "aliases": ["Foo"]}]}', '{"people": [{"name": 5}]}',
    '{"people": [{"name": "A B", "roles": [["RUS", "GOV", "x", null]]}]}', '{"sector_nouns": {"MIL": 5}}',
    '{"places": [1]}', '{"non_actors": 5}', '{"not_countries": "RUS"}',
]


@pytest.mark.model
@pytest.mark.parametrize("option,content", [("--triggers", c) for c in BAD_TRIGGERS]
                         + [("--actors", c) for c in BAD_ACTORS])
def test_bad_dictionary_file_is_one_error_line(tmp_path, option, content):
    bad = tmp_path / "dictionary.json"
    bad.write_text(content)
    article = tmp_path / "a.txt"
    article.write_text("China and Russia held joint drills on Sunday.\n")
    result = runner.invoke(app, ["extract", str(article), option, str(bad)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert result.stdout == ""


@pytest.mark.model
def test_an_empty_trigger_file_adds_nothing_and_works(tmp_path):
    extra = tmp_path / "none.json"
    extra.write_text("{}")
    article = tmp_path / "a.txt"
    article.write_text("China and Russia held joint drills on Sunday.\n")
    result = runner.invoke(app, ["extract", str(article), "--triggers", str(extra)])
    assert result.exit_code == 0 and '"plover": "COOPERATE"' in result.stdout
