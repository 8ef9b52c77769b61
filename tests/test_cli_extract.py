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


# --- input formats and options -------------------------------------------------------

ARTICLE = ("China and Russia held joint naval drills in the Sea of Japan on Sunday.",
           "Japan protested the exercise on Monday.")


def _html(title: str, published: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return (f'<html><head><title>{title}</title><meta property="article:published_time" '
            f'content="{published}"></head><body><nav>Home | World</nav><article><h1>{title}</h1>'
            f'{paragraphs}</article><footer>About us</footer></body></html>')


def _txt(title: str, published: str) -> str:
    return f"Title: {title}\nPublished: {published}\n\n" + "\n\n".join(ARTICLE) + "\n"


def test_html_and_csv_give_the_same_events_as_txt(tmp_path):
    (tmp_path / "navies.txt").write_text(_txt("Navies", "2025-12-08"))
    (tmp_path / "navies.html").write_text(_html("Navies", "2025-12-08"))
    text = "\n\n".join(ARTICLE)
    (tmp_path / "wire.csv").write_text(f'id,published,title,text\nnavies,2025-12-08,Navies,"{text}"\n')
    outputs = [run(str(tmp_path / name)) for name in ("navies.txt", "navies.html", "wire.csv")]
    assert all(r.exit_code == 0 for r in outputs), [r.stderr for r in outputs]
    assert len(_records(outputs[0].stdout)) >= 2
    assert outputs[1].stdout == outputs[0].stdout
    assert outputs[2].stdout == outputs[0].stdout


def test_csv_column_options(tmp_path):
    (tmp_path / "wire.tsv").write_text("story\tday\tbody\nk1\t2025-01-10\tJapan and India held talks in Tokyo.\n")
    result = run(str(tmp_path / "wire.tsv"), "--text-column", "body", "--id-column", "story",
                 "--date-column", "day")
    assert result.exit_code == 0, result.stderr
    (record,) = _records(result.stdout)
    assert record["doc_id"] == "k1" and record["time"]["start"] == "2025-01-10"


def test_reuters_sgml_stories_are_documents(tmp_path):
    (tmp_path / "r.sgm").write_text(
        '<REUTERS NEWID="5"><DATE>3-MAR-1987 09:15:00.00</DATE><TEXT><TITLE>TALKS</TITLE>'
        '<DATELINE>    TOKYO, March 3 - </DATELINE><BODY>Japan and China held trade talks\n'
        'in Tokyo on Tuesday.\n Reuter\n&#3;</BODY></TEXT></REUTERS>')
    result = run(str(tmp_path / "r.sgm"))
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert records and {r["doc_id"] for r in records} == {"reuters-5"}
    assert records[0]["time"]["start"] == "1987-03-03"
    assert "<" not in records[0]["sentence"]


def test_stdin_text(tmp_path):
    result = run("-", "--stdin", "txt", "--published", "2025-12-08",
                 input="China and Russia held joint naval drills on Sunday.\n")
    assert result.exit_code == 0, result.stderr
    assert {r["doc_id"] for r in _records(result.stdout)} == {"stdin"}


def test_encoding_option(tmp_path):
    (tmp_path / "a.txt").write_bytes(("Published: 2025-12-08\n\nCaf\u00e9 talks: China and Russia "
                                      "held joint naval drills on Sunday.\n").encode("latin-1"))
    skipped = run(str(tmp_path / "a.txt"))
    assert skipped.exit_code != 0 and "--encoding" in skipped.stderr
    result = run(str(tmp_path / "a.txt"), "--encoding", "latin-1")
    assert result.exit_code == 0, result.stderr
    assert "Caf\u00e9" in _records(result.stdout)[0]["sentence"]


@pytest.mark.parametrize("args, message", [
    (["notes.md"], "notes.md: unknown file type '.md'"),
    (["a.txt", "--published", "0001-01-01"], "--published 0001-01-01 is outside"),
    (["a.txt", "--published", "9999-12-31"], "--published 9999-12-31 is outside"),
    (["a.txt", "--encoding", "klingon"], "unknown encoding 'klingon'"),
    (["a.txt", "--dask", "local:zero"], "invalid --dask 'local:zero'"),
])
def test_bad_inputs_and_options_are_one_error_line(tmp_path, args, message):
    (tmp_path / "notes.md").write_text("# notes\n")
    (tmp_path / "a.txt").write_text(GOOD)
    result = run(*[str(tmp_path / a) if a in ("notes.md", "a.txt") else a for a in args])
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr and result.stdout == ""


def test_directory_run_names_what_it_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "README").write_text("About.\n")
    (tmp_path / "words.txt").write_text("drill\nexercise\npatrol\nsummit\n")
    result = run(str(tmp_path))
    assert result.exit_code == 0
    assert "2 skipped" in result.stderr and "README (documentation)" in result.stderr
    assert "words.txt (a word list, not an article)" in result.stderr
    assert {r["doc_id"] for r in _records(result.stdout)} == {"a"}


def test_hostile_records_are_named_and_every_line_is_one_record():
    lines = [
        '{"id": "sur", "text": "China and Russia held joint military drills on Sunday \\ud800.", "published": "2025-12-08"}',
        json.dumps({"id": "edge", "text": "China and Russia held drills.", "published": "0001-01-01"}),
        json.dumps({"id": "x" * 600, "text": "China and Russia held drills."}),
        json.dumps({"id": "breaks", "text": "China and Russia held joint naval drills\u2028on Sunday\u0085 "
                    "near Vladivostok.", "published": "2025-12-08"}),
    ]
    result = run("-", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("warning: ") == 3
    out = result.stdout.rstrip("\n")
    assert out.splitlines() == out.split("\n")  # nothing inside a record splits a line
    docs = {r["doc_id"] for r in _records(result.stdout)}
    assert docs == {"sur", "breaks"}


def test_build_takes_the_reader_options(tmp_path):
    (tmp_path / "wire.tsv").write_text("story\tday\tbody\nk1\t2025-01-10\tJapan and India held talks in Tokyo.\n")
    (tmp_path / "README.md").write_text("About.\n")
    graph = str(tmp_path / "g.json")
    result = runner.invoke(app, ["build", str(tmp_path), "--graph", graph, "--text-column", "body",
                                 "--id-column", "story", "--date-column", "day"])
    assert result.exit_code == 0, result.stderr
    assert "README.md (documentation)" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("1 documents read: 1 added")
    events = runner.invoke(app, ["events", "--graph", graph, "--format", "json"])
    assert events.exit_code == 0 and "2025-01-10" in events.stdout


def test_build_refuses_an_unknown_file_type_in_one_line(tmp_path):
    (tmp_path / "notes.md").write_text("# notes\n")
    result = runner.invoke(app, ["build", str(tmp_path / "notes.md"), "--graph", str(tmp_path / "g.json")])
    assert result.exit_code != 0 and result.stderr.count("\n") == 1
    assert "unknown file type '.md'" in result.stderr
    assert not (tmp_path / "g.json").exists()
