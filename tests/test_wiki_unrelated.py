"""Unrelated news (sports, disasters, science, arts) must yield almost no events."""
from __future__ import annotations

import pytest

from bench.wikipedia import load_items

pytestmark = pytest.mark.model
UNRELATED = {"Sports", "Disasters and accidents", "Science and technology", "Arts and culture"}
MAX_RATE = 1 / 20


def test_unrelated_headings_rate(shared_dir, extractor):
    items = load_items(shared_dir / "eval" / "datasets" / "wikipedia-current-events", UNRELATED)
    assert len(items) > 2000
    documents = [item.document(i) for i, item in enumerate(items)]
    events = [e for _, found in extractor.extract(documents) for e in found]
    rate = len(events) / len(items)
    print(f"\n{len(events)} events over {len(items)} unrelated items: {rate:.4f} per item "
          f"(limit {MAX_RATE:.4f})")
    for event in events[:40]:
        print(f"  {event.action.plover:9} {[a.id for a in event.actors]} -> {[a.id for a in event.targets]}"
              f" | {event.sentence[:110]}")
    assert rate <= MAX_RATE
