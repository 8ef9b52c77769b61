"""The merged event graph: Actor, Event and Document records and their networkx form.

`EventGraph` keeps plain records (fast to load, query and save); `to_networkx` builds the
SPEC's MultiDiGraph from them:

- nodes `actor:<id>` {type: Actor, id, name, kind}, `event:<id>` {type: Event, id, plover,
  mode, cameo, tags, trigger, start, end, granularity, status, location, mentions, label},
  `doc:<id>` {type: Document, id, title, url, published};
- edges {relation: PARTICIPATED_IN, role: actor|target} from Actor to Event and
  {relation: REPORTED_IN, sentence_index, sentence, span} from Event to Document, one per
  mention (edge keys `PARTICIPATED_IN:<role>` and `REPORTED_IN:<mention id>`).
"""
from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from collections import Counter
from typing import Iterable, NamedTuple

from .merge import (MergeKey, cluster_key, cluster_mentions, cluster_name, cluster_span, merge_key,
                    normalise_name, place_id)

ACTOR, EVENT, DOCUMENT = "Actor", "Event", "Document"
PARTICIPATED_IN, REPORTED_IN = "PARTICIPATED_IN", "REPORTED_IN"


class MergedEvent(NamedTuple):
    """One happening: the merge of one or more mentions (`mention_ids`, in document order).

    A named tuple rather than a dataclass: a big graph holds a million of these, and
    tuples are built several times faster, which is most of the load time.
    """

    id: str
    plover: str
    mode: str
    cameo: str
    tags: tuple[str, ...]
    trigger: str
    label: str
    start: str | None
    end: str | None
    granularity: str
    status: str
    location: str | None
    location_name: str
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    mention_ids: tuple[str, ...]
    evidence_id: str
    evidence: str = ""  # the evidence mention's sentence and document, kept so that queries
    evidence_doc: str = ""  # never need to decode the mentions
    name: str = ""  # the happening's own name ("Joint Sea-2024"), "" when none was reported

    @property
    def participants(self) -> tuple[str, ...]:
        return self.actors + tuple(t for t in self.targets if t not in self.actors)

    def to_dict(self) -> dict:
        return {name: (list(v) if isinstance(v, tuple) else v) for name, v in zip(self._fields, self)}

    @classmethod
    def from_dict(cls, d: dict) -> "MergedEvent":
        return cls.from_row([d.get(name, "") for name in cls._fields])

    @classmethod
    def from_row(cls, row: list) -> "MergedEvent":
        """From the list form the graph file stores (values in field order)."""
        (id_, plover, mode, cameo, tags, trigger, label, start, end, granularity, status,
         location, location_name, actors, targets, mention_ids, evidence_id, *rest) = row
        return tuple.__new__(cls, (id_, plover, mode, cameo, tuple(tags), trigger, label, start, end,
                                   granularity, status, location, location_name, tuple(actors),
                                   tuple(targets), tuple(mention_ids), evidence_id,
                                   *(rest + ["", "", ""])[:3]))


class EventGraph:
    """Documents, every mention (JSON form of `extract.records.Event`), merged events, actors.

    Mentions may arrive as undecoded JSON lines (`mention_lines`, from the graph file):
    queries never need them, so they are decoded only when `mentions` is first read.
    """

    def __init__(self, documents: dict[str, dict] | None = None, mentions: dict[str, dict] | None = None,
                 events: list[MergedEvent] | None = None, actors: dict[str, dict] | None = None,
                 *, mention_lines: bytes | None = None, mention_count: int | None = None,
                 indexes: dict[str, dict[str, list[int]]] | None = None) -> None:
        self.documents = documents if documents is not None else {}
        self.events = events if events is not None else []
        self.actors = actors if actors is not None else {}
        self._mentions = mentions if mentions is not None or mention_lines is not None else {}
        self._mention_lines = mention_lines
        self._mention_count = mention_count
        self._indexes = dict(indexes or {})

    def indexes(self) -> dict[str, dict[str, list[int]]]:
        """Positions in `events` by tag and by participant (stored in the graph file, so a
        freshly loaded graph answers tag and actor filters without a full scan)."""
        if "tags" not in self._indexes:
            self._indexes["tags"] = _index(self.events, lambda e: e.tags)
        if "actors" not in self._indexes:
            self._indexes["actors"] = _index(self.events, lambda e: e.participants)
        return self._indexes

    def events_tagged(self, tags: Iterable[str]) -> list[MergedEvent]:
        """Events carrying any of `tags`, in graph order."""
        by_tag = self.indexes()["tags"]
        return self._pick([by_tag.get(tag, []) for tag in tags], any_of=True)

    def events_with(self, actors: Iterable[str]) -> list[MergedEvent]:
        """Events in which every one of `actors` takes part, in graph order."""
        by_actor = self.indexes()["actors"]
        return self._pick([by_actor.get(actor, []) for actor in actors], any_of=False)

    def _pick(self, postings: list[list[int]], any_of: bool) -> list[MergedEvent]:
        if not postings:
            return list(self.events)
        if len(postings) == 1:
            chosen = postings[0]
        elif any_of:
            chosen = sorted(set().union(*postings))
        else:
            chosen = sorted(set(min(postings, key=len)).intersection(*postings))
        events = self.events
        return [events[i] for i in chosen]

    @property
    def mentions(self) -> dict[str, dict]:
        if self._mentions is None:
            self._mentions = decode_mention_lines(self._mention_lines or b"")
            self._mention_lines = None
        return self._mentions

    @property
    def mention_count(self) -> int:
        if self._mentions is not None:
            return len(self._mentions)
        return self._mention_count if self._mention_count is not None else len(self.mentions)

    @property
    def raw_mention_lines(self) -> bytes | None:
        """The mentions as read from the file, while they are still undecoded."""
        return self._mention_lines if self._mentions is None else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventGraph):
            return NotImplemented
        return (self.documents == other.documents and self.events == other.events
                and self.actors == other.actors and self.mentions == other.mentions)

    def __repr__(self) -> str:
        return (f"EventGraph({len(self.documents)} documents, {len(self.events)} events, "
                f"{self.mention_count} mentions, {len(self.actors)} actors)")

    def to_networkx(self):
        import networkx as nx

        g = nx.MultiDiGraph()
        for actor in self.actors.values():
            g.add_node(f"actor:{actor['id']}", type=ACTOR, **actor)
        for doc in self.documents.values():
            g.add_node(f"doc:{doc['id']}", type=DOCUMENT, id=doc["id"], title=doc.get("title", ""),
                       url=doc.get("url", ""), published=doc.get("published"))
        for event in self.events:
            node = f"event:{event.id}"
            g.add_node(node, type=EVENT, id=event.id, plover=event.plover, mode=event.mode,
                       cameo=event.cameo, tags=list(event.tags), trigger=event.trigger,
                       label=event.label, start=event.start, end=event.end,
                       granularity=event.granularity, status=event.status,
                       location=event.location, mentions=len(event.mention_ids))
            for actor in event.actors:
                g.add_edge(f"actor:{actor}", node, key=f"{PARTICIPATED_IN}:actor",
                           relation=PARTICIPATED_IN, role="actor")
            for target in event.targets:
                g.add_edge(f"actor:{target}", node, key=f"{PARTICIPATED_IN}:target",
                           relation=PARTICIPATED_IN, role="target")
            for mention_id in event.mention_ids:
                mention = self.mentions[mention_id]
                g.add_edge(node, f"doc:{mention['doc_id']}", key=f"{REPORTED_IN}:{mention_id}",
                           relation=REPORTED_IN, sentence_index=mention["sentence_index"],
                           sentence=mention["sentence"], span=list(mention["span"]))
        return g


def _index(events: list[MergedEvent], keys_of) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for number, event in enumerate(events):
        for key in keys_of(event):
            index.setdefault(key, []).append(number)
    return index


def decode_mention_lines(lines: bytes) -> dict[str, dict]:
    """Mentions from JSON lines (one object per line), keyed by id."""
    import orjson

    body = lines.strip(b"\n")
    if not body:
        return {}
    with collector_paused():
        decoded = orjson.loads(b"[" + body.replace(b"\n", b",") + b"]")
    return {m["id"]: m for m in decoded}


def build_graph(documents: dict[str, dict], mentions: Iterable[dict]) -> EventGraph:
    """Merge `mentions` into events; the result depends only on the set of mentions."""
    with collector_paused():
        return _build_graph(documents, mentions)


@contextmanager
def collector_paused():
    """Bulk building allocates millions of long-lived objects; the cyclic collector would
    rescan them over and over and triple the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build_graph(documents: dict[str, dict], mentions: Iterable[dict]) -> EventGraph:
    unique: dict[str, dict] = {}
    for mention in mentions:
        unique.setdefault(mention["id"], mention)
    ordered = [unique[k] for k in sorted(unique)]
    return EventGraph(dict(sorted(documents.items())), {m["id"]: m for m in ordered},
                      _merge_sorted(ordered), _actors(ordered))


def merge_events(mentions: Iterable[dict]) -> list[MergedEvent]:
    """The merged events of `mentions` (deduplicated by id), in graph order.

    The store calls this on the mentions of whole re-merge blocks: events never span
    blocks, so the events of a block depend only on the block's own mentions."""
    with collector_paused():
        unique: dict[str, dict] = {}
        for mention in mentions:
            unique.setdefault(mention["id"], mention)
        return _merge_sorted([unique[k] for k in sorted(unique)])


def _merge_sorted(ordered: list[dict]) -> list[MergedEvent]:
    keys = [merge_key(m) for m in ordered]
    clusters = cluster_mentions(ordered, keys)
    events = _name_events([(keys[cluster[0]] if len(cluster) == 1 else cluster_key([ordered[i] for i in cluster]),
                            [ordered[i] for i in cluster]) for cluster in clusters])
    events.sort(key=lambda e: (e.start or "9999", e.id))
    return events


def _name_events(clusters: list[tuple[MergeKey, list[dict]]]) -> list[MergedEvent]:
    """Merged events with ids from merge key + earliest start (+ first mention id on a tie)."""
    drafts = []
    seen: Counter[str] = Counter()
    for key, members in clusters:
        if len(members) == 1:
            earliest = (members[0].get("time") or {}).get("start") or ""
        else:
            earliest = min(((m.get("time") or {}).get("start") or "~" for m in members)).strip("~")
        plover, mode, tags, actors, targets, status = key
        name = cluster_name(members) if len(members) > 1 else (members[0].get("name") or "")
        parts = (plover, mode, ",".join(tags), ",".join(actors), ",".join(targets), status, earliest)
        base = _digest(*parts, name) if name else _digest(*parts)
        seen[base] += 1
        drafts.append((base, key, members))
    events = []
    for base, key, members in drafts:
        event_id = base if seen[base] == 1 else _digest(base, min(m["id"] for m in members))
        events.append(_merged(event_id, key, members))
    return events


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _most_common(values: Iterable[str]) -> str:
    return _top(Counter(v for v in values if v))


def _top(counts: Counter) -> str:
    """The most frequent value, the smallest one on a tie ("" when there is none)."""
    return min(counts, key=lambda v: (-counts[v], v)) if counts else ""


def _merged(event_id: str, key: MergeKey, members: list[dict]) -> MergedEvent:
    plover, mode, tags, actors, targets, status = key
    if len(members) == 1:
        return _single(event_id, key, members[0])
    members = sorted(members, key=lambda m: (m["doc_id"], m["sentence_index"], m["id"]))
    start, end, granularity = cluster_span(members)
    evidence = min(members, key=lambda m: (-float(m.get("confidence", 0)), m["doc_id"],
                                           m["sentence_index"], m["id"]))
    location = _most_common(place_id(m) or "" for m in members) or None
    location_name = _most_common((m.get("location") or {}).get("name", "") for m in members
                                 if place_id(m) == location) if location else ""
    return MergedEvent(
        id=event_id, plover=plover, mode=mode,
        cameo=_most_common(m["action"].get("cameo", "") for m in members),
        tags=tags, trigger=_most_common(m["action"].get("trigger", "") for m in members),
        label=evidence["action"].get("text") or evidence["action"].get("trigger", ""),
        start=start, end=end or start, granularity=granularity, status=status,
        location=location, location_name=location_name, actors=actors, targets=targets,
        mention_ids=tuple(m["id"] for m in members), evidence_id=evidence["id"],
        evidence=evidence["sentence"], evidence_doc=evidence["doc_id"], name=cluster_name(members),
    )


def _single(event_id: str, key: MergeKey, mention: dict) -> MergedEvent:
    """`_merged` for a one-mention event, without the voting."""
    plover, mode, tags, actors, targets, status = key
    time = mention["time"]
    action = mention["action"]
    location = mention["location"] or {}
    place = location.get("id") or None
    return MergedEvent(
        event_id, plover, mode, action["cameo"] or "", tags, action["trigger"] or "",
        action["text"] or action["trigger"] or "", time["start"], time["end"] or time["start"],
        time["granularity"] or "unknown", status, place, (location.get("name") or "") if place else "",
        actors, targets, (mention["id"],), mention["id"], mention["sentence"], mention["doc_id"],
        normalise_name(mention.get("name")),
    )


def _actors(mentions: list[dict]) -> dict[str, dict]:
    """Each actor's name and kind as first given, in mention id order (order-independent)."""
    found: dict[str, dict] = {}
    for mention in mentions:
        for group in (mention["actors"], mention.get("targets") or ()):
            for actor in group:
                if actor["id"] not in found:
                    found[actor["id"]] = {"id": actor["id"], "name": actor.get("name") or actor["id"],
                                          "kind": actor.get("kind") or "country"}
    return dict(sorted(found.items()))
