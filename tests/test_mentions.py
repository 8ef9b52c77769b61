"""Actor mentions in parsed sentences: the lexicon's span rulers and the open-world readings."""
from __future__ import annotations

from datetime import date

import pytest

from extract.actors import default_lexicon
from extract.mentions import ActorMatcher
from extract.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def matcher(nlp):
    return ActorMatcher(nlp, default_lexicon())


def _found(nlp, matcher, text: str) -> list[tuple[str, str]]:
    mentions, _ = matcher.mentions(nlp(text), date(2025, 6, 1))
    return [(m.actor.mention, m.actor.id) for m in mentions]


def test_ruler_spans_have_labels_ids_and_prefer_the_longest(nlp, matcher):
    doc = nlp.make_doc("Both sides met in the Sea of Japan after Xi Jinping spoke to US officials.")
    spans = [(s.text, s.label_, s.id_) for s in matcher.matches(doc)]
    assert spans == [("Both sides", "GROUP", ""), ("Sea of Japan", "PLACE", "place:"),
                     ("Xi Jinping", "ACTOR", "person:Xi Jinping"), ("US", "ACTOR", "USA")]
    assert matcher.spans(doc) == [(0, 2, True), (5, 8, False), (9, 11, False), (13, 14, False)]


def test_case_sensitive_aliases_need_their_spelling(nlp, matcher):
    assert matcher.spans(nlp.make_doc("us and them")) == []
    assert matcher.spans(nlp.make_doc("ask us about china")) == []
    assert [s.id_ for s in matcher.matches(nlp.make_doc("the united states navy"))] == ["USA"]
