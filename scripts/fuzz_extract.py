"""Fuzz the reader and the extractor with hostile documents mixed with known-good ones.

    python scripts/fuzz_extract.py [--docs 5000] [--seed 11] [--good-every 5]

One seeded run writes every generated document to a JSONL file (plus a folder of
.txt/.csv/.html/.sgm files and raw byte lines that are not UTF-8), reads it all with
the real `DocumentReader` and extracts with the real `Extractor`. Hostile documents mix
random Unicode (lone surrogates, control, bidirectional and zero-width characters),
tokens of thousands of characters, coordinations of hundreds of actors, calendar-edge
and absurd dates, over-long ids and oversized texts with sentences that do hold events.
The documents the reader refuses by rule (dates outside 1800-2200) are then extracted
again directly, so time resolution also meets the ends of the calendar.

It reports, and exits non-zero unless all three are 0:
- tracebacks: exceptions out of the reader or the extractor (each traced to a document);
- lost good documents: a known-good document not read, or whose events differ from the
  same text extracted on its own;
- invalid records: events that do not match the SPEC's event record, or whose JSON line
  is not exactly one line of valid UTF-8 that reads back to the same record.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extract.reader import MAX_DOCUMENT_CHARS, read_documents  # noqa: E402
from extract.records import (ACTOR_KINDS, GRANULARITIES, MAX_DOCUMENT_ID_CHARS,  # noqa: E402
                             PLOVER_CATEGORIES, STATUSES, TAGS, Document, Event)

# Sentences that give at least one event on their own (checked at the start of each run).
GOOD_TEXTS = [
    "China and Russia held joint naval drills in the Sea of Japan on Sunday.",
    "Japan protested the exercise on Monday and summoned the Russian ambassador.",
    "India and France signed a defence agreement in New Delhi last week.",
    "The United States imposed sanctions on Iran on Tuesday.",
    "Xi Jinping met Vladimir Putin in Moscow in March 2023.",
    "North Korea fired two ballistic missiles into the sea, South Korea said.",
    "Turkey and Greece agreed to resume talks next month.",
    "Israel launched air strikes on Hamas positions in Gaza on Saturday.",
    "NATO foreign ministers met in Brussels on Wednesday.",
    "Brazil and Argentina held talks on trade on Thursday.",
]
ACTOR_NAMES = ["China", "Russia", "India", "Japan", "the United States", "France", "Iran", "Israel",
               "NATO", "the EU", "Beijing", "the Kremlin", "Hamas", "Brazil", "Turkey", "Pakistan"]
TRIGGERS = ["held joint drills", "attacked", "met", "signed an agreement with", "condemned",
            "imposed sanctions on", "threatened", "visited", "patrolled", "protested against"]
EDGE_DATES = ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31", "1799-12-31", "2201-01-01",
              "1800-01-01", "2200-12-31", "2025-02-30", "99999-01-01", "-0001-01-01", "2025-13-45",
              "Mon, 31 Dec 9999 23:59:59 +0000", "1 January 1", "yesterday", ""]
TIME_WORDS = ["last week", "next week", "three days ago", "in the coming weeks", "next year",
              "this weekend", "tomorrow", "yesterday", "next decade", "on Sunday", "in 9999",
              "since last year", "by next month", "in the 10000s"]
SPECIALS = (
    [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\x85", "\xa0"] + [chr(c) for c in range(0x80, 0xa0)]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]                    # zero-width
    + ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
       "\u2068", "\u2069"]                                                            # bidirectional
    + ["\u2028", "\u2029", "\ufffd", "\ufffe", "\uffff", "\U0010ffff", "\U0001f600", "\u0301"]
    + ["\ud800", "\udbff", "\udc00", "\udfff"]                                        # lone surrogates
    + list("\u0627\u0644\u0635\u064a\u0646 \u05e8\u05d5\u05e1\u05d9\u05d4")           # Arabic, Hebrew
)


@dataclass
class Report:
    generated: int = 0
    good: int = 0
    read: int = 0
    warnings: int = 0
    events: int = 0
    edge_documents: int = 0
    tracebacks: int = 0
    lost_good: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    signatures: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.tracebacks == 0 and not self.lost_good and not self.invalid

    def lines(self) -> list[str]:
        out = [f"documents generated: {self.generated} ({self.good} known-good, "
               f"{self.generated - self.good} hostile: "
               + ", ".join(f"{kind} {n}" for kind, n in sorted(self.kinds.items())) + ")",
               f"documents read: {self.read}; reader warnings: {self.warnings}",
               f"edge-dated documents extracted directly: {self.edge_documents}",
               f"events: {self.events}",
               f"tracebacks: {self.tracebacks}",
               f"lost good documents: {len(self.lost_good)}",
               f"invalid records: {len(self.invalid)}",
               f"time: {self.seconds:.1f} s"]
        out += [f"  traceback {count}x: {signature}" for signature, count in self.signatures.most_common(10)]
        out += [f"  lost: {doc_id}" for doc_id in self.lost_good[:10]]
        out += [f"  invalid: {problem}" for problem in self.invalid[:10]]
        return out


# --- generation ------------------------------------------------------------------------
def _noise(rng: random.Random, length: int) -> str:
    pieces = []
    while sum(map(len, pieces)) < length:
        roll = rng.random()
        if roll < 0.35:
            pieces.append(rng.choice(SPECIALS))
        elif roll < 0.55:
            pieces.append(chr(rng.randrange(0x20, 0x2FFF)))
        elif roll < 0.75:
            pieces.append(rng.choice(ACTOR_NAMES + TRIGGERS + TIME_WORDS))
        elif roll < 0.9:
            pieces.append(rng.choice([" ", "  ", "\n", "\n\n", ". ", ", ", " and "]))
        else:
            pieces.append(chr(rng.randrange(0x20, 0x110000)))
    return "".join(pieces)


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(ACTOR_NAMES)} and {rng.choice(ACTOR_NAMES)} {rng.choice(TRIGGERS)} "
            f"{rng.choice(ACTOR_NAMES)} {rng.choice(TIME_WORDS)}.")


def hostile(rng: random.Random, index: int) -> tuple[str, dict]:
    """One hostile record: its kind and the JSON object."""
    kind = rng.choice(["unicode", "unicode", "events-in-noise", "long-token", "coordination",
                       "edge-date", "edge-date", "bad-id", "bad-fields", "blank"])
    doc_id, published = f"h{index}", rng.choice(["2025-06-01", None, "2024-02-29"])
    if kind == "unicode":
        text = _noise(rng, rng.randrange(1, 600))
    elif kind == "events-in-noise":
        text = " ".join(_sentence(rng) if rng.random() < 0.5 else _noise(rng, 40) for _ in range(rng.randrange(2, 12)))
    elif kind == "long-token":
        token = rng.choice(["x", "\u0645", "\u200b", "China", "9"]) * rng.randrange(2_000, 30_000)
        text = f"China and Russia held joint drills {token} on Sunday. {token[:5000]}"
    elif kind == "coordination":
        names = [rng.choice(ACTOR_NAMES) for _ in range(rng.randrange(50, 1500))]
        text = ", ".join(names[:-1]) + f" and {names[-1]} {rng.choice(TRIGGERS)} {rng.choice(ACTOR_NAMES)}."
    elif kind == "edge-date":
        published = rng.choice(EDGE_DATES)
        text = " ".join(_sentence(rng) for _ in range(rng.randrange(1, 6)))
    elif kind == "bad-id":
        doc_id = rng.choice(["", " ", "x" * (MAX_DOCUMENT_ID_CHARS + rng.randrange(1, 5000)),
                             "\ud800id", "line\nbreak\u2028id", "\u202eevil", "0", "-"])
        text = _sentence(rng)
    elif kind == "bad-fields":
        return kind, {"id": doc_id, "text": _sentence(rng), "published": rng.choice([12, [], {}, True, 1.5]),
                      "title": rng.choice([None, 3, ["x"], "\ud800"]), "url": {"a": 1}, "source": 7}
    else:
        text = rng.choice(["", " ", "\n\n", "\u200b", "\x00"])
    record = {"id": doc_id, "text": text}
    if published is not None:
        record["published"] = published
    return kind, record


def write_inputs(folder: Path, docs: int, seed: int, good_every: int):
    """The JSONL file, a folder of other formats, and the known-good records."""
    rng = random.Random(seed)
    good: dict[str, str] = {}
    kinds: Counter = Counter()
    jsonl = folder / "fuzz.jsonl"
    with jsonl.open("wb") as out:
        for index in range(docs):
            if index % good_every == 0:
                text = GOOD_TEXTS[(index // good_every) % len(GOOD_TEXTS)]
                record = {"id": f"good-{index}", "text": text, "published": f"2025-{1 + index % 12:02d}-15"}
                good[record["id"]] = text
                out.write(json.dumps(record).encode() + b"\n")
                continue
            kind, record = hostile(rng, index)
            kinds[kind] += 1
            out.write(json.dumps(record).encode("utf-8") + b"\n")  # lone surrogates as \ud800 escapes
            if rng.random() < 0.02:
                kinds["raw-bytes"] += 1
                out.write(b'{"id": "raw-' + str(index).encode() + b'", "text": "caf\xe9 \xed\xa0\x80 \xff"}\n')
    others = folder / "others"
    others.mkdir()
    for index in range(max(1, docs // 100)):
        kinds["other-formats"] += 1
        text = _noise(rng, 300) + " " + _sentence(rng)
        kind = index % 4
        if kind == 0:
            (others / f"t{index}.txt").write_text(f"Published: {rng.choice(EDGE_DATES)}\n\n{text}",
                                                  encoding="utf-8", errors="surrogatepass")
        elif kind == 1:
            (others / f"c{index}.csv").write_text('id,text\n"c{0}","{1}"\n'.format(index, text.replace('"', "'")),
                                                  encoding="utf-8", errors="surrogatepass")
        elif kind == 2:
            (others / f"p{index}.html").write_text(f"<html><body><p>{text}</p><p>{_sentence(rng)}</p>",
                                                   encoding="utf-8", errors="surrogatepass")
        else:
            (others / f"r{index}.sgm").write_text(
                f'<REUTERS NEWID="{index}"><DATE>{rng.choice(["31-DEC-9999", "1-JAN-0001", "3-MAR-1987"])}'
                f"</DATE><TEXT><BODY>{text}</BODY></TEXT></REUTERS>", encoding="utf-8", errors="surrogatepass")
    if docs >= 1000:  # one document past the size limit
        kinds["oversized"] += 1
        (others / "oversized.txt").write_text("China and Russia held drills. " * (MAX_DOCUMENT_CHARS // 30 + 1))
    return [str(jsonl), str(others)], good, kinds


# --- checking ----------------------------------------------------------------------------
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def record_problems(event: Event, doc_ids: set[str]) -> list[str]:
    """How `event` departs from the SPEC's event record (empty when it is valid)."""
    line = event.to_json()
    out = []
    if line.splitlines() != [line]:
        out.append("JSON line splits")
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        out.append("JSON line is not valid UTF-8")
    record = json.loads(line)
    if record != json.loads(json.dumps(event.to_dict())):
        out.append("JSON line does not read back")
    expected = {"id", "doc_id", "sentence_index", "sentence", "span", "actors", "targets", "action",
                "time", "location", "status", "confidence", "name"}
    if set(record) != expected:
        return out + [f"fields {sorted(set(record) ^ expected)}"]
    if not (isinstance(record["id"], str) and re.fullmatch(r"[0-9a-f]{16}", record["id"])):
        out.append("id")
    if record["doc_id"] not in doc_ids:
        out.append("doc_id of no document read")
    if not isinstance(record["sentence_index"], int) or record["sentence_index"] < 0:
        out.append("sentence_index")
    if not isinstance(record["sentence"], str) or not record["sentence"].strip():
        out.append("sentence")
    span = record["span"]
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)
            and 0 <= span[0] <= span[1]):
        out.append("span")
    if not record["actors"]:
        out.append("no actors")
    for role in ("actors", "targets"):
        for actor in record[role]:
            if set(actor) != {"id", "name", "kind", "sector", "mention"} or actor["kind"] not in ACTOR_KINDS \
                    or not isinstance(actor["id"], str) or not actor["id"]:
                out.append(f"{role} entry {actor}")
    action = record["action"]
    if set(action) != {"trigger", "text", "plover", "mode", "cameo", "tags"} or action["plover"] not in \
            PLOVER_CATEGORIES or not set(action["tags"]) <= set(TAGS) or not isinstance(action["cameo"], str):
        out.append(f"action {action}")
    when = record["time"]
    if set(when) != {"text", "start", "end", "granularity"} or when["granularity"] not in GRANULARITIES:
        out.append(f"time {when}")
    for key in ("start", "end"):
        value = when.get(key)
        if value is not None and not (isinstance(value, str) and _ISO.fullmatch(value) and _valid_date(value)):
            out.append(f"time.{key} {value!r}")
    location = record["location"]
    if location is not None and set(location) != {"id", "name", "text"}:
        out.append(f"location {location}")
    if record["status"] not in STATUSES:
        out.append(f"status {record['status']}")
    if not isinstance(record["confidence"], (int, float)) or not 0 <= record["confidence"] <= 1:
        out.append("confidence")
    if record["name"] is not None and not isinstance(record["name"], str):
        out.append("name")
    return out


def _valid_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
        return True
    except ValueError:
        return False


def _signature(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    return f"{type(exc).__name__} at {where}"


def _fingerprint(events: list[Event]) -> list[tuple]:
    return sorted((e.sentence_index, e.action.plover, e.action.tags, e.actor_ids, e.target_ids, e.status)
                  for e in events)


def extract_each(extractor, documents: list[Document], report: Report):
    """(document, events) for every document; a failing batch is retried one document at a time."""
    try:
        return list(extractor.extract(documents))
    except Exception:  # noqa: BLE001 - the point is to count what escapes
        pairs = []
        for document in documents:
            try:
                pairs += list(extractor.extract([document]))
            except Exception as exc:  # noqa: BLE001
                report.tracebacks += 1
                report.signatures[_signature(exc)] += 1
        return pairs


def run_fuzz(docs: int = 5000, seed: int = 11, good_every: int = 5, extractor=None,
             batch: int = 64, edge_docs: int = 400) -> Report:
    from extract.pipeline import Extractor

    began = time.perf_counter()
    extractor = extractor or Extractor()
    baseline = {text: _fingerprint(extractor.extract_one(Document("baseline", text, date(2025, 6, 15))))
                for text in GOOD_TEXTS}
    report = Report()
    report.lost_good += [f"template gives no event: {t}" for t, fp in baseline.items() if not fp]
    with tempfile.TemporaryDirectory(prefix="eventkg-fuzz-") as tmp:
        paths, good, report.kinds = write_inputs(Path(tmp), docs, seed, good_every)
        report.generated = docs + report.kinds["raw-bytes"] + report.kinds["other-formats"] + report.kinds["oversized"]
        report.good = len(good)
        warnings: list[str] = []
        reader = read_documents(paths, None, warnings.append)
        read: list[Document] = []
        try:
            read = list(reader)
        except Exception as exc:  # noqa: BLE001
            report.tracebacks += 1
            report.signatures[f"reader: {_signature(exc)}"] += 1
        report.read, report.warnings = len(read), len(warnings)
        found: dict[str, list[Event]] = {}
        for start in range(0, len(read), batch):
            for document, events in extract_each(extractor, read[start:start + batch], report):
                found[document.id] = events
        _check(report, read, found, good, baseline)
        # The reader refuses dates outside 1800-2200; the extractor must still survive them.
        edge = [Document(f"edge-{i}-{d.id[:40]}", d.text[:5000], day) for i, d in enumerate(read[:edge_docs])
                for day in (date(1, 1, 1), date(9999, 12, 31))]
        report.edge_documents = len(edge)
        edge_found = {}
        for start in range(0, len(edge), batch):
            for document, events in extract_each(extractor, edge[start:start + batch], report):
                edge_found[document.id] = events
        _check(report, edge, edge_found, {}, baseline)
    report.seconds = time.perf_counter() - began
    return report


def _check(report: Report, documents: list[Document], found: dict[str, list[Event]],
           good: dict[str, str], baseline: dict[str, list]) -> None:
    doc_ids = {d.id for d in documents}
    for doc_id, text in good.items():
        if doc_id not in found or _fingerprint(found[doc_id]) != baseline[text]:
            report.lost_good.append(doc_id)
    for events in found.values():
        report.events += len(events)
        for event in events:
            problems = record_problems(event, doc_ids)
            if problems:
                report.invalid.append(f"{event.doc_id[:40]!r}#{event.sentence_index}: {'; '.join(problems)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000, help="generated JSONL records (default 5000)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--good-every", type=int, default=5, help="every Nth record is known-good")
    args = parser.parse_args()
    report = run_fuzz(args.docs, args.seed, args.good_every)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
