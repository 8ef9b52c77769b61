"""The pair summaries the Neo4j loader keeps fold each pair of participants' events as the
embedded backend does for `path`, and each pair and relation as its `who` does (no server
needed: the folding is plain Python)."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from graph import queries as embedded
from graph.model import build_graph
from graph.neo4j.pairs import BACK, TARGETS, Summaries, event_keys, pair_relations, year_key
from graph.synthetic import synthetic_documents, synthetic_mentions
from graph.types import ON, WITH, Filters, event_type


def test_year_keys_keep_dates_exact():
    assert year_key("2022-03-04") == "2022"
    assert year_key(None) == "" and year_key("") == ""
    # not an ISO date: a summary of its own, compared as a whole start
    assert year_key("2022") == "~2022"
    assert year_key("2022-13-01") == "~2022-13-01"
    assert year_key("2022-03-04T10:00") == "~2022-03-04T10:00"


def synthetic_graph(count: int = 400):
    mentions = synthetic_mentions(count, seed=3)
    return build_graph(synthetic_documents(mentions), mentions)


def test_all_time_summaries_fold_each_pair_of_participants():
    graph = synthetic_graph()
    summaries = Summaries()
    for event in graph.events:
        summaries.add_event(event)
    folded: dict[tuple[str, str], dict] = defaultdict(lambda: {"events": 0, "types": set(),
                                                               "best": [], "walk": []})
    for summary in summaries.totals.values():
        row = summary.props(with_ids=False)
        if row["status"] != "asserted":
            continue
        pair = folded[(row["a"], row["b"])]
        pair["events"] += row["events"]
        pair["types"].add(row["type"])
        pair["best"].append((row["best_mentions"], row["best_start"], row["best_event"]))
        pair["walk"].append((row["walk_start"], row["walk_event"]))
    # what the embedded `path` keeps per pair: the strongest event, met first in graph order
    expected: dict[tuple[str, str], dict] = {}
    for event in embedded._matching(graph, Filters()):
        for pair in combinations(sorted(event.participants), 2):
            held = expected.setdefault(pair, {"events": 0, "types": set(), "best": None,
                                              "walk": None})
            held["events"] += 1
            held["types"].add(event_type(event.plover, event.tags))
            strength = (len(event.mention_ids), event.start or "", event.id)
            held["best"] = max(held["best"] or strength, strength)
            walk = (event.start or "9999", event.id)
            held["walk"] = min(held["walk"] or walk, walk)
    assert len(expected) == len(folded) > 10
    for pair, held in expected.items():
        assert folded[pair]["events"] == held["events"]
        assert folded[pair]["types"] == held["types"]
        assert max(folded[pair]["best"]) == held["best"]
        assert min(folded[pair]["walk"]) == held["walk"]


def test_summaries_by_relation_fold_to_the_embedded_who():
    graph = synthetic_graph()
    summaries = Summaries()
    for event in graph.events:
        summaries.add_event(event)
    folded: dict[tuple[str, str, str], dict] = defaultdict(
        lambda: {"events": 0, "types": set(), "first": [], "last": [], "best": []})
    for summary in summaries.totals.values():
        row = summary.props(with_ids=False)
        if row["status"] != "asserted" or row["relation"] == TARGETS:
            continue
        a, b, relation = row["a"], row["b"], row["relation"]
        if relation == BACK:
            a, b, relation = b, a, ON
        held = folded[(a, relation, b)]
        held["events"] += row["events"]
        held["types"].add(row["type"])
        held["first"] += [row["first"]] if "first" in row else []
        held["last"] += [row["last"]] if "last" in row else []
        held["best"].append((row["best_mentions"], row["best_start"], row["best_event"]))
    rows = embedded.who(graph, Filters())
    assert {row.relation for row in rows} == {WITH, ON}
    assert len(rows) == len(folded) > 10
    for row in rows:
        held = folded[(row.actor_a, row.relation, row.actor_b)]
        assert held["events"] == row.events
        assert tuple(sorted(held["types"])) == row.types
        assert (min(held["first"], default=None), max(held["last"], default=None)) == \
            (row.first, row.last)
        assert max(held["best"])[2] == row.event_id


def test_relations_of_one_event():
    # CHN and RUS act on USA and on each other's ally MNG; USA and MNG are targets only
    found = set(pair_relations(("RUS", "CHN"), ("USA", "MNG", "CHN")))
    assert found == {("CHN", "RUS", WITH), ("CHN", "RUS", BACK), ("CHN", "USA", ON),
                     ("RUS", "USA", ON), ("CHN", "MNG", ON), ("MNG", "RUS", BACK),
                     ("MNG", "USA", TARGETS)}


def test_year_summaries_list_each_pair_event_once_and_match_the_event_keys():
    graph = synthetic_graph()
    summaries = Summaries()
    for event in graph.events:
        summaries.add_event(event)
    listed = [(key, event_id) for key, summary in summaries.years.items()
              for event_id in summary.props(with_ids=True)["event_ids"]]
    assert len(listed) == len(set(listed))
    for event in graph.events:
        for year, total in event_keys(event.status, event.plover, event.mode, event.cameo,
                                      event.tags, event.start, event.actors,
                                      event.targets):
            assert event.id in summaries.years[year].ids
            assert summaries.years[year].row["total"] == total
    rows, gone = summaries.year_rows(["missing", *list(summaries.years)[:3]])
    assert gone == ["missing"] and len(rows) == 3
