"""Merging mentions into events: the rule, determinism, order independence, round trips."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build import apply_documents
from graph.model import EventGraph, build_graph
from graph.store import from_payload, load, save, to_payload
from graph.synthetic import make_document, make_event


def merged(*events):
    return build_graph({}, [e.to_dict() for e in events]).events


def test_anaphoric_mentions_in_one_article_fold_into_the_first():
    first = make_event("seed", 0, ["CHN", "RUS"], location="RUS")
    later = [make_event("seed", i, ["CHN", "RUS"], location="RUS", trigger="exercise") for i in (1, 2, 4)]
    (event,) = merged(first, *later)
    assert len(event.mention_ids) == 4
    assert event.evidence_id == first.id
    assert event.location == "RUS"


def test_same_drills_from_two_agencies_merge_across_granularities():
    day = make_event("tass", 0, ["RUS", "CHN"], start="2025-12-07", location="RUS")
    week = make_event("xinhua", 3, ["CHN", "RUS"], start="2025-12-01", end="2025-12-07",
                      granularity="week")
    (event,) = merged(day, week)
    assert (event.start, event.end, event.granularity) == ("2025-12-07", "2025-12-07", "day")
    assert event.actors == ("CHN", "RUS")
    assert set(event.mention_ids) == {day.id, week.id}


def test_vague_year_range_does_not_swallow_a_dated_exercise():
    drills = make_event("seed", 0, ["CHN", "RUS"], start="2025-12-07", location="RUS")
    naval = make_event("seed", 7, ["RUS", "CHN"], start="2025-01-01", end="2025-12-08",
                       granularity="range", trigger="operation")
    assert len(merged(drills, naval)) == 2


def test_identical_vague_times_merge():
    a = make_event("a", 1, ["CHN", "RUS"], plover="AGREE", tags=["agreement"], start="2022-01-01",
                   end="2022-12-31", granularity="year")
    b = make_event("b", 4, ["CHN", "RUS"], plover="AGREE", tags=["agreement"], start="2022-01-01",
                   end="2022-12-31", granularity="year")
    assert len(merged(a, b)) == 1


def test_what_keeps_mentions_apart():
    base = make_event("a", 0, ["CHN", "RUS"], location="RUS")
    apart = [
        make_event("b", 0, ["CHN", "RUS"], location="CHN"),                   # conflicting place
        make_event("c", 0, ["CHN", "RUS"], start="2025-12-20"),                # no overlap
        make_event("d", 0, ["CHN", "RUS", "IRN"]),                             # other participants
        make_event("e", 0, ["CHN", "RUS"], tags=["patrol"]),                   # other tags
        make_event("f", 0, ["CHN", "RUS"], status="future"),                   # other status
        make_event("g", 0, ["CHN"], targets=["RUS"], plover="COERCE", tags=[]),
    ]
    assert len(merged(base, *apart)) == 7


def test_unplaced_mention_joins_a_placed_one():
    placed = make_event("a", 0, ["CHN", "RUS"], location="RUS")
    unplaced = make_event("b", 0, ["CHN", "RUS"])
    (event,) = merged(placed, unplaced)
    assert event.location == "RUS"


def test_undated_mentions_merge_only_within_their_document():
    events = merged(make_event("a", 0, ["CHN", "RUS"], start=None),
                    make_event("a", 3, ["CHN", "RUS"], start=None),
                    make_event("b", 0, ["CHN", "RUS"], start=None))
    assert sorted(len(e.mention_ids) for e in events) == [1, 2]


def test_event_ids_are_stable_and_distinct():
    a = merged(make_event("a", 0, ["CHN", "RUS"]), make_event("b", 0, ["CHN", "RUS"], location="RUS"))
    b = merged(make_event("b", 0, ["CHN", "RUS"], location="RUS"), make_event("a", 0, ["CHN", "RUS"]))
    assert [e.id for e in a] == [e.id for e in b]
    twins = merged(make_event("a", 0, ["CHN", "RUS"], location="RUS"),
                   make_event("b", 0, ["CHN", "RUS"], location="CHN"))
    assert len({e.id for e in twins}) == 2


# -- properties ---------------------------------------------------------------------------
ACTORS = st.lists(st.sampled_from(["CHN", "RUS", "JPN", "NATO"]), min_size=1, max_size=3, unique=True)
KINDS = st.sampled_from([("COOPERATE", "military", ("exercise",)), ("AGREE", "", ("agreement",)),
                         ("ACCUSE", "disapprove", ("statement",))])
DAYS = st.integers(min_value=1, max_value=28)


@st.composite
def mention(draw, doc_id: str, index: int):
    plover, mode, tags = draw(KINDS)
    day = draw(DAYS)
    span = draw(st.sampled_from([0, 0, 6, 40]))
    start = f"2025-03-{day:02d}"
    end = None if not span else (f"2025-03-{min(day + span, 31):02d}" if span < 31 else "2025-05-30")
    return make_event(doc_id, index, draw(ACTORS), plover=plover, mode=mode, tags=tags,
                      start=draw(st.sampled_from([start, start, None])), end=end,
                      granularity="week" if span else "day",
                      location=draw(st.sampled_from([None, "RUS", "CHN"])),
                      status=draw(st.sampled_from(["asserted", "asserted", "future"])),
                      confidence=draw(st.sampled_from([0.5, 0.9])))


@st.composite
def corpus(draw):
    documents = []
    for number in range(draw(st.integers(min_value=1, max_value=5))):
        doc_id = f"doc{number}"
        count = draw(st.integers(min_value=0, max_value=5))
        documents.append((make_document(doc_id), [draw(mention(doc_id, i)) for i in range(count)]))
    return documents


def build_in(order):
    return apply_documents(EventGraph(), order)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpus(), st.randoms(use_true_random=False))
def test_any_order_gives_the_identical_graph(documents, rng):
    shuffled = list(documents)
    rng.shuffle(shuffled)
    shuffled = [(doc, rng.sample(events, len(events))) for doc, events in shuffled]
    assert to_payload(build_in(documents)) == to_payload(build_in(shuffled))


@settings(max_examples=40, deadline=None)
@given(corpus())
def test_building_twice_changes_nothing(documents):
    once = build_in(documents)
    twice = apply_documents(once, documents)
    assert to_payload(once) == to_payload(twice)


@settings(max_examples=40, deadline=None)
@given(corpus())
def test_save_load_round_trip_loses_nothing(tmp_path_factory, documents):
    g = build_in(documents)
    path = tmp_path_factory.mktemp("store") / "g.json"
    save(g, path)
    back = load(path)
    assert back == g
    assert to_payload(back) == to_payload(g)
    assert from_payload(to_payload(g)) == g


@settings(max_examples=40, deadline=None)
@given(corpus())
def test_one_document_at_a_time_equals_all_at_once(documents):
    stepwise = EventGraph()
    for pair in reversed(documents):
        stepwise = apply_documents(stepwise, [pair])
    assert to_payload(stepwise) == to_payload(build_in(documents))


def test_a_changed_document_replaces_its_old_mentions():
    old = build_in([(make_document("a"), [make_event("a", 0, ["CHN", "RUS"])])])
    new = apply_documents(old, [(make_document("a", text="rewritten"),
                                 [make_event("a", 0, ["JPN"], targets=["CHN"], plover="ACCUSE",
                                             tags=["statement"])])])
    assert [e.plover for e in new.events] == ["ACCUSE"]
    assert set(new.mentions) == {new.events[0].mention_ids[0]}


# -- the sweep in merge.py against the rule applied to every pair --------------------------
def _pairwise_clusters(mentions: list[dict]) -> list[list[int]]:
    from datetime import date as day

    from graph.merge import GAP_DAYS, MAX_LINK_SPAN_DAYS, merge_key, place_id

    def span(m):
        t = m["time"]
        if not t["start"]:
            return None
        return day.fromisoformat(t["start"]).toordinal(), day.fromisoformat(t["end"] or t["start"]).toordinal()

    def linked(a, b) -> bool:
        if merge_key(a) != merge_key(b):
            return False
        pa, pb = place_id(a), place_id(b)
        if pa and pb and pa != pb:
            return False
        sa, sb = span(a), span(b)
        if sa is None or sb is None:
            return sa is None and sb is None and a["doc_id"] == b["doc_id"]
        if sa == sb:
            return True
        longest = max(sa[1] - sa[0], sb[1] - sb[0]) + 1
        gap = max((GAP_DAYS.get(t, 0) for t in a["action"]["tags"]), default=0)
        return longest <= MAX_LINK_SPAN_DAYS and sa[0] <= sb[1] + gap and sb[0] <= sa[1] + gap

    parent = list(range(len(mentions)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(mentions)):
        for j in range(i):
            if linked(mentions[i], mentions[j]):
                parent[find(i)] = find(j)
    # a lone vague mention joins the only event of its key, from other articles, dated inside it
    sizes = {}
    for i in range(len(mentions)):
        sizes[find(i)] = sizes.get(find(i), 0) + 1
    joins = []
    for i, m in enumerate(mentions):
        si = span(m)
        if si is None or si[1] - si[0] + 1 <= MAX_LINK_SPAN_DAYS or sizes[find(i)] > 1:
            continue
        inside = [j for j, o in enumerate(mentions) if merge_key(o) == merge_key(m) and span(o)
                  and span(o)[1] - span(o)[0] + 1 <= MAX_LINK_SPAN_DAYS and si[0] <= span(o)[0] <= si[1]]
        if any(mentions[j]["doc_id"] == m["doc_id"] for j in inside):
            continue
        roots = {find(j) for j in inside}
        if len(roots) == 1:
            joins.append((i, roots.pop()))
    for i, root in joins:
        parent[find(i)] = find(root)
    groups: dict[int, list[int]] = {}
    for i in range(len(mentions)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.sampled_from([0, 0, 2, 6, 29, 30, 45]),
                          st.sampled_from([None, "RUS", "CHN", "JPN"]), st.booleans(),
                          st.sampled_from(["a", "b"])), min_size=1, max_size=25))
def test_sweep_links_exactly_what_the_pairwise_rule_links(specs):
    from datetime import date as day, timedelta

    from graph.merge import cluster_mentions

    mentions = []
    for number, (offset, length, place, dated, doc) in enumerate(specs):
        first = day(2025, 1, 1) + timedelta(days=offset)
        mentions.append(make_event(doc, number, ["CHN", "RUS"], location=place,
                                   start=first.isoformat() if dated else None,
                                   end=(first + timedelta(days=length)).isoformat() if dated else None).to_dict())
    assert cluster_mentions(mentions) == _pairwise_clusters(mentions)
