"""`eventkg extract` end to end: output shape and bad input."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app

pytestmark = pytest.mark.model
runner = CliRunner()
GOOD = "Title: Drills\nPublished: 2025-12-08\n\nChina and Russia held joint naval drills on Sunday.\n"


def run(*args: str, input: str | None = None):
    return runner.invoke(app, ["extract", *args], input=input, env={"COLUMNS": "200"})


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_jsonl_record_has_every_spec_field(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = run(str(tmp_path / "a.txt"))
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert records
    record = records[0]
    assert set(record) == {"id", "doc_id", "sentence_index", "sentence", "span", "actors", "targets",
                           "action", "time", "location", "status", "confidence", "name"}
    assert set(record["action"]) == {"trigger", "text", "plover", "mode", "cameo", "tags"}
    assert set(record["time"]) == {"text", "start", "end", "granularity"}
    assert record["time"]["start"] == "2025-12-07"
    assert {a["id"] for a in record["actors"]} == {"CHN", "RUS"}


def test_table_format(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = run(str(tmp_path / "a.txt"), "--format", "table")
    assert result.exit_code == 0
    assert "COOPERATE" in result.stdout and "CHN" in result.stdout


def test_stdin_jsonl():
    line = json.dumps({"id": "s1", "text": "Japan and India held talks in Tokyo.", "published": "2025-01-10"})
    result = run("-", input=line + "\n")
    assert result.exit_code == 0
    assert [r["doc_id"] for r in _records(result.stdout)] == ["s1"]


def test_missing_path_alone_fails_with_one_line(tmp_path):
    result = run(str(tmp_path / "nope.txt"))
    assert result.exit_code != 0
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_bad_files_are_named_and_good_ones_still_extracted(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 binary \x00")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "broken.jsonl").write_text('{"id": "j1", "text": "Iran and Iraq held talks."}\n{not json\n')
    result = run(str(tmp_path), str(tmp_path / "missing.txt"))
    assert result.exit_code == 0
    for name in ("binary.txt", "latin1.txt", "empty.txt", "broken.jsonl", "missing.txt"):
        assert name in result.stderr, name
    assert "Traceback" not in result.stderr
    docs = {r["doc_id"] for r in _records(result.stdout)}
    assert {"good", "j1"} <= docs


def test_five_megabyte_single_line(tmp_path):
    filler = "The weather stayed mild and the markets were calm. " * 100_000
    (tmp_path / "huge.txt").write_text(filler + "China and Russia held joint drills on Sunday.")
    assert (tmp_path / "huge.txt").stat().st_size > 5_000_000
    result = run(str(tmp_path / "huge.txt"), "--published", "2025-12-08")
    assert result.exit_code == 0, result.stderr
    assert any(r["action"]["plover"] == "COOPERATE" for r in _records(result.stdout))


def test_invalid_published_is_one_clear_line(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = run(str(tmp_path / "a.txt"), "--published", "2025-13-45")
    assert result.exit_code != 0
    assert result.stderr.strip().count("\n") == 0 and "--published" in result.stderr


def test_nothing_readable_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = run(str(tmp_path / "empty.txt"))
    assert result.exit_code != 0
    assert "no document could be read" in result.stderr


def test_every_command_has_help():
    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
