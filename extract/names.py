"""Names of happenings: a named exercise, operation, summit or treaty ("Joint Sea-2024",
"Vostok 2022", "the "Marine Security Belt" drill", "Operation Sindoor").

A name is a run of capitalised words ending in a year ("Peace Mission 2018",
"North/Interaction-2023", "Joint Sea-2015 (II)"), a quoted capitalised phrase next to an
event noun or after "called"/"named"/"dubbed", or "Operation" and its capitalised words.
Names are normalised by `records.normalise_name` (one spelling per name), so reports
compare as they come.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from .records import normalise_name

NAMEABLE_TAGS = frozenset({"exercise", "patrol", "meeting", "agreement", "treaty", "attack", "deployment"})
NOT_NAME_WORDS = frozenset({
    "in", "on", "at", "since", "by", "from", "for", "of", "the", "and", "or", "until", "during", "after",
    "before", "between", "to", "a", "an", "this", "that", "last", "next", "early", "late", "mid",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "spring", "summer", "autumn", "fall", "winter", "year", "fiscal", "q1", "q2", "q3", "q4",
})
_WORD = r"[A-Z][\w'.]*"
_YEAR_NAME = re.compile(
    rf"(?<![\w-])(?P<stem>{_WORD}(?:[ /-]{_WORD}){{0,4}})[ -](?P<year>(?:19|20)\d\d)"
    r"(?:\s*\((?P<ordinal>I{1,3}|IV|V|VI{1,3})\))?(?![\w-])")
_QUOTED = re.compile(r"[\"\u201c](?P<stem>[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,4})[\"\u201d]")
_OPERATION = re.compile(rf"(?<![\w-])Operation(?: {_WORD}){{1,3}}")
_NAMING_WORDS = frozenset({"called", "named", "dubbed", "codenamed", "code-named", "titled", "known"})
_EVENT_NOUNS = frozenset({"exercise", "exercises", "drill", "drills", "manoeuvres", "maneuvers",
                          "operation", "patrol", "summit", "games", "war", "wargames", "training"})


@dataclass(frozen=True)
class NameMention:
    start_char: int
    end_char: int
    name: str


def find_names(sent: Doc, taken: set[int] = frozenset()) -> list[NameMention]:
    """Names in a parsed sentence; `taken` holds token indices of actor mentions, which are
    never names ("Russia 2022" is not an exercise)."""
    text = sent.text
    found: list[NameMention] = []
    for match in _YEAR_NAME.finditer(text):
        words = [w for w in re.split(r"[ /-]", match.group("stem")) if w]
        while words and words[0].lower() in NOT_NAME_WORDS:
            words = words[1:]
        if not words or all(w.lower().strip(".") in NOT_NAME_WORDS for w in words):
            continue
        stem_start = match.start("stem") + match.group("stem").find(words[0])
        stem_start = _after_leading_actors(sent, stem_start, match.end("stem"), taken)
        if stem_start is None or _covers_actor(sent, stem_start, match.end("stem"), taken):
            continue
        raw = text[stem_start:match.end()]
        found.append(NameMention(stem_start, match.end(), normalise_name(raw)))
    for match in _QUOTED.finditer(text):
        before = text[max(0, match.start() - 20):match.start()].lower().split()
        after = text[match.end():match.end() + 30].lower().split()
        if (before and before[-1] in _NAMING_WORDS) or any(w.strip(".,;") in _EVENT_NOUNS for w in after[:3]):
            found.append(NameMention(match.start(), match.end(), normalise_name(match.group("stem"))))
    for match in _OPERATION.finditer(text):
        found.append(NameMention(match.start(), match.end(), normalise_name(match.group())))
    return _without_overlaps(found)


def _after_leading_actors(sent: Doc, start: int, end: int, taken: set[int]) -> int | None:
    """Where a name starts once the organisers before it are dropped ("SCO Peace Mission 2018")."""
    span = sent.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start
    tokens = list(span)
    while tokens and (tokens[0].i in taken or tokens[0].lower_ in ("'s", "’s")):
        tokens = tokens[1:]
    if not tokens:
        return None
    return max(start, tokens[0].idx - sent[0].idx)


def _covers_actor(sent: Doc, start: int, end: int, taken: set[int]) -> bool:
    span = sent.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.i in taken for t in span)


def _without_overlaps(found: list[NameMention]) -> list[NameMention]:
    kept: list[NameMention] = []
    for mention in sorted(found, key=lambda m: (m.start_char, -m.end_char)):
        if kept and mention.start_char < kept[-1].end_char:
            continue
        kept.append(mention)
    return kept


def nearest_name(names: list[NameMention], char: int) -> str | None:
    if not names:
        return None
    return min(names, key=lambda m: (min(abs(m.start_char - char), abs(m.end_char - char)), m.start_char)).name
