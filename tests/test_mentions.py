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


@pytest.mark.parametrize("text, expected", [
    ("North Korea's supreme leader spoke.", ["PRK", "PRK"]),
    ("The supreme leader spoke.", ["IRN"]),
    ("Iran's supreme leader spoke.", ["IRN", "IRN"]),
    ("China's Xi Jinping spoke.", ["CHN", "CHN"]),
])
def test_the_modifying_country_decides_a_title(nlp, matcher, text, expected):
    assert [actor_id for _, actor_id in _found(nlp, matcher, text)] == expected


def test_context_reading_can_be_switched_off(nlp):
    plain = ActorMatcher(nlp, default_lexicon(), readings=())
    mentions, _ = plain.mentions(nlp("North Korea's supreme leader spoke."), None)
    assert [m.actor.id for m in mentions] == ["PRK", "IRN"]
    with pytest.raises(ValueError, match="unknown actor readings"):
        ActorMatcher(nlp, default_lexicon(), readings=("guesses",))


@pytest.mark.parametrize("text, slugs", [
    ("Moscow freed Anna Berg and Tomas Lind in a prisoner swap.", ["anna_berg", "tomas_lind"]),
    ("Belarusian police detained opposition leader Ivan Petrov.", []),  # an office, not a private person
    ("Moscow praised Anna Berg for her work.", []),  # not acted on
    ("The Kachin Independence Army attacked Myanmar troops.", ["kachin_independence_army"]),
    ("Rosneft Energy Group halted oil deliveries to Serbia.", []),  # a company
    ("Oxford University Press criticised Russia.", []),
    ("Special Operations Forces raided a compound near Kabul.", []),  # may be a state's own unit
])
def test_open_world_slugs(nlp, matcher, text, slugs):
    ids = [actor_id for _, actor_id in _found(nlp, matcher, text)]
    assert [i for i in ids if i.islower()] == slugs


def test_places_reading_reads_city_entities(nlp, matcher):
    doc = nlp("Russian missiles hit Dnipro on Friday.")
    assert [(m.actor.mention, m.actor.id, m.place_only) for m in matcher.mentions(doc, None)[0]] == \
        [("Russian", "RUS", False), ("Dnipro", "UKR", False)]
    without = ActorMatcher(nlp, default_lexicon(), readings=("context",))
    assert [m.actor.id for m in without.mentions(doc, None)[0]] == ["RUS"]


def test_a_place_word_inside_a_longer_name_is_no_place(nlp, matcher):
    doc = nlp("Ghana and Togo held the Gulf Guard-2025 naval exercise.")
    assert [m.actor.id for m in matcher.mentions(doc, None)[0]] == ["GHA", "TGO"]


def test_a_place_inside_a_lexicon_phrase_is_the_lexicons(nlp, matcher):
    doc = nlp("Peru will host the Summit of the Americas next year.")
    assert [m.actor.id for m in matcher.mentions(doc, None)[0]] == ["PER"]


def test_slug():
    from extract.open_actors import slug

    assert slug("the Popular Resistance Front") == "popular_resistance_front"
    assert slug("Jean-Luc Moreau") == "jean_luc_moreau"
