"""Hand-made and synthetic event mentions, for tests and the graph benchmark."""
from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import groupby
from typing import Iterator, Sequence

from extract.records import Action, Actor, Document, Event, Location, TimeSpan

COUNTRIES = ("CHN", "RUS", "JPN", "KOR", "PRK", "USA", "IND", "TWN", "FRA", "DEU", "GBR", "IRN",
             "TUR", "UKR", "BLR", "KAZ", "MNG", "VNM", "PHL", "AUS")
KINDS = (("COOPERATE", "military", "062", ("exercise",), "drill"),
         ("AGREE", "", "057", ("agreement",), "sign"),
         ("CONSULT", "", "040", ("meeting",), "meet"),
         ("ACCUSE", "disapprove", "112", ("statement",), "criticize"),
         ("MOBILIZE", "", "150", ("deployment",), "deploy"),
         ("CONSULT", "", "042", ("visit",), "visit"))


def actor(actor_id: str) -> Actor:
    return Actor(actor_id, actor_id.title() if len(actor_id) > 3 else actor_id,
                 "igo" if actor_id in ("NATO", "UN", "SCO", "EU") else "country")


def make_event(doc_id: str, sentence_index: int, actors: Sequence[str], *, targets: Sequence[str] = (),
               plover: str = "COOPERATE", mode: str = "military", cameo: str = "062",
               tags: Sequence[str] = ("exercise",), trigger: str = "drill",
               start: str | None = "2025-12-07", end: str | None = None, granularity: str = "day",
               location: str | None = None, status: str = "asserted", sentence: str = "",
               confidence: float = 0.8, name: str | None = None, action_text: str | None = None) -> Event:
    """One mention, with defaults for everything a test does not care about."""
    text = sentence or f"{' and '.join(actors)} {trigger} ({doc_id} #{sentence_index})."
    return Event(
        doc_id=doc_id, sentence_index=sentence_index, sentence=text, span=(0, len(text)),
        actors=tuple(actor(a) for a in actors), targets=tuple(actor(t) for t in targets),
        action=Action(trigger, action_text or trigger, plover, mode, cameo, tuple(tags)),
        time=TimeSpan(None, start, end or start, granularity if start else "unknown"),
        location=Location(location, location, location) if location else None,
        status=status, confidence=confidence, name=name)


def make_document(doc_id: str, published: str | None = "2025-12-08", text: str = "") -> Document:
    return Document(doc_id, text or f"text of {doc_id}",
                    date.fromisoformat(published) if published else None, title=f"Title {doc_id}")


def synthetic_mentions(count: int, seed: int = 0, repeat_share: float = 0.3) -> list[dict]:
    """`count` mention dicts, ten per document; `repeat_share` of them re-report an earlier
    happening (same key, a day inside a week-long window) so that merging has work to do."""
    return list(iter_synthetic_mentions(count, seed, repeat_share))


def iter_synthetic_mentions(count: int, seed: int = 0, repeat_share: float = 0.3) -> Iterator[dict]:
    """The mentions of `synthetic_mentions`, one at a time (a million do not fit in memory
    comfortably)."""
    rng = random.Random(seed)
    origin = date(2000, 1, 1).toordinal()
    happenings: list[tuple] = []
    for number in range(count):
        doc_id = f"d{number // 10:07d}"
        if happenings and rng.random() < repeat_share:
            kind, people, day = happenings[rng.randrange(len(happenings))]
            start = date.fromordinal(day + rng.randrange(3))
            week = (start.isoformat(), (start + timedelta(days=6)).isoformat(), "week")
            span = rng.choice([(start.isoformat(), start.isoformat(), "day"), week])
        else:
            kind = KINDS[rng.randrange(len(KINDS))]
            people = tuple(rng.sample(COUNTRIES, 2))
            day = origin + rng.randrange(9500)
            happenings.append((kind, people, day))
            start = date.fromordinal(day).isoformat()
            span = (start, start, "day")
        plover, mode, cameo, tags, trigger = kind
        joint = plover in ("COOPERATE", "AGREE", "CONSULT")
        event = make_event(doc_id, number % 10, people if joint else people[:1],
                           targets=() if joint else people[1:], plover=plover, mode=mode,
                           cameo=cameo, tags=tags, trigger=trigger, start=span[0], end=span[1],
                           granularity=span[2], sentence=f"Synthetic sentence {number} about {' and '.join(people)}.")
        yield event.to_dict()


def synthetic_items(count: int, seed: int = 0) -> Iterator[tuple[dict, list[dict]]]:
    """(document record, its mentions) pairs of the synthetic mentions, document by document."""
    for doc_id, group in groupby(iter_synthetic_mentions(count, seed), key=lambda m: m["doc_id"]):
        yield _document(doc_id), list(group)


def _document(doc_id: str) -> dict:
    return {"id": doc_id, "title": f"Synthetic {doc_id}", "url": "", "source": "", "published": None,
            "content_hash": doc_id}


def synthetic_documents(mentions: list[dict]) -> dict[str, dict]:
    ids = sorted({m["doc_id"] for m in mentions})
    return {i: _document(i) for i in ids}
