"""Scoring extraction against gold events.

The matching rule (also in the README and `eventkg eval --help`):

1. Predictions are first merged per document by (category, participant set, status): several
   mentions of one happening in a document count once; the merged prediction keeps every
   date range its mentions had.
2. A prediction matches a gold event when
   - its PLOVER category is the gold one or in `plover_also_ok`;
   - its participants (actors plus targets) equal the gold's; with `targets_optional` it is
     enough that the gold actors are present and the rest are gold targets; ids in
     `actors_optional` may be added; `actors_also_ok` lists alternative actor sets;
   - its status is the gold's or in `status_also_ok`;
   - one of its date ranges overlaps the gold range (a year or a month is widened to its
     whole range).
3. Matching is one-to-one and greedy, gold events in file order, each taking the first
   unmatched prediction of its document that matches.
4. Gold events with `"required": false` are neither misses when unmatched nor counted when
   matched: the prediction they take is simply not an extra.

Precision = matched / (predictions not taken by an optional gold event); recall = matched
required / required; an *extra* event is a prediction that shares neither category nor any
participant with a gold event of its document (an invented event, not a mis-coded one).
"""
from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .gold import GoldDocument, GoldEvent
from .records import Event



@dataclass
class Prediction:
    """Mentions of one document merged by (category, participants, status)."""

    plover: str
    participants: frozenset[str]
    actors: frozenset[str]
    status: str
    ranges: list[tuple[str, str]] = field(default_factory=list)
    evidence: str = ""


def merge_predictions(events: Iterable[Event]) -> list[Prediction]:
    merged: dict[tuple, Prediction] = {}
    for event in events:
        actors = frozenset(event.actor_ids)
        participants = actors | frozenset(event.target_ids)
        key = (event.action.plover, participants, event.status)
        pred = merged.get(key)
        if pred is None:
            pred = merged[key] = Prediction(event.action.plover, participants, actors, event.status,
                                            evidence=event.sentence)
        if event.time.start:
            pred.ranges.append((event.time.start, event.time.end or event.time.start))
    return list(merged.values())


def widen(value: str | None, upper: bool) -> str | None:
    """`2022` -> 2022-01-01 / 2022-12-31, `2022-02` -> 2022-02-01 / 2022-02-28."""
    if not value:
        return None
    parts = value.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31" if upper else f"{parts[0]}-01-01"
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        last = calendar.monthrange(year, month)[1]
        return f"{value}-{last:02d}" if upper else f"{value}-01"
    return value


def dates_overlap(gold: GoldEvent, pred: Prediction) -> bool:
    if gold.start is None:
        return True
    g_start, g_end = widen(gold.start, False), widen(gold.end or gold.start, True)
    return any(widen(s, False) <= g_end and widen(e, True) >= g_start for s, e in pred.ranges)


def participants_match(gold: GoldEvent, pred: Prediction) -> bool:
    got = pred.participants
    for actors in (gold.actors, *gold.actors_also_ok):
        required = actors if gold.targets_optional else actors | gold.targets
        allowed = actors | gold.targets | gold.actors_optional
        if required <= got <= allowed:
            return True
    return False


def matches(gold: GoldEvent, pred: Prediction) -> bool:
    return ((pred.plover == gold.plover or pred.plover in gold.plover_also_ok)
            and (pred.status == gold.status or pred.status in gold.status_also_ok)
            and participants_match(gold, pred) and dates_overlap(gold, pred))


@dataclass
class Tally:
    matched: int = 0
    gold: int = 0
    predicted: int = 0
    extra: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "matched": self.matched, "gold": self.gold,
                "predicted": self.predicted, "extra": self.extra,
                "extra_per_gold": round(self.extra / self.gold, 3) if self.gold else 0.0}


@dataclass
class DocumentResult:
    doc_id: str
    matched: list[tuple[GoldEvent, Prediction]]
    missed: list[GoldEvent]
    false: list[Prediction]
    extra: list[Prediction]


@dataclass
class Report:
    total: Tally
    by_category: dict[str, Tally]
    documents: list[DocumentResult]

    def as_dict(self) -> dict:
        return {"total": self.total.as_dict(), "documents": len(self.documents),
                "by_category": {c: t.as_dict() for c, t in sorted(self.by_category.items())}}


def score_document(gold: GoldDocument, events: Sequence[Event]) -> DocumentResult:
    preds = merge_predictions(events)
    taken: set[int] = set()
    matched, missed, excused = [], [], set()
    for g in gold.events:
        hit = next((i for i, p in enumerate(preds) if i not in taken and matches(g, p)), None)
        if hit is None:
            if g.required:
                missed.append(g)
            continue
        taken.add(hit)
        if g.required:
            matched.append((g, preds[hit]))
        else:
            excused.add(hit)
    false = [p for i, p in enumerate(preds) if i not in taken]
    extra = [p for p in false if not any(
        p.plover in ({g.plover} | g.plover_also_ok) or p.participants & (g.actors | g.targets)
        for g in gold.events)]
    return DocumentResult(gold.document.id, matched, missed, false, extra)


def score(results: Iterable[DocumentResult]) -> Report:
    total = Tally()
    by_category: dict[str, Tally] = {}
    documents = list(results)
    for doc in documents:
        for g, p in doc.matched:
            for t in (total, by_category.setdefault(g.plover, Tally())):
                t.matched += 1
                t.gold += 1
                t.predicted += 1
        for g in doc.missed:
            for t in (total, by_category.setdefault(g.plover, Tally())):
                t.gold += 1
        for p in doc.false:
            for t in (total, by_category.setdefault(p.plover, Tally())):
                t.predicted += 1
        for p in doc.extra:
            for t in (total, by_category.setdefault(p.plover, Tally())):
                t.extra += 1
    return Report(total, by_category, documents)


def evaluate(gold: Sequence[GoldDocument], extractor) -> Report:
    """Run `extractor` (an `extract.pipeline.Extractor`) over the gold documents and score it."""
    by_id = {g.document.id: g for g in gold}
    results = []
    for document, events in extractor.extract(g.document for g in gold):
        results.append(score_document(by_id[document.id], events))
    return score(results)


def category_counts(gold: Sequence[GoldDocument]) -> Counter:
    return Counter(e.plover for g in gold for e in g.events if e.required)
