"""`who --did attack` on a graph built (with the real model) from Wikipedia current-events
style items: joint strikes give `with` rows between the attackers and `→` rows to the target."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from graph.types import ON, WITH

pytestmark = pytest.mark.model
runner = CliRunner()
ITEMS = [
    ("2025-06-13", "Israel attacks Iranian air defence sites near Tehran."),
    ("2025-06-14", "Iran fires ballistic missiles at Israel in retaliation."),
    ("2025-06-22", "Israel and the United States strike nuclear facilities in Iran, in a joint "
                   "operation against the Iranian nuclear program."),
    ("2025-06-23", "The United States and Israel hold joint air defence drills in the Negev."),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wce")
    items = folder / "items.jsonl"
    items.write_text("".join(json.dumps({"id": f"wce-{day}", "published": day, "text": text}) + "\n"
                             for day, text in ITEMS))
    graph = folder / "wce.db"
    result = runner.invoke(app, ["build", str(items), "--graph", str(graph)])
    assert result.exit_code == 0, result.stderr
    return graph


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def where(request, built):
    if request.param == "embedded":
        return ["--graph", str(built)], {}
    from graph.neo4j.load import clear, load
    from graph.store import load as load_graph

    driver, settings = request.getfixturevalue("neo4j_driver"), request.getfixturevalue("neo4j_settings")
    clear(driver, settings.database)
    load(driver, load_graph(built), settings.database)
    return (["--backend", "neo4j", "--uri", settings.uri, "--user", settings.user,
             "--database", settings.database], {"NEO4J_PASSWORD": settings.password})


def test_who_did_attack_separates_with_and_on_rows(where):
    args, env = where
    result = runner.invoke(app, ["who", "--did", "attack", "--format", "json", *args], env=env)
    assert result.exit_code == 0, result.stderr
    rows = {(r["actor_a"], r["relation"], r["actor_b"]): r for r in json.loads(result.stdout)}
    assert rows[("ISR", ON, "IRN")]["events"] == 2
    assert rows[("USA", ON, "IRN")]["events"] == 1
    assert rows[("IRN", ON, "ISR")]["events"] == 1
    assert rows[("ISR", WITH, "USA")]["events"] == 1
    assert ("IRN", WITH, "ISR") not in rows and ("ISR", WITH, "IRN") not in rows
    assert rows[("ISR", WITH, "USA")]["name_b"] == "United States"
    assert "nuclear" in rows[("ISR", WITH, "USA")]["evidence"]
    drills = runner.invoke(app, ["who", "--did", "exercise", "--format", "json", *args], env=env)
    assert [(r["actor_a"], r["relation"], r["actor_b"]) for r in json.loads(drills.stdout)] == \
        [("ISR", WITH, "USA")]
