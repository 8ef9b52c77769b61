"""An analyst's corrections, applied to the graph store at the end of every build.

A corrections file is JSON (a list of rows, or `{"corrections": [rows]}`) or CSV (one row per
line, the same keys as columns; lists split on `;` or `,`). Each row has an `action`:

- `reject`: `event` is a merged event id (`eventkg events --format json`) or a mention id
  (`eventkg extract`, `eventkg explain`); its mentions leave the graph.
- `fix`: `event` as above, plus the fields to change: `plover`, `mode`, `cameo`, `tags`,
  `actors`, `targets`, `start`, `end`, `granularity`, `status`, `location`, `trigger`, `name`.
- `add`: a new event with its evidence: `doc_id` (a document of the graph), `sentence_index`,
  `sentence` (the evidence), `actors`, `plover`, and any field of `fix`.

`note` (optional) says why. The corrections work on mentions, the merge's input, so a fixed
or added event merges with the others as an extracted one would. Every mention a correction
touched carries `"correction": "fixed" | "added"` (and `correction_note`), which the merged
event shows as its `correction` property in exports and in Neo4j; rejected mentions are kept
aside. The table `corrections_applied` records what was changed, with the original mention,
so that the next build first puts the extraction back as it was and then applies the file
again: editing the file and rebuilding gives the graph of the new file.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import orjson

from extract.records import PLOVER_CATEGORIES, STATUSES, TAGS, GRANULARITIES

from . import store
from .errors import GraphError

ACTIONS = ("reject", "fix", "add")
LIST_FIELDS = ("actors", "targets", "tags")
TEXT_FIELDS = ("plover", "mode", "cameo", "start", "end", "granularity", "status", "location", "trigger", "name")
ADD_FIELDS = ("doc_id", "sentence_index", "sentence")
KNOWN = {"action", "event", "note", *LIST_FIELDS, *TEXT_FIELDS, *ADD_FIELDS}

APPLIED_TABLE = """CREATE TABLE IF NOT EXISTS corrections_applied (
    mention TEXT PRIMARY KEY, doc_id TEXT NOT NULL, doc_hash TEXT, original TEXT,
    action TEXT NOT NULL, row INTEGER NOT NULL, note TEXT NOT NULL, source TEXT NOT NULL)"""


class CorrectionsError(GraphError):
    """The corrections file cannot be read or has an invalid row."""


@dataclass(frozen=True)
class Correction:
    row: int  # 1-based: the row of the file (CSV: the line after the header)
    action: str
    event: str = ""
    fields: dict = field(default_factory=dict, hash=False)
    note: str = ""


@dataclass(frozen=True)
class CorrectionSummary:
    rejected: int = 0
    fixed: int = 0
    added: int = 0
    unresolved: int = 0

    def line(self, source: str) -> str:
        skipped = f", {self.unresolved} not applied" if self.unresolved else ""
        return (f"corrections from {source}: {self.rejected} rejected, {self.fixed} fixed, "
                f"{self.added} added{skipped}")


# -- reading ------------------------------------------------------------------------------
def load_corrections(path: Path | str) -> tuple[Correction, ...]:
    """The rows of a corrections file, checked; CorrectionsError names the file and row."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CorrectionsError(f"corrections file {path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionsError(f"cannot read corrections file {path}: {exc}") from None
    rows = _csv_rows(text) if path.suffix.lower() in (".csv", ".tsv") else _json_rows(text, path)
    return tuple(_checked(row, n, path) for n, row in enumerate(rows, start=1))


def _json_rows(text: str, path: Path) -> list:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorrectionsError(f"corrections file {path} is not JSON (line {exc.lineno}: {exc.msg}); "
                               "use a list of rows or a .csv file") from None
    if isinstance(data, dict) and isinstance(data.get("corrections"), list):
        data = data["corrections"]
    if not isinstance(data, list):
        raise CorrectionsError(f"corrections file {path}: expected a list of rows or {{\"corrections\": [...]}}")
    return data


def _csv_rows(text: str) -> list[dict]:
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    return [{k.strip(): v for k, v in row.items() if k and v not in (None, "")}
            for row in csv.DictReader(text.splitlines(), dialect=dialect)]


def _checked(row, n: int, path: Path) -> Correction:
    where = f"corrections file {path}: row {n}"
    if not isinstance(row, dict):
        raise CorrectionsError(f"{where}: expected an object with an \"action\"")
    action = str(row.get("action", "")).strip().lower()
    if action not in ACTIONS:
        raise CorrectionsError(f"{where}: action {row.get('action')!r} is not one of {', '.join(ACTIONS)}")
    unknown = sorted(set(row) - KNOWN)
    if unknown:
        raise CorrectionsError(f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(sorted(KNOWN))})")
    fields = {}
    for key in LIST_FIELDS:
        if key in row:
            fields[key] = _list(row[key], key, where)
    for key in TEXT_FIELDS:
        if key in row and row[key] is not None:
            fields[key] = str(row[key]).strip()
    _check_values(fields, where)
    event = str(row.get("event", "")).strip()
    if action in ("reject", "fix") and not event:
        raise CorrectionsError(f"{where}: {action} needs \"event\": a merged event id or a mention id")
    if action == "fix" and not fields:
        raise CorrectionsError(f"{where}: fix names no field to change")
    if action == "add":
        missing = [k for k in ("doc_id", "sentence", "actors", "plover") if not row.get(k)]
        if missing:
            raise CorrectionsError(f"{where}: add needs {', '.join(missing)}")
        try:
            fields["sentence_index"] = int(row.get("sentence_index", 0))
        except (TypeError, ValueError):
            raise CorrectionsError(f"{where}: sentence_index {row.get('sentence_index')!r} is not a number") from None
        fields["doc_id"], fields["sentence"] = str(row["doc_id"]), str(row["sentence"])
    return Correction(n, action, event, fields, str(row.get("note", "") or ""))


def _list(value, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [v for v in re.split(r"[;,\s]+", value) if v]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise CorrectionsError(f"{where}: {key} must be a list of ids (or one string split on ';')")


def _check_values(fields: dict, where: str) -> None:
    if "plover" in fields:
        fields["plover"] = fields["plover"].upper()
        if fields["plover"] not in PLOVER_CATEGORIES:
            raise CorrectionsError(f"{where}: unknown PLOVER category {fields['plover']!r}")
    for tag in fields.get("tags", ()):
        if tag not in TAGS:
            raise CorrectionsError(f"{where}: unknown tag {tag!r} (tags: {', '.join(TAGS)})")
    if "status" in fields and fields["status"] not in STATUSES:
        raise CorrectionsError(f"{where}: status {fields['status']!r} is not one of {', '.join(STATUSES)}")
    if "granularity" in fields and fields["granularity"] not in GRANULARITIES:
        raise CorrectionsError(f"{where}: granularity {fields['granularity']!r} is not one of {', '.join(GRANULARITIES)}")
    for key in ("start", "end"):
        if fields.get(key):
            try:
                date.fromisoformat(fields[key])
            except ValueError:
                raise CorrectionsError(f"{where}: {key} {fields[key]!r} is not a date YYYY-MM-DD") from None


# -- applying -----------------------------------------------------------------------------
def apply_corrections(db: sqlite3.Connection, corrections: tuple[Correction, ...], source: str,
                      on_problem: Callable[[str], None] = lambda _: None) -> CorrectionSummary:
    """Undo what the last corrections changed, then apply `corrections`; one transaction."""
    from .build import refresh_actors, remerge

    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(APPLIED_TABLE)
        blocks, actors = _restore(db)
        remerge(db, blocks)  # the extraction as it was: merged ids are the ones users saw
        counts = {"reject": 0, "fix": 0, "add": 0, "unresolved": 0}
        names = _ActorNames(db)
        for correction in corrections:
            done = _apply(db, correction, source, names, blocks, actors)
            if not done:
                counts["unresolved"] += 1
                on_problem(f"{source}: row {correction.row}: {_why_not(correction)}, not applied")
            else:
                counts[correction.action] += 1
        remerge(db, blocks)
        refresh_actors(db, actors)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return CorrectionSummary(counts["reject"], counts["fix"], counts["add"], counts["unresolved"])


def _why_not(correction: Correction) -> str:
    if correction.action == "add":
        return f"document {correction.fields['doc_id']!r} is not in the graph"
    return f"event {correction.event!r} is not in the graph"


def _restore(db: sqlite3.Connection) -> tuple[set[str], set[str]]:
    blocks: set[str] = set()
    actors: set[str] = set()
    hashes = dict(db.execute("SELECT id, content_hash FROM documents"))
    for mention_id, doc_id, doc_hash, original, action in db.execute(
            "SELECT mention, doc_id, doc_hash, original, action FROM corrections_applied ORDER BY row DESC").fetchall():
        current = db.execute("SELECT block FROM mentions WHERE id = ?", (mention_id,)).fetchone()
        if action == "add" or hashes.get(doc_id) == doc_hash:  # else re-extracted since: nothing to undo
            if current is not None:
                blocks.add(current[0])
                _delete_mention(db, mention_id, actors)
            if original is not None and hashes.get(doc_id) == doc_hash:
                _insert_mention(db, orjson.loads(original), blocks, actors)
    db.execute("DELETE FROM corrections_applied")
    return blocks, actors


def _apply(db, correction: Correction, source: str, names: "_ActorNames", blocks: set, actors: set) -> bool:
    if correction.action == "add":
        return _add(db, correction, source, names, blocks, actors)
    found = db.execute("SELECT id, doc_id, block, data FROM mentions WHERE id = ?", (correction.event,)).fetchall() \
        or db.execute("SELECT id, doc_id, block, data FROM mentions WHERE event = ? ORDER BY id",
                      (correction.event,)).fetchall()
    for mention_id, doc_id, block, data in found:
        _record(db, mention_id, doc_id, data, correction, source)
        blocks.add(block)
        _delete_mention(db, mention_id, actors)
        if correction.action == "fix":
            mention = _fixed(orjson.loads(data), correction, names)
            _insert_mention(db, mention, blocks, actors)
    return bool(found)


def _add(db, correction: Correction, source: str, names: "_ActorNames", blocks: set, actors: set) -> bool:
    f = correction.fields
    document = db.execute("SELECT published FROM documents WHERE id = ?", (f["doc_id"],)).fetchone()
    if document is None:
        return False
    key = orjson.dumps({"row": correction.fields, "note": correction.note}, option=orjson.OPT_SORT_KEYS)
    mention_id = "c" + hashlib.sha1(key).hexdigest()[:15]
    start = f.get("start") or document[0]
    mention = {
        "id": mention_id, "doc_id": f["doc_id"], "sentence_index": f["sentence_index"],
        "sentence": f["sentence"], "span": [0, len(f["sentence"])], "actors": [], "targets": [],
        "action": {"trigger": f.get("trigger") or f["plover"].lower(), "text": f.get("trigger") or "",
                   "plover": f["plover"], "mode": "", "cameo": "", "tags": []},
        "time": {"text": None, "start": start, "end": start, "granularity": "day" if start else "unknown"},
        "location": None, "status": "asserted", "confidence": 1.0, "name": None,
    }
    mention = _fixed(mention, correction, names, "added")
    _record(db, mention_id, f["doc_id"], None, correction, source)
    _insert_mention(db, mention, blocks, actors)
    return True


def _fixed(mention: dict, correction: Correction, names: "_ActorNames", mark: str = "fixed") -> dict:
    f = correction.fields
    out = dict(mention)
    action = dict(out["action"])
    for key in ("plover", "mode", "cameo", "trigger"):
        if key in f:
            action[key] = f[key]
    if "tags" in f:
        action["tags"] = sorted(set(f["tags"]))
    out["action"] = action
    for role in ("actors", "targets"):
        if role in f:
            out[role] = [names.actor(actor_id) for actor_id in dict.fromkeys(f[role])]
    if any(k in f for k in ("start", "end", "granularity")):
        time = dict(out.get("time") or {})
        time["start"] = f.get("start", time.get("start"))
        time["end"] = f.get("end", f.get("start", time.get("end")))
        time["granularity"] = f.get("granularity") or ("day" if time["start"] == time["end"] else "range")
        out["time"] = time
    if "location" in f:
        out["location"] = {"id": f["location"], "name": names.actor(f["location"])["name"], "text": ""} \
            if f["location"] else None
    if "status" in f:
        out["status"] = f["status"]
    if "name" in f:
        out["name"] = f["name"] or None
    out["correction"] = mark
    out["correction_note"] = correction.note
    return out


def _record(db, mention_id: str, doc_id: str, original: str | None, correction: Correction, source: str) -> None:
    doc_hash = db.execute("SELECT content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
    db.execute("INSERT OR IGNORE INTO corrections_applied VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (mention_id, doc_id, doc_hash[0] if doc_hash else None, original, correction.action,
                correction.row, correction.note, source))


def _delete_mention(db, mention_id: str, actors: set) -> None:
    actors.update(a for a, in db.execute("SELECT actor FROM mention_actors WHERE mention = ?", (mention_id,)))
    db.execute("DELETE FROM mention_actors WHERE mention = ?", (mention_id,))
    db.execute("DELETE FROM mentions WHERE id = ?", (mention_id,))


def _insert_mention(db, mention: dict, blocks: set, actors: set) -> None:
    block = store.block_id(mention)
    blocks.add(block)
    db.execute("INSERT OR REPLACE INTO mentions (id, doc_id, block, data) VALUES (?, ?, ?, ?)",
               (mention["id"], mention["doc_id"], block, orjson.dumps(mention).decode()))
    rows = store.mention_actor_rows(mention)
    db.executemany("INSERT OR IGNORE INTO mention_actors VALUES (?, ?, ?, ?)", rows)
    actors.update(row[0] for row in rows)


class _ActorNames:
    """Actor records for ids a correction names: the graph's name, else the built-in lexicon's."""

    def __init__(self, db) -> None:
        self.known = {a: (name, kind) for a, name, kind in db.execute("SELECT id, name, kind FROM actors")}
        self.lexicon = None

    def actor(self, actor_id: str) -> dict:
        if actor_id not in self.known:
            if self.lexicon is None:
                from extract.actors import default_lexicon

                self.lexicon = default_lexicon()
            found = self.lexicon.actor(actor_id)
            kind = found.kind if found else ("group" if actor_id.islower() else "country")
            self.known[actor_id] = (found.name if found else actor_id, kind)
        name, kind = self.known[actor_id]
        return {"id": actor_id, "name": name, "kind": kind, "sector": "", "mention": name}
