"""Fold event mentions that report the same happening into clusters (pure, order-independent).

The rule (also in the README):

1. Mentions can only merge when they share the *merge key*: PLOVER category, mode, tags,
   the set of actor ids, the set of target ids and the status.
2. Inside a key, two dated mentions are linked when their [start, end] ranges overlap and
   their places do not conflict (same place id, or at least one has none), and either the
   longer of the two ranges spans at most `MAX_LINK_SPAN_DAYS` days ("on Sunday" and "this
   week" link; "earlier this year" is too vague to identify one happening) or both ranges
   are identical ("in 2022" reported twice).
3. Mentions with no resolved time link only to others of the same key in the same document.
4. Each connected component of links is one Event.

Components do not depend on input order, so building in any order gives the same events.
Mentions are the JSON form of `extract.records.Event` (`Event.to_dict()`).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Sequence

MAX_LINK_SPAN_DAYS = 31

MergeKey = tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str]


def merge_key(mention: dict) -> MergeKey:
    action = mention["action"]
    tags = action["tags"]
    return (
        action["plover"],
        action["mode"] or "",
        tuple(sorted(set(tags))) if len(tags) > 1 else tuple(tags),
        tuple(sorted({a["id"] for a in mention["actors"]})),
        tuple(sorted({a["id"] for a in mention["targets"]})) if mention["targets"] else (),
        mention["status"] or "asserted",
    )


def place_id(mention: dict) -> str | None:
    location = mention["location"]
    return location.get("id") or None if location else None


def cluster_mentions(mentions: Sequence[dict], keys: Sequence[MergeKey] | None = None) -> list[list[int]]:
    """Indices of `mentions` grouped into events, each group and the list sorted.

    `keys` are the mentions' merge keys when the caller has them already."""
    groups: dict[MergeKey, list[int]] = defaultdict(list)
    for index, key in enumerate(keys if keys is not None else map(merge_key, mentions)):
        groups[key].append(index)
    forest = _Forest(len(mentions))
    for members in groups.values():
        if len(members) > 1:
            _link_group(mentions, members, forest)
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


def _link_group(mentions: Sequence[dict], members: list[int], forest: _Forest) -> None:
    short: list[tuple[int, int, str, int, str | None]] = []
    exact: dict[tuple, list[tuple[int, str | None]]] = defaultdict(list)
    for index in members:
        mention = mentions[index]
        time = mention["time"]
        start = time["start"]
        place = place_id(mention)
        if not start:
            exact[("undated", mention["doc_id"])].append((index, place))
            continue
        first, last = _ordinal(start), _ordinal(time["end"] or start)
        if last < first:
            first, last = last, first
        if last - first + 1 <= MAX_LINK_SPAN_DAYS:
            short.append((first, last, mention["id"], index, place))
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
