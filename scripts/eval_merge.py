"""How many real happenings reported by several articles become one Event.

Builds the graph of a gold set's articles (`eventkg build` on the article folder), then, for
every gold `key` that two or more articles report as a required or optional event, looks for
an Event whose mentions come from every one of those articles and match the gold event of
each (category, participants, status and dates, as `eventkg eval` matches them). A false
merge is an Event holding two mentions that are evidence (the gold evidence phrase is in
their sentence, same category) of different required gold happenings and of no common one.

    python scripts/eval_merge.py [../shared/eval/cr-dev]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.evaluation import Prediction, dates_overlap  # noqa: E402
from extract.gold import load_gold  # noqa: E402
from extract.pipeline import Extractor  # noqa: E402
from graph.model import build_graph  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "cr-dev"


def merge_report(gold_path: Path, extractor: Extractor | None = None) -> dict:
    gold = load_gold(gold_path)
    extractor = extractor or Extractor()
    mentions = []
    for _, events in extractor.extract(g.document for g in gold):
        mentions += [e.to_dict() for e in events]
    graph = build_graph({g.document.id: {"id": g.document.id} for g in gold}, mentions)
    gold_by_doc = {g.document.id: g for g in gold}
    docs_of_key: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        for event in g.events:
            if event.key:
                docs_of_key[event.key].add(g.document.id)
    multi = {k: docs for k, docs in docs_of_key.items() if len(docs) > 1}

    merged, false = {}, []
    for event in graph.events:
        members = [graph.mentions[i] for i in event.mention_ids]
        docs = {m["doc_id"] for m in members}
        found = _keys_of(event, docs, gold_by_doc)
        reported = [_reported_keys(m, gold_by_doc[m["doc_id"]]) for m in members]
        clashes = sorted({k for a in reported for b in reported if a and b and not a & b for k in a | b})
        if clashes:
            false.append({"event": event.id, "name": event.name, "keys": clashes})
        for key, reporting in found.items():
            if key in multi and reporting >= multi[key]:
                merged[key] = event.id
    return {"multi_article_keys": sorted(multi), "merged": sorted(merged),
            "not_merged": sorted(set(multi) - set(merged)), "false_merges": false}


def _reported_keys(mention: dict, gold) -> set[str]:
    """The required gold happenings a mention's sentence is evidence of (same category)."""
    sentence = " ".join(mention["sentence"].split())
    plover = mention["action"]["plover"]
    return {e.key for e in gold.events if e.key and e.required
            and (plover == e.plover or plover in e.plover_also_ok)
            and any(" ".join(p.split()) in sentence for p in (e.evidence, *e.also_mentioned_by) if p)}


def _keys_of(event, docs: set[str], gold_by_doc: dict) -> dict[str, set[str]]:
    """Gold keys the merged event stands for, with the articles where it does: same category
    (or an accepted one), status, overlapping dates, and every gold participant among the
    event's (the event holds the union of what each article listed)."""
    participants = frozenset(event.actors) | frozenset(event.targets)
    pred = Prediction(event.plover, participants, frozenset(event.actors), event.status,
                      [(event.start, event.end or event.start)] if event.start else [])
    found: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for gold in gold_by_doc[doc].events:
            if not gold.key:
                continue
            category = pred.plover == gold.plover or pred.plover in gold.plover_also_ok
            status = pred.status == gold.status or pred.status in gold.status_also_ok
            people = (gold.actors | (frozenset() if gold.targets_optional else gold.targets)) <= participants
            if category and status and people and dates_overlap(gold, pred):
                found[gold.key].add(doc)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args()
    print(json.dumps(merge_report(args.gold), indent=1))


if __name__ == "__main__":
    main()
