"""Tables for people: at 80 columns no id, count or date wraps (only the evidence column
does), names stand beside ids, and long evidence is a window around the event's words."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from cli import app
from graph.build import apply_documents
from graph.store import save
from graph.synthetic import make_document
from graph.tables import ELLIPSIS, kwic
from test_answers import answers_graph, make_named

runner = CliRunner()
LONG = ("In a statement released late on Tuesday after a cabinet meeting that lasted several hours "
        "and covered the budget, the economy and the coming elections, the government said that "
        "Saudi Arabia and the United Arab Emirates have carried out joint naval drills near the "
        "coast of Yemen, which the Houthis condemned on Wednesday in a note published online.")


@pytest.fixture(scope="module")
def wide_graph(tmp_path_factory):
    g = answers_graph()
    drills = make_named("gulf-news-2024-11-03", 2, ["SAU", "ARE"], start="2024-11-03",
                        action_text="have carried out ... drills", sentence=LONG)
    g = apply_documents(g, [(make_document("gulf-news-2024-11-03", "2024-11-04"), [drills])])
    path = tmp_path_factory.mktemp("tables") / "wide.db"
    save(g, path)
    return path


COMMANDS = [
    ["who"], ["who", "--did", "attack", "--source", "ISR"], ["path", "USA", "ISR"],
    ["timeline"], ["timeline", "CHN", "RUS"], ["events"], ["events", "--show-mentions"], ["stats"],
]


def blocks(table: str) -> tuple[list[str], list[list[list[str]]]]:
    """The header cells and, per row, the cells of each of its lines (rich's box drawing)."""
    headers, rows, current = [], [], None
    for line in table.splitlines():
        if line.startswith("┃"):
            headers.append([c.strip() for c in line.strip("┃").split("┃")])
        elif line.startswith("│"):
            if current is None:
                current = []
                rows.append(current)
            current.append([c.strip() for c in line.strip("│").split("│")])
        elif line.startswith(("├", "└")):
            current = None
    return headers, rows


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c))
def test_every_query_table_fits_80_columns_without_breaking_words(wide_graph, command):
    args = [*command, "--graph", str(wide_graph)]
    table = runner.invoke(app, args, env={"COLUMNS": "80"})
    data = runner.invoke(app, [*args, "--format", "json"])
    assert table.exit_code == 0 and data.exit_code == 0, table.stderr
    assert all(len(line) <= 80 for line in table.stdout.splitlines()), table.stdout
    headers, rows = blocks(table.stdout)
    assert len(headers) == 1, table.stdout  # header names never wrap
    columns = headers[0]
    fixed = len(columns) - 1 if columns[-1] == "evidence" else len(columns)
    records = json.loads(data.stdout)
    assert len(rows) == len(records)
    for lines in rows:
        for column in range(fixed):
            filled = [cells[column] for cells in lines if cells[column]]
            assert len(filled) == 1, (columns[column], filled, table.stdout)
    text = " ".join(table.stdout.split())
    for record in records:  # every date of the answer is shown whole somewhere
        for key in ("first", "last", "start", "date"):
            if record.get(key):
                assert record[key] in text, (key, record[key])


def test_tables_show_names_beside_ids(wide_graph):
    args = ["--graph", str(wide_graph)]
    for command in (["who"], ["events"], ["timeline"], ["path", "USA", "ISR"], ["stats"]):
        out = " ".join(runner.invoke(app, [*command, *args], env={"COLUMNS": "80"}).stdout.split())
        assert "Israel" in out or "United Arab Emirates" in out, command
    stats = runner.invoke(app, ["stats", *args], env={"COLUMNS": "80"}).stdout
    assert "ARE United Arab Emirates" in stats


def test_long_evidence_is_a_window_around_the_trigger(wide_graph):
    out = runner.invoke(app, ["who", "--did", "exercise", "--actor", "SAU", "--graph", str(wide_graph)],
                        env={"COLUMNS": "80"}).stdout
    flat = " ".join(re.sub(r"[│┃]", " ", out).split())
    assert "drills" in flat and ELLIPSIS in flat
    assert "In a statement released" not in flat  # the start of the sentence is cut, not the trigger
    full = json.loads(runner.invoke(app, ["who", "--actor", "SAU", "--graph", str(wide_graph),
                                          "--format", "json"]).stdout)
    assert full[0]["evidence"] == LONG  # JSON and CSV keep the whole sentence


@pytest.mark.parametrize("action", ["have carried out ... drills", "drills", "condemned", "published",
                                    "statement", "drill"])
def test_kwic_keeps_the_event_words_and_cuts_at_word_boundaries(action):
    window = kwic(LONG, action, width=100)
    assert len(window) <= 102
    last = re.split(r"\.\.\.", action)[-1].strip()
    assert last.rstrip("s") in window
    inner = window.strip(ELLIPSIS)
    assert inner in LONG  # a part of the sentence, whole words only
    if window.startswith(ELLIPSIS):
        assert LONG[LONG.index(inner) - 1] == " "
    if window.endswith(ELLIPSIS):
        assert LONG[LONG.index(inner) + len(inner)] in " ,"


def test_kwic_leaves_short_sentences_whole():
    assert kwic("China and Russia held drills.", "held drills") == "China and Russia held drills."
    assert kwic("  spaced \n out  ", "") == "spaced out"
