"""The bundled example articles: two agencies' reports of one exercise become one event."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from graph.store import load

pytestmark = pytest.mark.model
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def examples_graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("examples") / "eventkg.json"
    result = runner.invoke(app, ["build", str(EXAMPLES), "--graph", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def test_every_example_has_a_title_and_a_publication_date():
    articles = sorted(EXAMPLES.glob("*.txt"))
    assert 6 <= len(articles) <= 10
    for article in articles:
        header = article.read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert header.startswith("Title: ") and "\nPublished: " in header, article.name


def test_two_agencies_reporting_one_exercise_give_one_event(examples_graph):
    g = load(examples_graph)
    reported_by = [{g.mentions[m]["doc_id"] for m in e.mention_ids} for e in g.events]
    assert {"2023-07-20-tass-northern-interaction", "2023-07-23-xinhua-northern-interaction"} in reported_by


def test_who_exercised_with_whom_since_2022(examples_graph):
    result = runner.invoke(app, ["who", "--did", "exercise", "--since", "2022", "--graph",
                                 str(examples_graph), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    china_russia = next(r for r in rows if (r["actor_a"], r["actor_b"]) == ("CHN", "RUS"))
    assert china_russia["events"] >= 2
    assert china_russia["first"] >= "2022-01-01"
