"""Frozen records that travel from extraction to the graph.

`Document` is what the reader yields; `Event` is what extraction yields. Both are
hashable and order-stable, so sets deduplicate them and sorting is deterministic.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

PLOVER_CATEGORIES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
TAGS = (
    "exercise", "patrol", "deployment", "agreement", "meeting", "visit", "call", "statement",
    "veto", "vote", "sanction", "aid", "arms", "attack", "protest", "threat", "accusation",
    "election", "ceasefire", "treaty",
)
STATUSES = ("asserted", "negated", "future", "hypothetical")
GRANULARITIES = ("day", "week", "month", "quarter", "year", "range", "unknown")
ACTOR_KINDS = ("country", "igo", "group")
MAX_DOCUMENT_ID_CHARS = 512  # longer ids are refused by the reader, so no backend ever sees one


_YEAR_IN_NAME = re.compile(r"[\s_-]*((?:19|20)\d\d)\b")
_ROMAN = re.compile(r"\(\s*(i{1,3}|iv|v|vi{0,3})\s*\)$", re.IGNORECASE)


def normalise_name(name: str | None) -> str:
    """One spelling per name: "JOINT SEA 2024", "Joint Sea–2024" -> "Joint Sea-2024"."""
    if not name:
        return ""
    text = " ".join(name.replace("\u2013", "-").replace("\u2014", "-").split()).strip(" \"'\u201c\u201d")
    roman = _ROMAN.search(text)
    suffix = f" ({roman.group(1).upper()})" if roman else ""
    if roman:
        text = text[:roman.start()].rstrip()
    year = _YEAR_IN_NAME.search(text)
    stem = text[:year.start()] if year else text
    shouting = stem.isupper()
    stem = " ".join("/".join(_cased(part, shouting) for part in word.split("/"))
                    for word in re.split(r"[\s_]+", stem.strip(" -")) if word)
    if year:
        rest = text[year.end():].strip()
        stem = f"{stem}-{year.group(1)}" + (f" {rest}" if rest else "")
    return (stem + suffix).strip()


def _cased(word: str, shouting: bool) -> str:
    """Title case, keeping short acronyms ("SCO") unless the whole name is in capitals."""
    if word.isupper() and len(word) <= 4 and not shouting:
        return word
    return word[:1].upper() + word[1:].lower()


@dataclass(frozen=True)
class Document:
    """One article: its id (file stem or JSONL id), text and optional metadata."""

    id: str
    text: str
    published: date | None = None
    title: str = ""
    url: str = ""
    source: str = ""
    dateline: str = ""

    @property
    def content_hash(self) -> str:
        """SHA-1 of text, date and title; defined for any string, lone surrogates included."""
        payload = f"{self.text}\x00{self.published or ''}\x00{self.title}"
        return hashlib.sha1(payload.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Actor:
    """A participant: `id` is ISO3, an organisation acronym, or a group slug."""

    id: str
    name: str
    kind: str = "country"
    sector: str = ""
    mention: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind,
                "sector": self.sector, "mention": self.mention}

    @classmethod
    def from_dict(cls, d: dict) -> "Actor":
        return cls(d["id"], d.get("name", d["id"]), d.get("kind", "country"),
                   d.get("sector", ""), d.get("mention", ""))


@dataclass(frozen=True)
class Action:
    trigger: str
    text: str
    plover: str
    mode: str = ""
    cameo: str = ""
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"trigger": self.trigger, "text": self.text, "plover": self.plover,
                "mode": self.mode, "cameo": self.cameo, "tags": list(self.tags)}

    @classmethod
    def from_dict(cls, d: dict) -> "Action":
        return cls(d["trigger"], d.get("text", d["trigger"]), d["plover"], d.get("mode", ""),
                   d.get("cameo", ""), tuple(d.get("tags", ())))


@dataclass(frozen=True)
class TimeSpan:
    """A normalized time: ISO `start`/`end` (None when unresolved) and the raw `text`."""

    text: str | None
    start: str | None
    end: str | None
    granularity: str = "unknown"

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end,
                "granularity": self.granularity}

    @classmethod
    def from_dict(cls, d: dict) -> "TimeSpan":
        return cls(d.get("text"), d.get("start"), d.get("end"), d.get("granularity", "unknown"))


@dataclass(frozen=True)
class Location:
    id: str | None
    name: str
    text: str

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict | None) -> "Location | None":
        if not d:
            return None
        return cls(d.get("id"), d.get("name", ""), d.get("text", ""))


@dataclass(frozen=True)
class Event:
    """One event mention: the SPEC's event record."""

    doc_id: str
    sentence_index: int
    sentence: str
    span: tuple[int, int]
    actors: tuple[Actor, ...]
    targets: tuple[Actor, ...]
    action: Action
    time: TimeSpan
    location: Location | None = None
    status: str = "asserted"
    confidence: float = 0.5
    id: str = field(default="")
    name: str | None = None  # the happening's own name, normalised ("Joint Sea-2024")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", event_id(self))

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(sorted({a.id for a in self.actors}))

    @property
    def target_ids(self) -> tuple[str, ...]:
        return tuple(sorted({a.id for a in self.targets}))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "span": list(self.span),
            "actors": [a.to_dict() for a in self.actors],
            "targets": [a.to_dict() for a in self.targets],
            "action": self.action.to_dict(),
            "time": self.time.to_dict(),
            "location": self.location.to_dict() if self.location else None,
            "status": self.status,
            "confidence": self.confidence,
            "name": self.name,
        }

    def to_json(self) -> str:
        """The record as one JSON line (see `json_line`)."""
        return json_line(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        return cls(
            doc_id=d["doc_id"],
            sentence_index=int(d["sentence_index"]),
            sentence=d["sentence"],
            span=tuple(d["span"]),
            actors=tuple(Actor.from_dict(a) for a in d["actors"]),
            targets=tuple(Actor.from_dict(a) for a in d.get("targets", ())),
            action=Action.from_dict(d["action"]),
            time=TimeSpan.from_dict(d["time"]),
            location=Location.from_dict(d.get("location")),
            status=d.get("status", "asserted"),
            confidence=float(d.get("confidence", 0.5)),
            id=d.get("id", ""),
            name=d.get("name") or None,
        )


# Characters that `str.splitlines()` treats as line ends but JSON may leave raw inside a
# string. json.dumps already escapes U+0000-U+001F (so U+000B, U+000C and U+001C-U+001E);
# U+0085, U+2028 and U+2029 it writes as they are. Lone surrogates cannot be written as
# UTF-8 at all, so they are escaped too.
_LINE_SAFE = str.maketrans({code: f"\\u{code:04x}"
                            for code in (0x85, 0x2028, 0x2029, *range(0xD800, 0xE000))})


def json_line(value: object) -> str:
    """`value` as JSON text that is one line for every line splitter, and valid UTF-8.

    Non-ASCII letters stay as they are; every character `str.splitlines()` splits on is
    escaped, so a record never spans two lines.
    """
    return json.dumps(value, ensure_ascii=False).translate(_LINE_SAFE)


def event_id(event: Event, occurrence: str | None = None) -> str:
    """Stable hash of doc id, sentence index, type and participants (and, for an act a
    sentence reports several times over, "in 2019, 2020 and 2021", the occurrence's date)."""
    parts = [
        event.doc_id, str(event.sentence_index), event.action.plover, ",".join(event.action.tags),
        ",".join(event.actor_ids), ",".join(event.target_ids),
    ]
    key = "|".join(parts + ([occurrence] if occurrence else []))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
