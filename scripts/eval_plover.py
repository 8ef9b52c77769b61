"""Score extraction against the PLOVER gold-standard records.

Each gold record is one sentence with source actors, target actors and a PLOVER category.
Both gold and predicted events are expanded into (actor, target, category) triples
("-" when there is no target); precision, recall and F1 are over those triples, summed over
sentences. The extra-event rate is the number of predicted events that match no gold event of
their sentence (same category and at least one shared actor code), divided by the number of
gold events: events the gold does not have at all, as opposed to events coded differently.

The odd-numbered records (1st, 3rd, ... in file order) are the development half, the
even-numbered ones are held out: score them, never tune on their errors (`--split`).

    python scripts/eval_plover.py [PATH_TO_PLOVER_GSR_CAMEO.txt] [--split odd|even|all] [--show-errors]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.actors import default_lexicon  # noqa: E402
from extract.pipeline import Extractor  # noqa: E402
from extract.records import Document, Event  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "peers" / "PLOVER" / "PLOVER_GSR_CAMEO.txt"
OLD_CATEGORY_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
OLD_COUNTRY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
NO_TARGET = "-"
INTENT_CATEGORIES = {"SUPPORT", "COOPERATE", "AID", "CONSULT", "CONCEDE", "RETREAT"}
HOSTILE_CATEGORIES = {"PROTEST", "SANCTION", "COERCE", "ASSAULT", "MOBILIZE"}


@dataclass(frozen=True)
class Score:
    gold_events: int
    predicted_events: int
    true_positives: int
    gold_triples: int
    predicted_triples: int
    extra_events: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_triples if self.predicted_triples else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold_triples if self.gold_triples else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def extra_rate(self) -> float:
        return self.extra_events / self.gold_events if self.gold_events else 0.0


def load_gold(path: Path) -> list[dict]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [r for r in records if r.get("event") and r["event"] != "DOCUMENT"]


def split_records(records: list[dict], split: str) -> list[dict]:
    """`odd` (development), `even` (held out) or `all`, by 1-based position in the file."""
    if split == "all":
        return records
    keep = 1 if split == "odd" else 0
    return [r for number, r in enumerate(records, start=1) if number % 2 == keep]


def _codes(actors) -> list[str]:
    if not isinstance(actors, list):
        return []
    return [OLD_COUNTRY_CODES.get(a.get("code", ""), a.get("code", "")) for a in actors
            if isinstance(a, dict) and a.get("code")]


def gold_triples(record: dict) -> set[tuple[str, str, str]]:
    category = OLD_CATEGORY_NAMES.get(record["event"], record["event"])
    sources, targets = _codes(record.get("source")), _codes(record.get("target")) or [NO_TARGET]
    return {(s, t if t != s else NO_TARGET, category) for s in sources for t in targets}


def _code(actor) -> str:
    """Our actor id in the gold's code system: organisations are IGO, armed groups are coded
    by their home country (hamas -> PSE), as the gold does."""
    if actor.kind == "igo":
        return "IGO"
    if actor.kind == "group":
        return default_lexicon().home_country(actor.id) or actor.id
    return actor.id


def _codebook_category(event: Event) -> str:
    """Our records keep an action's own category and mark it future or negated; the codebook
    files a stated or conditional intention to cooperate ("will support", "is ready to send") under AGREE
    (CAMEO 03x), an intention to do harm ("plans to impose restrictions") under THREATEN
    (13x), and a refusal or failure to cooperate ("will not accept", "failed to reach
    agreement") under REJECT (12x). Score ours as the codebook would."""
    category = event.action.plover
    if event.status in ("future", "hypothetical"):
        if category in INTENT_CATEGORIES:
            return "AGREE"
        if category in HOSTILE_CATEGORIES:
            return "THREATEN"
    if event.status == "negated" and category in INTENT_CATEGORIES | {"AGREE"}:
        return "REJECT"
    return category


def event_triples(event: Event) -> set[tuple[str, str, str]]:
    targets = [_code(t) for t in event.targets] or [NO_TARGET]
    category = _codebook_category(event)
    return {(_code(a), t, category) for a in event.actors for t in targets if _code(a) != t}


def _detects_gold_event(event: Event, gold: set[tuple[str, str, str]]) -> bool:
    """Whether the event is one the gold codes: same category and a shared actor code, even if
    its other participants are coded differently. Events failing this are extra events."""
    actors = {_code(a) for a in event.actors}
    category = _codebook_category(event)
    return any(c == category and s in actors for s, _, c in gold)


def score(records: list[dict], predictions: dict[str, list[Event]]) -> Score:
    tp = gold_n = pred_n = extra = pred_events = 0
    for record in records:
        gold = gold_triples(record)
        events = predictions.get(record["id"], [])
        predicted = set().union(*(event_triples(e) for e in events)) if events else set()
        tp += len(gold & predicted)
        gold_n += len(gold)
        pred_n += len(predicted)
        pred_events += len(events)
        extra += sum(1 for e in events if not _detects_gold_event(e, gold))
    return Score(len(records), pred_events, tp, gold_n, pred_n, extra)


def component_scores(records: list[dict], predictions: dict[str, list[Event]]) -> dict[str, tuple]:
    """Each part of the triple scored on its own, per sentence (diagnostics, not the headline)."""
    counts = {"actor codes": [0, 0, 0], "target codes": [0, 0, 0], "category": [0, 0, 0]}
    for record in records:
        gold = gold_triples(record)
        predicted = set().union(*(event_triples(e) for e in predictions.get(record["id"], []))) \
            if predictions.get(record["id"]) else set()
        for part, index in (("actor codes", 0), ("target codes", 1), ("category", 2)):
            g = {t[index] for t in gold} - {NO_TARGET}
            p = {t[index] for t in predicted} - {NO_TARGET}
            counts[part][0] += len(g & p)
            counts[part][1] += len(p - g)
            counts[part][2] += len(g - p)
    out = {}
    for part, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[part] = (precision, recall, f1)
    return out


def predict(records: list[dict], extractor: Extractor) -> dict[str, list[Event]]:
    docs = [Document(id=r["id"], text=r["text"].strip("{} "), published=date(2000, 1, 1)) for r in records]
    return {doc.id: events for doc, events in extractor.extract(docs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--split", choices=("odd", "even", "all"), default="odd",
                        help="odd: development records (default); even: held out, report only")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--learned", action=argparse.BooleanOptionalAction, default=None,
                        help="with or without the learned trigger tagger (default: the package default)")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"error: gold file not found: {args.gold}", file=sys.stderr)
        return 2
    records = split_records(load_gold(args.gold), args.split)
    if args.show_errors and args.split != "odd":
        print("error: errors are shown for the development (odd) records only", file=sys.stderr)
        return 2
    predictions = predict(records, Extractor(learned=args.learned))
    result = score(records, predictions)
    print(f"gold events {result.gold_events}, predicted events {result.predicted_events}")
    print(f"triples: gold {result.gold_triples}, predicted {result.predicted_triples}, "
          f"matched {result.true_positives}")
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}  "
          f"extra-event rate {result.extra_rate:.3f}")
    for part, (p, r, f) in component_scores(records, predictions).items():
        print(f"  {part:12} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    if args.show_errors:
        by_category = Counter()
        for record in records:
            gold = gold_triples(record)
            predicted = set().union(*(event_triples(e) for e in predictions.get(record["id"], [])) or [set()])
            if gold != predicted:
                by_category[OLD_CATEGORY_NAMES.get(record["event"], record["event"])] += 1
                print(f"- {record['text'][:150]}\n    gold {sorted(gold)}\n    pred {sorted(predicted)}")
        print("sentences with errors by gold category:", dict(by_category))
    return 0


if __name__ == "__main__":
    sys.exit(main())
