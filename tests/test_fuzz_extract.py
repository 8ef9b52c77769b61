"""A small seeded sample of the fuzz run (scripts/fuzz_extract.py): hostile documents mixed
with known-good ones through the real reader and extractor give no traceback, lose no good
document, and every record matches the SPEC's event record."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from extract.records import Action, Actor, Event, TimeSpan

pytestmark = pytest.mark.model
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fuzz_extract.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("fuzz_extract", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_seeded_sample_has_no_traceback_no_lost_document_and_valid_records(fuzz, extractor):
    report = fuzz.run_fuzz(docs=250, seed=7, extractor=extractor, edge_docs=40)
    assert report.tracebacks == 0, report.lines()
    assert report.lost_good == [], report.lines()
    assert report.invalid == [], report.lines()
    assert report.good == 50 and report.events > report.good
    for kind in ("unicode", "long-token", "coordination", "edge-date", "bad-id", "bad-fields", "raw-bytes"):
        assert report.kinds[kind] > 0, kind
    assert report.warnings > 50  # the hostile records were named, not silently taken
    assert report.edge_documents == 80


def test_record_check_catches_what_the_spec_forbids(fuzz):
    actor = Actor("CHN", "China", mention="China")
    good = Event("d", 0, "China held drills.", (0, 5), (actor,), (),
                 Action("drill", "held drills", "COOPERATE", "military", "062", ("exercise",)),
                 TimeSpan("on Sunday", "2025-12-07", "2025-12-07", "day"))
    assert fuzz.record_problems(good, {"d"}) == []
    bad = Event("d", 0, "China held drills.", (5, 0), (), (actor,),
                Action("drill", "held drills", "COOPERATE_ISH", "", "", ("picnic",)),
                TimeSpan("x", "2025-02-30", None, "fortnight"), status="rumoured")
    problems = " | ".join(fuzz.record_problems(bad, {"other"}))
    for expected in ("doc_id", "span", "no actors", "action", "time", "status"):
        assert expected in problems, expected
