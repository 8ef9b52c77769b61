"""The seed article against its gold events, with the real spaCy pipeline."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from extract.pipeline import Extractor
from extract.reader import DocumentReader

pytestmark = pytest.mark.model
PUBLISHED = date(2025, 12, 8)
ORGANISATIONS = {"UN", "EU", "NATO", "SCO", "ASEAN", "AU", "BRICS", "GCC", "OPEC", "IAEA", "WHO", "ICC", "ICJ",
                 "G7", "G20", "CSTO", "OSCE", "ARAB_LEAGUE", "OAS", "ECOWAS", "IMF", "WORLD_BANK", "WTO"}


@pytest.fixture(scope="module")
def seed(shared_dir, extractor: Extractor):
    gold = json.loads((shared_dir / "seed" / "gold.json").read_text())
    problems: list[str] = []
    documents = list(DocumentReader([str(shared_dir / "seed" / "article.txt")], PUBLISHED, problems.append))
    assert not problems and len(documents) == 1
    return documents[0], extractor.extract_one(documents[0]), gold


def _ids(actors) -> set[str]:
    return {a.id for a in actors}


def _matches(event, gold: dict) -> bool:
    categories = {gold["plover"], *gold.get("plover_also_ok", ())}
    if event.action.plover not in categories or not set(gold["tags"]) <= set(event.action.tags):
        return False
    if _ids(event.actors) != set(gold["actors"]) or event.status != gold["status"]:
        return False
    targets = _ids(event.targets)
    if gold.get("targets_optional"):
        if not targets <= set(gold["targets"]):
            return False
    elif targets != set(gold["targets"]):
        return False
    if gold.get("location") and (event.location is None or event.location.id != gold["location"]):
        return False
    return gold["start"] <= event.time.start and event.time.end <= gold["end"]


@pytest.mark.parametrize("key", ["E1", "E2", "E3", "E4", "E5", "E6"])
def test_required_event_found(seed, key):
    _, events, gold = seed
    wanted = next(e for e in gold["events"] if e["key"] == key)
    assert any(_matches(e, wanted) for e in events), (
        f"{key} ({wanted['evidence']}) not found among: "
        + "; ".join(f"{sorted(_ids(e.actors))} {e.action.plover} {e.status} {e.time.start}" for e in events))


def test_actor_ids_are_codes_never_descriptions(seed):
    _, events, _ = seed
    for event in events:
        for actor in (*event.actors, *event.targets):
            assert re.fullmatch(r"[A-Z]{3}", actor.id) or actor.id in ORGANISATIONS, actor
            assert actor.id != "UKR", f"Ukraine is only a time reference: {event.sentence}"


def test_dateline_is_never_an_actor(seed):
    document, events, _ = seed
    assert document.dateline.strip().startswith("Moscow")
    body_start = document.text.index(document.dateline) + len(document.dateline)
    assert all(e.span[0] >= body_start for e in events)
    first_sentence = [e for e in events if e.sentence_index == 0]
    assert first_sentence
    assert all(a.mention != "Moscow" for e in first_sentence for a in (*e.actors, *e.targets))


def test_drill_mentions_fold_into_two_past_exercises(seed):
    """Records of the anti-missile drills all carry one time and place, so they merge."""
    _, events, _ = seed
    past_exercises = {(e.time.start, e.time.end, e.location.id if e.location else None)
                      for e in events if e.action.plover == "COOPERATE" and "exercise" in e.action.tags
                      and e.status == "asserted"}
    assert len(past_exercises) == 2, past_exercises


def test_expected_training_is_future_not_asserted(seed):
    _, events, _ = seed
    training = [e for e in events if "expected to continue" in e.sentence and "exercise" in e.action.tags]
    assert training and all(e.status == "future" for e in training)


def test_negated_release_produces_no_asserted_event(seed):
    _, events, _ = seed
    for event in events:
        if "neither China nor Russia" in event.sentence and event.action.trigger == "release":
            assert event.status == "negated"


def test_spans_point_into_the_document(seed):
    document, events, _ = seed
    for event in events:
        start, end = event.span
        assert 0 <= start < end <= len(document.text)
        assert document.text[start:end] in event.sentence
