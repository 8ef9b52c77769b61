"""Answers laid out for people: which columns a table shows at a given width, and the
evidence as a keyword-in-context window.

Pure functions over the rows of `graph.types`; the CLI hands the layout to rich. A table
has short columns that never wrap (ids, relation, counts, dates, status) and one last
column, `evidence`, that wraps: actor names, event names and event types go there,
beside the quoted sentence. When the console is too narrow for every short column, the
least needed ones move into the evidence cell (`name value`), or are left out when JSON
alone needs them (an event's id), so no id, count or date is ever broken across lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .types import CountRow, EventRow, HopRow, MentionRow, PairRow, event_type

__all__ = ["kwic", "Layout", "layout", "EVIDENCE"]

EVIDENCE = "evidence"
ELLIPSIS = "\u2026"
KWIC_WIDTH = 160  # characters of a long sentence kept around its trigger
MIN_EVIDENCE_WIDTH = 28
COLUMN_OVERHEAD = 3  # a column's padding and its border in rich's default box
OMITTED = 9  # the priority of a column left out (not moved) when it does not fit: JSON has it
_WORD = re.compile(r"\w+")


def _focus(sentence: str, action: str) -> tuple[int, int] | None:
    """Where in `sentence` the event's words (`action`, "carried out ... drills") are."""
    lowered = sentence.lower()
    parts = [p.strip() for p in re.split(r"\.\.\.|\u2026", action or "") if p.strip()]
    found = []
    cursor = 0
    for part in parts:
        at = lowered.find(part.lower(), cursor)
        if at < 0:
            at = lowered.find(part.lower())
        if at >= 0:
            found.append((at, at + len(part)))
            cursor = at + len(part)
    if not found:  # the action's first word, inflected ("drill" in "drills")
        words = _WORD.findall(action or "")
        if not words:
            return None
        stem = words[-1].lower()[:max(3, len(words[-1]) - 2)]
        match = re.search(r"\b" + re.escape(stem), lowered)
        if not match:
            return None
        end = re.match(r"\w*", sentence[match.end():]).end() + match.end()
        return match.start(), end
    start, end = min(a for a, _ in found), max(b for _, b in found)
    if end - start > KWIC_WIDTH * 2 // 3:
        return found[-1]  # a long discontinuous action: its last words hold the trigger
    return start, end


def kwic(sentence: str, action: str = "", width: int = KWIC_WIDTH) -> str:
    """`sentence` cut to about `width` characters around the event's words (`action`),
    at word boundaries, with `…` where text was cut. The words themselves are never cut."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= width:
        return sentence
    focus = _focus(sentence, action) or (0, 0)
    start, end = focus
    spare = max(0, width - (end - start))
    left = max(0, start - spare // 2)
    right = min(len(sentence), end + (spare - (start - left)))
    left = max(0, min(left, right - width)) if right - left < width else left
    if left > 0:  # move to a word boundary, never into the focus
        space = sentence.find(" ", left, start + 1)
        left = space + 1 if space >= 0 else left
    if right < len(sentence):
        space = sentence.rfind(" ", end, right)
        right = space if space >= 0 else right
    text = sentence[left:right].strip()
    return (ELLIPSIS if left > 0 else "") + text + (ELLIPSIS if right < len(sentence) else "")


# -- table layouts ------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """Short columns (name, cells) in order, and the evidence cell of each row."""

    columns: tuple[tuple[str, tuple[str, ...]], ...]
    evidence: tuple[str, ...]


def _join(values) -> str:
    return ", ".join(values)


def _named(ids, names: dict[str, str]) -> str:
    return _join(f"{i} {names[i]}" if names.get(i) and names[i] != i else i for i in ids)


def _pair_cells(row: PairRow, names: dict) -> tuple[list, str]:
    who = f"{row.name_a} {row.relation} {row.name_b}"
    lead = who + (f" \u00b7 {row.event_name}" if row.event_name else "")
    return ([("actors", f"{row.actor_a} {row.relation} {row.actor_b}", 0),
             ("events", str(row.events), 0), ("first", row.first or "", 1),
             ("last", row.last or "", 2), ("types", _join(row.types), 3)],
            f"{lead}: {kwic(row.evidence, row.action)}")


def _hop_cells(row: HopRow, names: dict) -> tuple[list, str]:
    who = f"{names.get(row.source, row.source)} \u2013 {names.get(row.target, row.target)}"
    return ([("path", str(row.path), 0), ("hop", str(row.hop), 0),
             ("actors", f"{row.source} \u2013 {row.target}", 0), ("date", row.date or "", 1),
             ("event", row.event_id, OMITTED)],
            f"{who}: {kwic(row.evidence, row.event)}")


def _event_cells(row: EventRow, names: dict) -> tuple[list, str]:
    who = _named(row.actors, names)
    if row.targets:
        who += f" \u2192 {_named(row.targets, names)}"
    lead = who + (f" \u00b7 {row.name}" if row.name else "")
    return ([("start", row.start or "", 0), ("type", event_type(row.plover, row.tags), 1),
             ("status", row.status, 2), ("mentions", str(row.mentions), 3),
             ("id", row.id, OMITTED)],
            f"{lead}: {kwic(row.evidence, row.label)}")


def _mention_cells(row: MentionRow, names: dict) -> tuple[list, str]:
    lead = f"{row.type}" + (f" \u00b7 {row.event_name}" if row.event_name else "")
    return ([("event", row.event_id, 2), ("start", row.start or "", 1),
             ("document", row.doc_id, 3), ("sentence", str(row.sentence_index), 0)],
            f"{lead}: {row.sentence}")


def _count_cells(row: CountRow, names: dict) -> tuple[list, None]:
    key = row.key
    if row.group == "actor" and names.get(key) and names[key] != key:
        key = f"{key} {names[key]}"
    return [("group", row.group, 0), ("key", key, 0), ("count", str(row.count), 0)], None


CELLS = {PairRow: _pair_cells, HopRow: _hop_cells, EventRow: _event_cells,
         MentionRow: _mention_cells, CountRow: _count_cells}


def actor_ids(rows) -> set[str]:
    """The actor ids a table of `rows` names (whose names it shows beside them)."""
    found: set[str] = set()
    for row in rows:
        if isinstance(row, HopRow):
            found.update((row.source, row.target))
        elif isinstance(row, EventRow):
            found.update(row.actors + row.targets)
        elif isinstance(row, CountRow) and row.group == "actor":
            found.add(row.key)
    return found


def layout(rows: list, width: int, names: dict[str, str] | None = None) -> Layout:
    """The columns that fit in `width` characters: short columns with their cells, the
    ones that do not fit (lowest priority first) moved into the evidence cell."""
    names = names or {}
    cells = [CELLS[type(row)](row, names) for row in rows]
    specs = cells[0][0] if cells else []
    columns = [(name, tuple(c[0][i][1] for c in cells), priority)
               for i, (name, _, priority) in enumerate(specs)]
    has_evidence = bool(cells) and cells[0][1] is not None
    budget = width - 4 - (MIN_EVIDENCE_WIDTH + COLUMN_OVERHEAD if has_evidence else 0)

    def needed(kept) -> int:
        return sum(max(len(name), *(len(v) for v in values)) + COLUMN_OVERHEAD
                   for name, values, _ in kept)

    kept = list(columns)
    moved: list[tuple[str, tuple[str, ...]]] = []
    while has_evidence and needed(kept) > budget and any(p > 0 for _, _, p in kept):
        drop = max((c for c in kept if c[2] > 0), key=lambda c: (c[2], columns.index(c)))
        kept.remove(drop)
        if drop[2] < OMITTED:
            moved.append((drop[0], drop[1]))
    order = [name for name, _, _ in columns]
    moved.sort(key=lambda c: order.index(c[0]))
    evidence = []
    for number, (_, text) in enumerate(cells):
        if text is None:
            continue
        extra = " \u00b7 ".join(f"{name}\u00a0{values[number]}" for name, values in moved if values[number])
        evidence.append(f"{extra}\n{text}" if extra else text)
    return Layout(tuple((name, values) for name, values, _ in kept), tuple(evidence))
