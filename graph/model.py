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
from datetime import date
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from .merge import MergeKey, cluster_mentions, merge_key, place_id

ACTOR, EVENT, DOCUMENT = "Actor", "Event", "Document"
PARTICIPATED_IN, REPORTED_IN = "PARTICIPATED_IN", "REPORTED_IN"


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """One happening: the merge of one or more mentions (`mention_ids`, in document order)."""

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

    @property
    def participants(self) -> tuple[str, ...]:
        return self.actors + tuple(t for t in self.targets if t not in self.actors)

    def to_dict(self) -> dict:
        return {name: (list(v) if isinstance(v := getattr(self, name), tuple) else v)
                for name in self.__slots__}

    @classmethod
    def from_dict(cls, d: dict) -> "MergedEvent":
        return cls(d["id"], d["plover"], d["mode"], d["cameo"], tuple(d["tags"]), d["trigger"],
                   d["label"], d["start"], d["end"], d["granularity"], d["status"], d["location"],
                   d["location_name"], tuple(d["actors"]), tuple(d["targets"]),
                   tuple(d["mention_ids"]), d["evidence_id"])


@dataclass
class EventGraph:
    """Documents, every mention (JSON form of `extract.records.Event`), merged events, actors."""

    documents: dict[str, dict] = field(default_factory=dict)
    mentions: dict[str, dict] = field(default_factory=dict)
    events: list[MergedEvent] = field(default_factory=list)
    actors: dict[str, dict] = field(default_factory=dict)
    _by_id: dict[str, MergedEvent] | None = field(default=None, repr=False, compare=False)

    def event(self, event_id: str) -> MergedEvent:
        if self._by_id is None:
            self._by_id = {e.id: e for e in self.events}
        return self._by_id[event_id]

    def evidence(self, event: MergedEvent) -> dict:
        return self.mentions[event.evidence_id]

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
    keys = [merge_key(m) for m in ordered]
    clusters = cluster_mentions(ordered, keys)
    events = _name_events([(keys[cluster[0]], [ordered[i] for i in cluster]) for cluster in clusters])
    events.sort(key=lambda e: (e.start or "9999", e.id))
    return EventGraph(dict(sorted(documents.items())), {m["id"]: m for m in ordered}, events,
                      _actors(ordered))


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
        base = _digest(plover, mode, ",".join(tags), ",".join(actors), ",".join(targets), status,
                       earliest)
        seen[base] += 1
        drafts.append((base, key, members))
    events = []
    for base, key, members in drafts:
        event_id = base if seen[base] == 1 else _digest(base, min(m["id"] for m in members))
        events.append(_merged(event_id, key, members))
    return events


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _span_days(mention: dict) -> tuple[int, str, str]:
    time = mention.get("time") or {}
    start = time.get("start")
    if not start:
        return (1 << 30, "", mention["id"])
    end = time.get("end") or start
    return (date.fromisoformat(end).toordinal() - date.fromisoformat(start).toordinal(), start,
            mention["id"])


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
    finest = min(members, key=_span_days)
    time = finest.get("time") or {}
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
        start=time.get("start"), end=time.get("end") or time.get("start"),
        granularity=time.get("granularity") or "unknown", status=status,
        location=location, location_name=location_name, actors=actors, targets=targets,
        mention_ids=tuple(m["id"] for m in members), evidence_id=evidence["id"],
    )


def _single(event_id: str, key: MergeKey, mention: dict) -> MergedEvent:
    """`_merged` for a one-mention event, without the voting."""
    plover, mode, tags, actors, targets, status = key
    time = mention.get("time") or {}
    action = mention["action"]
    location = mention.get("location") or {}
    return MergedEvent(
        id=event_id, plover=plover, mode=mode, cameo=action.get("cameo") or "", tags=tags,
        trigger=action.get("trigger") or "", label=action.get("text") or action.get("trigger", ""),
        start=time.get("start"), end=time.get("end") or time.get("start"),
        granularity=time.get("granularity") or "unknown", status=status,
        location=location.get("id") or None,
        location_name=(location.get("name") or "") if location.get("id") else "",
        actors=actors, targets=targets, mention_ids=(mention["id"],), evidence_id=mention["id"],
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
