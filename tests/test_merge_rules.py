"""Merge decisions on pairs of mentions, one row each: named and unnamed reports, vague and
precise dates, partial participant lists, name conflicts, kinds of events."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.records import normalise_name
from graph.build import apply_documents
from graph.model import EventGraph, build_graph
from graph.synthetic import make_document, make_event


def mention(doc, index, actors, name=None, **kw):
    return replace(make_event(doc, index, actors, **kw), name=name)


CR = ["CHN", "RUS"]
SCO = ["CHN", "RUS", "IND", "KAZ", "KGZ", "PAK", "TJK", "UZB"]
MEETING = dict(plover="CONSULT", mode="", tags=["meeting"], trigger="talks")
ATTACK = dict(plover="ASSAULT", mode="", tags=["attack"], trigger="strike")

PAIRS = [
    # (name, first mention, second mention, merged?)
    ("same name and year, partial participant lists",
     mention("tass", 0, SCO + ["BLR"], "Peace Mission-2021", start="2021-09-20", end="2021-09-24"),
     mention("xinhua", 3, SCO, "Peace Mission 2021", start="2021-09-11", end="2021-09-25"), True),
    ("same name spelled differently",
     mention("a", 0, CR, "JOINT SEA 2024", start="2024-07-14"),
     mention("b", 2, ["RUS"], "Joint Sea–2024", start="2024-07-16"), True),
    ("same name, other years", mention("a", 0, CR, "Vostok-2018", start="2018-09-11"),
     mention("b", 0, CR, "Vostok-2022", start="2022-09-01"), False),
    ("name conflict on the same days", mention("a", 0, CR, "Joint Sea-2021", start="2021-10-14"),
     mention("b", 0, CR, "Northern Interaction-2021", start="2021-10-14"), False),
    ("announced and later held under one name",
     mention("a", 0, CR, "Joint Sea-2015 (II)", start="2015-08-20", end="2015-08-28", status="future"),
     mention("b", 5, CR, "Joint Sea-2015 (II)", start="2015-08-01", end="2015-08-31", granularity="month"), True),
    ("a named drill and its negated absentee stay apart",
     mention("a", 0, CR, "Kavkaz-2020", start="2020-09-21"),
     mention("b", 4, ["IND"], "Kavkaz-2020", start="2020-09-21", status="negated"), False),
    ("unnamed report joins the named one it fits",
     mention("a", 0, CR + ["IRN"], "Marine Security Belt", start="2019-12-27"),
     mention("b", 1, CR, None, start="2019-12-28"), True),
    ("unnamed report with an outsider does not join",
     mention("a", 0, CR, "Joint Sea-2019", start="2019-04-29"),
     mention("b", 1, CR + ["IRN"], None, start="2019-04-30"), False),
    ("a name known only by its year takes in no precisely dated report",
     mention("a", 3, CR + ["IND"], "Tsentr-2019", start="2019-01-01", end="2019-12-31", granularity="year"),
     mention("b", 0, CR, None, start="2019-04-29", end="2019-05-04"), False),
    ("opening day and the day the ministry spoke", mention("tass", 0, CR, start="2023-07-20"),
     mention("xinhua", 1, CR, start="2023-07-23"), True),
    ("an exercise reported two weeks apart is two", mention("a", 0, CR, start="2023-07-01"),
     mention("b", 1, CR, start="2023-07-15"), False),
    ("a meeting must share its day", mention("a", 0, CR, start="2024-05-16", **MEETING),
     mention("b", 0, CR, start="2024-05-17", **MEETING), False),
    ("two reports of one meeting", mention("a", 0, CR, start="2024-05-16", **MEETING),
     mention("b", 3, CR, start="2024-05-16", **MEETING), True),
    ("summits a month apart", mention("a", 0, CR, start="2024-05-16", **MEETING),
     mention("b", 0, CR, start="2024-06-16", **MEETING), False),
    ("strikes on consecutive days are two", mention("a", 0, ["RUS"], targets=["UKR"], start="2025-01-01", **ATTACK),
     mention("b", 0, ["RUS"], targets=["UKR"], start="2025-01-02", **ATTACK), False),
    ("vague year joins the only dated report elsewhere",
     mention("a", 0, CR, start="2020-12-22"),
     mention("b", 9, CR, start="2020-01-01", end="2020-12-31", granularity="year"), True),
    ("vague year beside a dated report of its own article stays apart",
     mention("a", 0, CR, start="2020-12-22"),
     mention("a", 9, CR, start="2020-01-01", end="2020-12-31", granularity="year"), False),
    ("other categories never merge", mention("a", 0, CR, start="2020-12-22"),
     mention("b", 0, CR, start="2020-12-22", tags=["patrol"]), False),
]


@pytest.mark.parametrize("first,second,together", [p[1:] for p in PAIRS], ids=[p[0] for p in PAIRS])
def test_merge_decision(first, second, together):
    events = build_graph({}, [first.to_dict(), second.to_dict()]).events
    assert (len(events) == 1) is together


def test_vague_year_with_two_candidates_joins_neither():
    dated = [mention("a", 0, CR, start="2020-07-22"), mention("b", 0, CR, start="2020-12-22")]
    vague = mention("c", 4, CR, start="2020-01-01", end="2020-12-31", granularity="year")
    assert len(build_graph({}, [m.to_dict() for m in (*dated, vague)]).events) == 3


def test_unnamed_report_between_two_names_joins_neither():
    a = mention("a", 0, CR, "Joint Sea-2021", start="2021-10-14")
    b = mention("b", 0, CR, "Northern Interaction-2021", start="2021-10-15")
    bridge = mention("c", 0, CR, None, start="2021-10-14", end="2021-10-15", granularity="range")
    events = build_graph({}, [m.to_dict() for m in (a, b, bridge)]).events
    assert sorted(e.name for e in events) == ["", "Joint Sea-2021", "Northern Interaction-2021"]


def test_merged_event_has_the_union_of_participants_the_span_and_the_name():
    a = mention("tass", 0, SCO + ["BLR"], "Peace Mission-2021", start="2021-09-20", end="2021-09-24",
                granularity="range")
    b = mention("xinhua", 3, SCO, "Peace Mission 2021", start="2021-09-11", end="2021-09-25",
                granularity="range")
    (event,) = build_graph({}, [a.to_dict(), b.to_dict()]).events
    assert set(event.actors) == set(SCO) | {"BLR"}
    assert (event.start, event.end, event.granularity) == ("2021-09-11", "2021-09-25", "range")
    assert event.name == "Peace Mission-2021"


@pytest.mark.parametrize("raw,normal", [
    ("Joint Sea-2024", "Joint Sea-2024"), ("JOINT SEA 2024", "Joint Sea-2024"),
    ("joint sea – 2024", "Joint Sea-2024"), ("Vostok 2022", "Vostok-2022"),
    ("North/Interaction-2023", "North/Interaction-2023"), ("Joint Sea-2015 (ii)", "Joint Sea-2015 (II)"),
    ("SCO Peace Mission 2018", "SCO Peace Mission-2018"), ("\u201cMarine Security Belt\u201d", "Marine Security Belt"),
])
def test_names_are_normalised(raw, normal):
    assert normalise_name(raw) == normal


# -- any order, any split into incremental builds: the same graph ---------------------------
NAMES = [None, None, "Joint Sea-2021", "Northern Interaction-2021"]
specs = st.lists(st.tuples(st.integers(0, 20), st.sampled_from([0, 0, 3, 40]), st.sampled_from(NAMES),
                           st.sampled_from([("CHN", "RUS"), ("CHN", "RUS", "IRN"), ("RUS",)]),
                           st.sampled_from(["asserted", "asserted", "future", "negated"]),
                           st.sampled_from(["a", "b", "c"])), min_size=1, max_size=14)


def _mentions(spec_list):
    from datetime import date, timedelta

    out = []
    for number, (offset, length, name, actors, status, doc) in enumerate(spec_list):
        first = date(2021, 10, 1) + timedelta(days=offset)
        out.append(mention(doc, number, list(actors), name, start=first.isoformat(),
                           end=(first + timedelta(days=length)).isoformat(),
                           granularity="range" if length else "day", status=status))
    return out


def _shape(g: EventGraph):
    return sorted((e.id, e.actors, e.targets, e.start, e.end, e.name, e.status, tuple(sorted(e.mention_ids)))
                  for e in g.events)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs, st.randoms(use_true_random=False))
def test_any_order_and_any_split_of_incremental_builds_gives_the_same_graph(spec_list, rng):
    events = _mentions(spec_list)
    by_doc: dict[str, list] = {}
    for event in events:
        by_doc.setdefault(event.doc_id, []).append(event)
    whole = build_graph({d: {"id": d} for d in by_doc}, [e.to_dict() for e in events])
    docs = list(by_doc)
    rng.shuffle(docs)
    g = EventGraph()
    cut = rng.randint(0, len(docs))
    for batch in (docs[:cut], docs[cut:]):
        g = apply_documents(g, [(make_document(d), by_doc[d]) for d in batch])
    assert _shape(g) == _shape(whole)


def test_link_reasons_name_the_rule_that_joined_each_report():
    from graph.merge import link_reasons

    named = mention("a", 0, CR, "Joint Sea-2021", start="2021-10-14").to_dict()
    same_name = mention("b", 2, CR, "Joint Sea 2021", start="2021-10-16").to_dict()
    unnamed = mention("c", 1, CR, None, start="2021-10-15").to_dict()
    assert link_reasons([named, same_name, unnamed]) == [
        "same name (Joint Sea-2021)", "same name (Joint Sea-2021)",
        "unnamed; its participants fit the one named event (Joint Sea-2021)"]
    opening = mention("tass", 0, CR, start="2023-07-20").to_dict()
    spoke = mention("xinhua", 1, CR, start="2023-07-23").to_dict()
    assert link_reasons([opening, spoke]) == ["same type, participants and status, 3 days apart"] * 2
    vague = mention("d", 4, CR, start="2023-01-01", end="2023-12-31", granularity="year").to_dict()
    assert link_reasons([opening, vague])[1] == "a vague date that holds the event's dates"
    assert link_reasons([opening]) == ["the only report"]
