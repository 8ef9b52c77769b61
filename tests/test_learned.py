"""The learned trigger tagger: its training script, the shipped files, and extraction with it."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from extract import learned
from extract.learned import MODEL_DIR, NONE, ROLE_DEFAULTS, TriggerTagger, default_tagger
from extract.records import Document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_triggers  # noqa: E402

PUBLISHED = date(2025, 6, 1)


# -- training -------------------------------------------------------------------------------
def test_training_learns_a_separable_rule():
    """The network trainer on synthetic rows: label 1 when feature 0 is high, else 0."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2000, 8)).astype("float32")
    y = (x[:, 0] > 1.0).astype("int64")
    params = train_triggers.train(x, y, 2, hidden=16, epochs=150, seed=0, positive_weight=2.0)
    tagger = TriggerTagger(**params, labels=(NONE, "ASSAULT"), threshold=0.5, words=frozenset())
    assert train_triggers.scores(tagger, x, y)["f1"] >= 0.9


def test_trigger_lemmas_keep_words_that_mostly_name_events():
    lemmas = ["skirmish", "skirmish", "skirmish", "use", "use", "use", "use", "use", "blast", "attack", "attack"]
    labels = np.array([1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1])
    unseen = np.array([True] * 9 + [False, False])  # "attack" heads lexicon patterns
    words = train_triggers.trigger_lemmas(lemmas, labels, unseen, min_count=2, min_rate=0.5)
    assert words == {"skirmish"}  # "use" is a trigger too rarely, "blast" once, "attack" is the lexicon's


def test_event_types_map_to_plover_or_are_left_out():
    assert train_triggers.label_of("conflict.attack.airstrikemissilestrike") == "ASSAULT"
    assert train_triggers.label_of("Conflict.Attack.DetonateExplode") == "ASSAULT"
    assert train_triggers.label_of("justice.arrestjaildetain.arrestjaildetain") == "COERCE"
    assert train_triggers.label_of("transaction.transfermoney.embargosanction") == "SANCTION"
    assert train_triggers.label_of("conflict.attack.stealrobhijack") == train_triggers.IGNORE
    assert train_triggers.label_of("life.die.deathcausedbyviolentevents") == train_triggers.IGNORE
    assert train_triggers.label_of("Disaster.Crash.Unspecified") == NONE
    assert train_triggers.label_of("personnel.elect.winelection") == NONE


@pytest.mark.model
@pytest.mark.shared
def test_training_script_runs_on_a_small_sample(shared_dir, tmp_path):
    out = tmp_path / "model"
    code = train_triggers.main(["--data", str(shared_dir / "eval" / "datasets"), "--out", str(out),
                                "--limit", "25", "--reuters", "25", "--epochs", "2", "--min-count", "1"])
    assert code == 0
    meta = json.loads((out / "meta.json").read_text())
    assert meta["sentences"] == {"rams": 25, "wikievents": 25, "reuters": 25}
    assert meta["tokens"] > 100 and meta["labels"][0] == NONE
    tagger = TriggerTagger.load(out)
    assert tagger.w1.shape[1] == 128 and tagger.w2.shape == (128, len(meta["labels"]))


def test_training_script_without_corpora_fails_with_one_line(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_triggers.py"), "--data", str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().startswith("error:") and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


# -- the shipped files ----------------------------------------------------------------------
def test_shipped_tagger_loads_and_is_small():
    tagger = default_tagger()
    assert tagger is not None
    assert tagger.labels[0] == NONE and set(tagger.labels[1:]) == set(ROLE_DEFAULTS)
    assert {"skirmish", "detonate", "battle"} <= tagger.words
    assert sum(f.stat().st_size for f in MODEL_DIR.iterdir()) < 1_000_000


def test_missing_files_mean_no_tagger(tmp_path, monkeypatch):
    monkeypatch.setattr(learned, "MODEL_DIR", tmp_path / "absent")
    learned.default_tagger.cache_clear()
    try:
        assert learned.default_tagger() is None
    finally:
        learned.default_tagger.cache_clear()


# -- extraction with it -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def with_tagger():
    from extract.pipeline import Extractor

    return Extractor(learned=True)


def _shapes(extractor, text):
    return [(e.action.plover, e.actor_ids, tuple(sorted(t.id for t in e.targets)))
            for e in extractor.extract_one(Document("t", text, PUBLISHED))]


LEARNED_ROWS = [
    # (sentence, events with the tagger) -- each has a word no lexicon pattern covers
    ("Russian forces battled Ukrainian troops near Pokrovsk on Monday.", [("ASSAULT", ("RUS",), ("UKR",))]),
    ("Militants detonated a car bomb outside the Iraqi parliament in Baghdad.",
     [("ASSAULT", ("militants",), ("IRQ",))]),
]


@pytest.mark.model
@pytest.mark.parametrize("text,expected", LEARNED_ROWS)
def test_tagger_fires_on_words_the_lexicon_lacks(with_tagger, text, expected):
    from extract.pipeline import Extractor

    assert _shapes(with_tagger, text) == expected
    assert _shapes(Extractor(learned=False), text) == []


@pytest.mark.model
def test_tagger_leaves_lexicon_words_and_non_events_alone(with_tagger):
    doc = with_tagger.nlp("The committee debated the budget for the new stadium on Tuesday.")
    assert all(with_tagger.builder.learned.trigger(t, with_tagger.triggers) is None for t in doc
               if t.lemma_ != "debate")
    # a lexicon word is the lexicon's to decide, even where its pattern declines to fire
    doc = with_tagger.nlp("France attacked the decision of Germany.")
    assert all(with_tagger.builder.learned.trigger(t, with_tagger.triggers) is None for t in doc)


@pytest.mark.model
def test_construction_rows_hold_with_the_tagger(with_tagger):
    from test_extract_constructions import PUBLISHED as ROWS_PUBLISHED
    from test_extract_constructions import ROWS, _shape

    failed = []
    for name, text, expected in ROWS:
        events = with_tagger.extract_one(Document("row", text, ROWS_PUBLISHED))
        got = Counter(_shape(e, any(x[4] for x in expected)) for e in events)
        want = Counter((p, a, t, s, b, n, nm) if b else (p, a, t, s, None, None, nm)
                       for p, a, t, s, b, n, nm in expected)
        if got != want:
            failed.append(name)
    assert failed == []


@pytest.mark.model
@pytest.mark.shared
def test_unrelated_news_stays_quiet_with_the_tagger(shared_dir, with_tagger):
    from bench.wikipedia import load_items
    from test_wiki_unrelated import MAX_RATE, UNRELATED

    items = load_items(shared_dir / "eval" / "datasets" / "wikipedia-current-events", UNRELATED)
    events = [e for _, found in with_tagger.extract(item.document(i) for i, item in enumerate(items)) for e in found]
    assert len(events) / len(items) <= MAX_RATE


@pytest.mark.model
def test_extract_command_takes_the_tagger_when_asked(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    article = tmp_path / "story.txt"
    article.write_text(LEARNED_ROWS[0][0], encoding="utf-8")
    runner = CliRunner()
    on = runner.invoke(app, ["extract", str(article), "--published", "2025-06-01", "--learned"])
    off = runner.invoke(app, ["extract", str(article), "--published", "2025-06-01", "--no-learned"])
    assert on.exit_code == 0 and off.exit_code == 0, on.output + off.output
    events = [json.loads(line) for line in on.stdout.splitlines() if line.strip()]
    assert [(e["action"]["plover"], e["action"]["trigger"]) for e in events] == [("ASSAULT", "battle")]
    assert off.stdout.strip() == ""


def test_tagger_is_silent_on_a_parse_without_its_vectors():
    """A hand-built Doc without the pipeline's tensor: no trigger, no error."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from extract.triggers import default_triggers

    words = ["Rebels", "battled", "troops"]
    doc = Doc(Vocab(), words=words, pos=["NOUN", "VERB", "NOUN"], lemmas=["rebel", "battle", "troop"],
              heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"])
    tagger = default_tagger()
    assert tagger.predict(doc) == [(NONE, 0.0)] * 3
    assert tagger.trigger(doc[1], default_triggers()) is None
