"""The pair summaries the Neo4j loader keeps fold events exactly as the embedded `who` does
(no server needed: the folding is plain Python)."""
from __future__ import annotations

from collections import defaultdict

from graph import queries as embedded
from graph.model import build_graph
from graph.neo4j.pairs import Summaries, event_keys, year_key
from graph.synthetic import synthetic_documents, synthetic_mentions
from graph.types import Filters


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


def test_all_time_summaries_fold_to_the_embedded_who():
    graph = synthetic_graph()
    summaries = Summaries()
    for event in graph.events:
        summaries.add_event(event)
    folded: dict[tuple[str, str], dict] = defaultdict(lambda: {"events": 0, "types": set(),
                                                               "first": [], "last": []})
    for summary in summaries.totals.values():
        row = summary.props(with_ids=False)
        if row["status"] != "asserted":
            continue
        pair = folded[(row["a"], row["b"])]
        pair["events"] += row["events"]
        pair["types"].add(row["type"])
        pair["first"].append(row["first"])
        pair["last"].append(row["last"])
        pair.setdefault("best", []).append((row["best_mentions"], row["best_start"],
                                            row["best_event"]))
    rows = embedded.who(graph, Filters())
    assert len(rows) == len(folded) > 10
    events = {event.id: event for event in graph.events}
    for row in rows:
        pair = folded[(row.actor_a, row.actor_b)]
        assert pair["events"] == row.events
        assert tuple(sorted(pair["types"])) == row.types
        assert (min(pair["first"]), max(pair["last"])) == (row.first, row.last)
        assert events[max(pair["best"])[2]].evidence == row.evidence


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
                                      event.tags, event.start, event.participants):
            assert event.id in summaries.years[year].ids
            assert summaries.years[year].row["total"] == total
    rows, gone = summaries.year_rows(["missing", *list(summaries.years)[:3]])
    assert gone == ["missing"] and len(rows) == 3
