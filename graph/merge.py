"""Fold event mentions that report the same happening into clusters (pure, order-independent).

The rule (also in the README):

1. Mentions can only merge inside one *block*: the same PLOVER category and tags, and a
   compatible status (asserted and future together: an announced exercise that was later
   reported as held is one happening; negated and hypothetical mentions only with their own).
2. A *name* identifies a happening: mentions with the same normalised name ("Joint
   Sea-2024", "Vostok-2022") and the same year are one event, even when each report lists
   only some of the participants. Two different names never end up in one event.
3. Unnamed mentions with the same *merge key* (category, mode, tags, the set of actor ids,
   the set of target ids, status) are linked when their places do not conflict (one has none,
   or both name the same) and their date ranges overlap or lie no further apart than the
   kind of event allows (`GAP_DAYS`: an exercise reported by its opening day and by the day a
   ministry spoke is one; a meeting or an attack must share its day), provided the longer
   range spans at most `MAX_LINK_SPAN_DAYS` days; ranges longer than that ("earlier this
   year") link only to identical ranges.
4. A group of unnamed mentions joins a named event of its block when exactly one name fits:
   its participants are all among the named event's, its status is the same and its dates
   fit (overlap, the kind's gap, or a vague range that contains the named dates); a named
   event known only by a vague range never takes in a precisely dated report.
5. A vague mention (a range longer than `MAX_LINK_SPAN_DAYS`, such as "last year") that is
   still alone joins the only event of its merge key whose start lies inside its range, when
   that event comes from other articles (inside one article, a vaguely dated report of the same
   kind is another happening: a writer refers back to the same one as "the drills").
6. Mentions with no resolved time link only to mentions of the same key in the same document.

Every decision depends only on the set of mentions, never on their order, so building in
any order, or in any split of incremental builds, gives the same events. `block_key` is the
unit of re-merging: mentions of different blocks never merge.
Mentions are the JSON form of `extract.records.Event` (`Event.to_dict()`).
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from datetime import date
from typing import Iterable, Sequence

from extract.records import normalise_name

MAX_LINK_SPAN_DAYS = 31
GAP_DAYS = {"exercise": 7, "patrol": 7, "deployment": 3}
STATUS_CLASS = {"asserted": "real", "future": "real", "negated": "negated", "hypothetical": "hypothetical"}

_NAME_YEAR = re.compile(r"-((?:19|20)\d\d)\b")

MergeKey = tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str]
BlockKey = tuple[str, tuple[str, ...], str]

def _tags(action: dict) -> tuple[str, ...]:
    tags = action["tags"]
    return tuple(sorted(set(tags))) if len(tags) > 1 else tuple(tags)


def merge_key(mention: dict) -> MergeKey:
    action = mention["action"]
    return (
        action["plover"],
        action["mode"] or "",
        _tags(action),
        tuple(sorted({a["id"] for a in mention["actors"]})),
        tuple(sorted({a["id"] for a in mention["targets"]})) if mention["targets"] else (),
        mention["status"] or "asserted",
    )


def block_key(mention: dict) -> BlockKey:
    """Mentions of different blocks never merge: category, tags and status class."""
    action = mention["action"]
    status = mention["status"] or "asserted"
    return action["plover"], _tags(action), STATUS_CLASS.get(status, status)


def place_id(mention: dict) -> str | None:
    location = mention["location"]
    return location.get("id") or None if location else None


def mention_name(mention: dict) -> str:
    return normalise_name(mention.get("name"))


def cluster_mentions(mentions: Sequence[dict], keys: Sequence[MergeKey] | None = None) -> list[list[int]]:
    """Indices of `mentions` grouped into events, each group and the list sorted.

    `keys` are the mentions' merge keys when the caller has them already."""
    keys = list(keys) if keys is not None else [merge_key(m) for m in mentions]
    blocks: dict[BlockKey, list[int]] = defaultdict(list)
    for index, mention in enumerate(mentions):
        blocks[block_key(mention)].append(index)
    forest = _Forest(len(mentions))
    for members in blocks.values():
        if len(members) > 1:
            _Block(mentions, keys, members, forest).link()
    clusters: dict[int, list[int]] = defaultdict(list)
    for index in range(len(mentions)):
        clusters[forest.find(index)].append(index)
    return sorted(clusters.values())


class _Forest:
    """Union-find over mention indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _ordinal(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def _span(mention: dict) -> tuple[int, int] | None:
    time = mention["time"]
    start = time["start"]
    if not start:
        return None
    first, last = _ordinal(start), _ordinal(time["end"] or start)
    return (first, last) if first <= last else (last, first)


def _gap_days(tags: tuple[str, ...]) -> int:
    return max((GAP_DAYS.get(t, 0) for t in tags), default=0)


class _Block:
    """The links inside one block (rules 2 to 6)."""

    def __init__(self, mentions: Sequence[dict], keys: Sequence[MergeKey], members: list[int],
                 forest: _Forest) -> None:
        self.mentions, self.keys, self.members, self.forest = mentions, keys, members, forest
        self.gap = _gap_days(block_key(mentions[members[0]])[1])
        self.names = {i: mention_name(mentions[i]) for i in members}
        self.spans = {i: _span(mentions[i]) for i in members}

    def link(self) -> None:
        named = [i for i in self.members if self.names[i]]
        unnamed = [i for i in self.members if not self.names[i]]
        self._link_names(named)
        by_key: dict[MergeKey, list[int]] = defaultdict(list)
        for index in unnamed:
            by_key[self.keys[index]].append(index)
        for group in by_key.values():
            if len(group) > 1:
                _link_group(self.mentions, group, self.forest, self.gap)
        if named:
            self._attach_to_names(unnamed, named)
        self._attach_vague(unnamed)

    def _link_names(self, named: list[int]) -> None:
        """Rule 2: same name and year (undated: same name in the same document)."""
        first_of: dict[tuple, int] = {}
        for index in named:
            span = self.spans[index]
            mention = self.mentions[index]
            in_name = _NAME_YEAR.search(self.names[index])
            year = int(in_name.group(1)) if in_name else (date.fromordinal(span[0]).year if span
                                                          else mention["doc_id"])
            status = mention["status"] or "asserted"
            # a negated or hypothetical status is its own block; asserted and future meet here
            key = (self.names[index], year, status if status not in STATUS_CLASS else "")
            if key in first_of:
                self.forest.union(index, first_of[key])
            else:
                first_of[key] = index

    def _attach_to_names(self, unnamed: list[int], named: list[int]) -> None:
        """Rule 4: an unnamed group joins the one name it fits."""
        groups: dict[int, list[int]] = defaultdict(list)
        for index in unnamed:
            groups[self.forest.find(index)].append(index)
        events: dict[int, list[int]] = defaultdict(list)
        for index in named:
            events[self.forest.find(index)].append(index)
        event_people = {root: self._participants(items) for root, items in events.items()}
        event_spans = {root: [self.spans[i] for i in items if self.spans[i]] for root, items in events.items()}
        joins: list[tuple[int, int]] = []
        for root, items in groups.items():
            people = self._participants(items)
            statuses = {self.mentions[i]["status"] or "asserted" for i in items}
            fitting = {self.names[events[e][0]]: e for e in events
                       if people <= event_people[e]
                       and statuses <= {self.mentions[i]["status"] or "asserted" for i in events[e]}
                       and self._dates_fit([self.spans[i] for i in items if self.spans[i]], event_spans[e],
                                           same_doc=bool({self.mentions[i]["doc_id"] for i in items}
                                                         & {self.mentions[i]["doc_id"] for i in events[e]}))}
            if len(fitting) == 1:
                joins.append((root, next(iter(fitting.values()))))
        for a, b in joins:
            self.forest.union(a, b)

    def _dates_fit(self, spans: list[tuple[int, int]], named: list[tuple[int, int]], same_doc: bool) -> bool:
        if not spans or not named:
            return same_doc
        for first, last in spans:
            for n_first, n_last in named:
                if n_last - n_first + 1 > MAX_LINK_SPAN_DAYS >= last - first + 1:
                    continue  # a name known only by its year ("last year's edition") dates no precise report
                if first - self.gap <= n_last and n_first <= last + self.gap:
                    return True
        return False

    def _attach_vague(self, unnamed: list[int]) -> None:
        """Rule 5: a lone vague mention joins the only event of its key inside its range."""
        size: dict[int, int] = defaultdict(int)
        for index in self.members:
            size[self.forest.find(index)] += 1
        precise: dict[MergeKey, list[tuple[int, int, str]]] = defaultdict(list)
        for index in self.members:
            span = self.spans[index]
            if span and span[1] - span[0] + 1 <= MAX_LINK_SPAN_DAYS:
                precise[self.keys[index]].append((span[0], self.forest.find(index),
                                                  self.mentions[index]["doc_id"]))
        for starts in precise.values():
            starts.sort()
        joins = []
        for index in unnamed:
            span = self.spans[index]
            if not span or span[1] - span[0] + 1 <= MAX_LINK_SPAN_DAYS or size[self.forest.find(index)] > 1:
                continue
            starts = precise.get(self.keys[index], [])
            low = bisect.bisect_left(starts, (span[0], -1, ""))
            high = bisect.bisect_right(starts, (span[1], len(self.mentions), "\uffff"))
            doc = self.mentions[index]["doc_id"]
            # inside one article a vaguely dated report of the same kind is another happening
            # (the writer refers back to the same one: "the drills"); across articles it may be it
            candidates = {root for _, root, other in starts[low:high] if other != doc}
            if any(other == doc for _, _, other in starts[low:high]):
                continue
            if len(candidates) == 1:
                joins.append((index, candidates.pop()))
        for a, b in joins:
            self.forest.union(a, b)

    def _participants(self, items: Iterable[int]) -> frozenset[str]:
        people: set[str] = set()
        for index in items:
            key = self.keys[index]
            people.update(key[3])
            people.update(key[4])
        return frozenset(people)


def _link_group(mentions: Sequence[dict], members: list[int], forest: _Forest, gap: int = 0) -> None:
    short: list[tuple[int, int, str, int, str | None]] = []
    exact: dict[tuple, list[tuple[int, str | None]]] = defaultdict(list)
    for index in members:
        mention = mentions[index]
        span = _span(mention)
        place = place_id(mention)
        if span is None:
            exact[("undated", mention["doc_id"])].append((index, place))
            continue
        first, last = span
        if last - first + 1 <= MAX_LINK_SPAN_DAYS:
            short.append((first, last + gap, mention["id"], index, place))
        else:
            exact[(first, last)].append((index, place))
    _sweep_short(sorted(short), forest)
    for same in exact.values():
        _link_same_time(same, forest)


def _sweep_short(items: list[tuple[int, int, str, int, str | None]], forest: _Forest) -> None:
    """Link overlapping, place-compatible ranges sorted by start.

    All open ranges of one place overlap each other (they all contain the current start)
    and were linked already, so one representative per place (the one ending last) is enough.
    """
    open_by_place: dict[str | None, tuple[int, int]] = {}
    for first, last, _, index, place in items:
        if place is None:
            closed = [p for p, (end, _) in open_by_place.items() if end < first]
            for p in closed:
                del open_by_place[p]
            for _, other in open_by_place.values():
                forest.union(index, other)
        else:
            for candidate in (open_by_place.get(place), open_by_place.get(None)):
                if candidate is not None and candidate[0] >= first:
                    forest.union(index, candidate[1])
        held = open_by_place.get(place)
        if held is not None and held[0] >= first:
            open_by_place[place] = (max(held[0], last), index)
        else:
            open_by_place[place] = (last, index)


def _link_same_time(items: list[tuple[int, str | None]], forest: _Forest) -> None:
    """Link mentions of identical time: same place, or one of them without a place."""
    by_place: dict[str | None, int] = {}
    for index, place in items:
        if place in by_place:
            forest.union(index, by_place[place])
        else:
            by_place[place] = index
    unplaced = by_place.get(None)
    if unplaced is not None:
        for index in by_place.values():
            forest.union(index, unplaced)


# -- what a cluster becomes --------------------------------------------------------------
STATUS_PRECEDENCE = ("asserted", "future", "hypothetical", "negated")


def cluster_key(members: Sequence[dict]) -> MergeKey:
    """The merged event's key: the members' category, most common mode, tags, every actor,
    every target that is not also an actor, and the firmest status."""
    keys = [merge_key(m) for m in members]
    if len(set(keys)) == 1:
        return keys[0]
    plover, _, tags, _, _, _ = keys[0]
    modes = sorted(k[1] for k in keys if k[1])
    mode = max(set(modes), key=lambda m: (modes.count(m), [-ord(c) for c in m])) if modes else ""
    actors = tuple(sorted({a for k in keys for a in k[3]}))
    targets = tuple(sorted({t for k in keys for t in k[4]} - set(actors)))
    statuses = {k[5] for k in keys}
    status = next(s for s in STATUS_PRECEDENCE if s in statuses or s == "negated")
    return plover, mode, tags, actors, targets, status


def cluster_span(members: Sequence[dict]) -> tuple[str | None, str | None, str]:
    """The happening's dates. With an explicit span among its reports ("from September 11 to
    25"), the range from the earliest to the latest span or day; otherwise the narrowest report
    when it lies inside all the others ("on Sunday" in "this week"), else the range of the
    reported days; with only vague reports, the narrowest of those."""
    precise, vague = [], []
    told = any((m.get("time") or {}).get("text") for m in members)
    for m in members:
        time = m.get("time") or {}
        span = _span(m)
        if span is None or (told and not time.get("text")):
            continue  # a report that gives no date of its own is dated by its publication
        (precise if span[1] - span[0] + 1 <= MAX_LINK_SPAN_DAYS else vague).append((span, time))
    if precise:
        concrete = [s for s, t in precise if t.get("granularity") in ("day", "range")]
        if any(t.get("granularity") == "range" for _, t in precise):
            return _range_of(concrete)
        narrowest_span, narrowest = min(precise, key=lambda p: (p[0][1] - p[0][0], p[0]))
        if all(s[0] <= narrowest_span[0] and narrowest_span[1] <= s[1] for s, _ in precise):
            return narrowest["start"], narrowest.get("end") or narrowest["start"], \
                narrowest.get("granularity") or "unknown"
        return _range_of(concrete or [s for s, _ in precise])
    if vague:
        _, time = min(vague, key=lambda p: (p[0][1] - p[0][0], p[0]))
        return time["start"], time.get("end") or time["start"], time.get("granularity") or "unknown"
    return None, None, "unknown"


def _range_of(spans: list[tuple[int, int]]) -> tuple[str, str, str]:
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)
    return date.fromordinal(first).isoformat(), date.fromordinal(last).isoformat(), \
        "day" if first == last else "range"


def cluster_name(members: Sequence[dict]) -> str:
    names = sorted({mention_name(m) for m in members} - {""})
    return names[0] if names else ""


def link_reasons(members: Sequence[dict]) -> list[str]:
    """Why each report of one merged event is part of it, in the rules' words: for
    `events --show-mentions`. `members` are the event's mentions; the result is in their order."""
    if len(members) < 2:
        return ["the only report"] * len(members)
    names = [mention_name(m) for m in members]
    keys = [merge_key(m) for m in members]
    spans = [_span(m) for m in members]
    named = {n for n in names if n}
    out = []
    for i, mention in enumerate(members):
        others = [j for j in range(len(members)) if j != i]
        if names[i] and any(names[j] == names[i] for j in others):
            out.append(f"same name ({names[i]})")
        elif names[i]:
            out.append(f"named {names[i]}: the event's name")
        elif spans[i] and spans[i][1] - spans[i][0] + 1 > MAX_LINK_SPAN_DAYS:
            out.append("a vague date that holds the event's dates")
        elif any(keys[j] == keys[i] and not names[j] for j in others):
            gaps = [max(0, max(spans[i][0], spans[j][0]) - min(spans[i][1], spans[j][1]))
                    for j in others if keys[j] == keys[i] and not names[j] and spans[i] and spans[j]]
            days = min(gaps) if gaps else None
            out.append("same type, participants and status" + (
                "" if days is None else ", same dates" if days == 0 else f", {days} days apart"))
        elif named:
            out.append(f"unnamed; its participants fit the one named event ({sorted(named)[0]})")
        else:
            out.append("linked through another report of the event")
    return out
