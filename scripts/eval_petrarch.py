"""Score extraction against the UniversalPetrarch (PETRARCH-2) validation records.

The gold file is PETR2_GSR_validation.xml. It is not well-formed XML ('#' banner lines, HTML
comments, some <Sentence> tags self-closed and some not), so it is read with regular
expressions: each `<Sentence ... id=... date="YYYYMMDD" .../>` opens a record, which runs to
the next <Sentence> tag; inside it the `<EventCoding eventcode=.. sourcecode=.. targetcode=.. />`
tags are its gold events and `<Text>...</Text>` its sentence (`<Parse>` is ignored).

Scoring is the one of scripts/eval_plover.py, whose functions are reused: every gold coding
and every predicted event becomes (actor, target, PLOVER category) triples, and precision,
recall and F1 are over those triples, summed over sentences; the extra-event rate is the
number of predicted events matching no gold event of their sentence (same category, a shared
actor code) divided by the number of gold events.

Mapping the gold to that scheme:

- Event codes: CAMEO codes become PLOVER categories through CAMEO2PLOVER-2021.txt, by the
  longest code prefix the table lists ("0841" -> RETREAT). A code no prefix of which is listed
  (CAMEO 01 public statements, 02 appeals: PLOVER has no such category) is left out of the
  scoring and counted as "unmapped".
- Actor codes: CAMEO/Phoenix codes are reduced to the country: the first three letters when
  they are a country code ("USAGOV" -> USA, "PSEREBHMSGOV" -> PSE; old codes such as JAP are
  renamed as eval_plover does), "IGO..." -> IGO, "NGO..." -> NGO, other non-state prefixes
  ("IMG..." militarised groups, "MNC...") keep the three letters and cannot match ours.
  "---" codes have no identified actor: as a target that is no target ("-"); a coding with no
  identified source has no triple to score (as a PLOVER record without source actors) and is
  left out, counted as "without source".
- `<EventCoding noevents="True" />`: the sentence has no gold events; it stays in the scoring,
  so whatever we extract from it is extra.
- `evaluate="false"` records are not scored (the validation suite skips them too), nor are
  records whose <Text> is empty (one has its sentence only in <Parse>): there is nothing to
  extract from. A date that is not YYYYMMDD (one record has "121108") gives the document no
  publication date.

These records are held out: the script reports figures only, never per-sentence errors.

    python scripts/eval_petrarch.py [PATH_TO_PETR2_GSR_validation.xml] [--mapping PATH_TO_CAMEO2PLOVER]
"""
from __future__ import annotations

import argparse
import html
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _load_eval_plover():
    name = "eval_plover"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / "eval_plover.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


eval_plover = _load_eval_plover()

from extract.pipeline import Extractor  # noqa: E402
from extract.records import Document, Event  # noqa: E402

PEERS = ROOT.parent / "shared" / "eval" / "peers"
DEFAULT_GOLD = PEERS / "UniversalPetrarch" / "PETR2_GSR_validation.xml"
DEFAULT_MAPPING = PEERS / "PLOVER" / "CAMEO2PLOVER-2021.txt"
NO_TARGET = eval_plover.NO_TARGET
UNIDENTIFIED = "---"

_SENTENCE = re.compile(r"<Sentence\b([^>]*?)/?>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_CODING = re.compile(r"<EventCoding\b([^>]*?)/?>", re.S)
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MAPPING_LINE = re.compile(r"^\s*(\d+)\s*:\s*([A-Z_]+)")


@dataclass(frozen=True)
class Coding:
    eventcode: str
    source: str
    target: str


@dataclass
class Record:
    id: str
    text: str
    published: date | None
    codings: list[Coding] = field(default_factory=list)
    evaluate: bool = True


def _attributes(text: str) -> dict[str, str]:
    return {k.lower(): v for k, v in _ATTRIBUTE.findall(text)}


def _date(value: str) -> date | None:
    if not re.fullmatch(r"\d{8}", value or ""):
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def parse_gold(text: str) -> list[Record]:
    """All <Sentence> records of the file, in order (including evaluate="false" ones)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    body = _COMMENT.sub(" ", "\n".join(lines))
    records = []
    for match in _SENTENCE.finditer(body):
        attrs, content = _attributes(match.group(1)), match.group(2)
        text_match = _TEXT.search(content)
        sentence = " ".join(html.unescape(text_match.group(1)).split()) if text_match else ""
        codings = []
        for coding in _CODING.finditer(content):
            c = _attributes(coding.group(1))
            if "eventcode" in c:
                codings.append(Coding(c["eventcode"].strip(), c.get("sourcecode", "").strip(),
                                      c.get("targetcode", "").strip()))
        records.append(Record(attrs.get("id", f"record{len(records) + 1}"), sentence,
                              _date(attrs.get("date", "")), codings,
                              attrs.get("evaluate", "true").strip().lower() != "false"))
    return records


def scorable(records: list[Record]) -> list[Record]:
    """The records to score: those not marked evaluate="false" and with a text."""
    return [r for r in records if r.evaluate and r.text]


def load_gold(path: Path) -> list[Record]:
    return parse_gold(path.read_text(encoding="utf-8"))


def parse_mapping(text: str) -> dict[str, str]:
    """CAMEO code -> PLOVER category. A code listed twice keeps its first entry."""
    table: dict[str, str] = {}
    for line in text.splitlines():
        match = _MAPPING_LINE.match(line.split("#", 1)[0])
        if match:
            table.setdefault(match.group(1), match.group(2))
    return table


def load_mapping(path: Path) -> dict[str, str]:
    return parse_mapping(path.read_text(encoding="utf-8"))


def plover_category(eventcode: str, table: dict[str, str]) -> str | None:
    """The category of the longest listed prefix of the code, or None."""
    for end in range(len(eventcode), 0, -1):
        if eventcode[:end] in table:
            return table[eventcode[:end]]
    return None


def actor_code(code: str) -> str | None:
    """A CAMEO/Phoenix actor code reduced to the gold's country code system (its first three
    letters: the country, or IGO, NGO, IMG...), None when it names no identified actor ("---...")."""
    code = code.strip().upper()
    if not code or code.startswith(UNIDENTIFIED):
        return None
    return eval_plover.OLD_COUNTRY_CODES.get(code[:3], code[:3])


@dataclass(frozen=True)
class GoldEvents:
    """One record's scorable gold events and what was left out."""
    events: list[tuple[str, str, str]]
    unmapped: int
    without_source: int


def gold_events(record: Record, table: dict[str, str]) -> GoldEvents:
    events, unmapped, without_source = [], 0, 0
    for coding in record.codings:
        category = plover_category(coding.eventcode, table)
        if category is None:
            unmapped += 1
            continue
        source = actor_code(coding.source)
        if source is None:
            without_source += 1
            continue
        target = actor_code(coding.target) or NO_TARGET
        events.append((source, target if target != source else NO_TARGET, category))
    return GoldEvents(events, unmapped, without_source)


@dataclass(frozen=True)
class Result:
    score: object  # eval_plover.Score
    records: int
    codings: int
    unmapped: int
    without_source: int


def score(records: list[Record], predictions: dict[str, list[Event]], table: dict[str, str]) -> Result:
    tp = gold_n = pred_n = extra = pred_events = gold_event_n = 0
    unmapped = without_source = codings = 0
    for record in records:
        gold = gold_events(record, table)
        codings += len(record.codings)
        unmapped += gold.unmapped
        without_source += gold.without_source
        gold_set = set(gold.events)
        events = predictions.get(record.id, [])
        predicted = set().union(*(eval_plover.event_triples(e) for e in events)) if events else set()
        tp += len(gold_set & predicted)
        gold_n += len(gold_set)
        pred_n += len(predicted)
        gold_event_n += len(gold.events)
        pred_events += len(events)
        extra += sum(1 for e in events if not eval_plover._detects_gold_event(e, gold_set))
    result = eval_plover.Score(gold_event_n, pred_events, tp, gold_n, pred_n, extra)
    return Result(result, len(records), codings, unmapped, without_source)


def predict(records: list[Record], extractor: Extractor) -> dict[str, list[Event]]:
    docs = [Document(id=r.id, text=r.text, published=r.published) for r in records]
    return {doc.id: events for doc, events in extractor.extract(docs)}


def evaluate(gold: Path, mapping: Path, extractor: Extractor) -> Result:
    records = scorable(load_gold(gold))
    return score(records, predict(records, extractor), load_mapping(mapping))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--mapping", type=Path, default=DEFAULT_MAPPING,
                        help="CAMEO to PLOVER table (CAMEO2PLOVER-2021.txt)")
    args = parser.parse_args(argv)
    for path in (args.gold, args.mapping):
        if not path.exists():
            print(f"error: file not found: {path}", file=sys.stderr)
            return 2
    parsed = load_gold(args.gold)
    records = scorable(parsed)
    result = score(records, predict(records, Extractor()), load_mapping(args.mapping))
    s = result.score
    print(f"records {len(parsed)} parsed, {result.records} scored; gold codings {result.codings} "
          f"(left out: {result.unmapped} with no PLOVER category, {result.without_source} without source)")
    print(f"gold events {s.gold_events}, predicted events {s.predicted_events}")
    print(f"triples: gold {s.gold_triples}, predicted {s.predicted_triples}, matched {s.true_positives}")
    print(f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
          f"extra-event rate {s.extra_rate:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
