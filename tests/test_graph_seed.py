"""The seed article end to end: build, then who / path / timeline as the issue demands."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app

pytest.importorskip("extract.pipeline", reason="the extraction pipeline is not available yet")
pytestmark = [pytest.mark.model, pytest.mark.shared]
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_graph(shared_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "eventkg.json"
    result = runner.invoke(app, ["build", str(shared_dir / "seed" / "article.txt"),
                                 "--published", "2025-12-08", "--graph", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr
    return path


def query(path, *args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--graph", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_who_exercised_with_whom_since_2022(seed_graph):
    rows = query(seed_graph, "who", "--did", "exercise", "--since", "2022")
    assert [(r["actor_a"], r["actor_b"]) for r in rows] == [("CHN", "RUS")]
    # the December drills (however often the article returns to them) and the naval operations
    assert rows[0]["events"] == 2
    assert "anti missile drills" in rows[0]["evidence"]


def test_expected_training_counts_with_include_future(seed_graph):
    rows = query(seed_graph, "who", "--did", "exercise", "--since", "2022", "--include-future")
    assert [(r["actor_a"], r["actor_b"], r["events"]) for r in rows] == [("CHN", "RUS", 3)]


def test_path_from_japan_to_russia_runs_through_china(seed_graph):
    rows = query(seed_graph, "path", "JPN", "RUS")
    first = [r for r in rows if r["path"] == 1]
    assert [r["source"] for r in first] == ["JPN", "CHN"]
    assert first[-1]["target"] == "RUS"
    assert "worry" in first[0]["evidence"]


def test_timeline_orders_agreement_naval_operations_and_drills(seed_graph):
    rows = query(seed_graph, "timeline", "CHN", "RUS")
    def position(fragment: str) -> int:
        return next(i for i, r in enumerate(rows) if fragment in r["evidence"])
    agreement = position("strategic cooperation agreement in 2022")
    naval = position("joint naval operations")
    drills = position("anti missile drills")
    assert agreement < naval < drills
    assert rows[agreement]["start"].startswith("2022")
    assert rows[drills]["start"] == "2025-12-07"


def test_later_references_to_the_drills_are_mentions_not_events(seed_graph):
    rows = query(seed_graph, "events", "--did", "exercise")
    drills = [r for r in rows if "anti missile drills" in r["evidence"]]
    assert len(drills) == 1 and drills[0]["mentions"] >= 3
