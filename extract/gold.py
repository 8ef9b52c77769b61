"""Gold events for evaluation, in the SPEC's gold format.

Three layouts are read:

- one JSON object per document (`gold.json`): `{"id", "path", "published", "events", "forbidden"}`,
  the article at `path` beside it;
- JSON lines (`gold.jsonl`), one such object per line, the articles in `--docs` (default: the
  `articles/` folder beside the gold), each found by its id as a `.txt` file;
- the pointer layout: `gold.jsonl` with a `selection.jsonl` beside it whose lines point into
  Wikipedia current-events Markdown pages (`{"id", "file", "line", "date", "split"}`); `--docs` is
  the folder of those pages and the item text is rebuilt from the bullet line.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .reader import read_documents
from .records import Document

SPLITS = ("dev", "test", "all")


class GoldError(ValueError):
    """A gold file or the documents it points to cannot be read."""


@dataclass(frozen=True)
class GoldEvent:
    actors: frozenset[str]
    targets: frozenset[str]
    plover: str
    status: str
    start: str | None
    end: str | None
    required: bool = True
    plover_also_ok: frozenset[str] = frozenset()
    status_also_ok: frozenset[str] = frozenset()
    targets_optional: bool = False
    actors_optional: frozenset[str] = frozenset()
    actors_also_ok: tuple[frozenset[str], ...] = ()
    key: str = ""
    evidence: str = ""
    also_mentioned_by: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict) -> "GoldEvent":
        return cls(
            actors=frozenset(d.get("actors") or ()), targets=frozenset(d.get("targets") or ()),
            plover=d.get("plover") or "", status=d.get("status") or "asserted",
            start=_date_text(d.get("start")), end=_date_text(d.get("end")),
            required=d.get("required", True) is not False,
            plover_also_ok=frozenset(d.get("plover_also_ok") or ()),
            status_also_ok=frozenset(d.get("status_also_ok") or ()),
            targets_optional=bool(d.get("targets_optional")),
            actors_optional=frozenset(d.get("actors_optional") or ()),
            actors_also_ok=tuple(frozenset(a) for a in d.get("actors_also_ok") or ()),
            key=d.get("key") or "", evidence=d.get("evidence") or "",
            also_mentioned_by=tuple(d.get("also_mentioned_by") or ()),
        )


@dataclass(frozen=True)
class GoldDocument:
    document: Document
    events: tuple[GoldEvent, ...]
    split: str = "dev"
    forbidden: tuple[str, ...] = field(default=())


def _date_text(value) -> str | None:
    return str(value) if value not in (None, "") else None


def load_gold(path: Path, docs: Path | None = None, split: str = "all") -> list[GoldDocument]:
    """Gold documents of `path` (a gold file or a folder holding one), keeping `split`."""
    if split not in SPLITS:
        raise GoldError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")
    path = Path(path)
    if path.is_dir():
        found = [p for p in (path / "gold.jsonl", path / "gold.json") if p.exists()]
        if not found:
            raise GoldError(f"{path} holds no gold.jsonl or gold.json")
        path = found[0]
    if not path.exists():
        raise GoldError(f"gold file {path} does not exist")
    rows = _rows(path)
    selection = path.with_name("selection.jsonl")
    if selection.exists():
        if docs is None:
            raise GoldError(f"{path} points into Wikipedia current-events pages: pass their folder with --docs")
        out = _pointer_documents(rows, selection, Path(docs))
    else:
        out = _article_documents(rows, path, docs)
    return [g for g in out if split == "all" or g.split == split]


def _rows(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read gold file {path}: {exc}") from None
    try:
        if path.suffix == ".jsonl":
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            rows = data if isinstance(data, list) else [data]
    except json.JSONDecodeError as exc:
        raise GoldError(f"gold file {path} is not valid JSON: {exc}") from None
    if not all(isinstance(r, dict) and isinstance(r.get("events"), list) and r.get("id") for r in rows):
        raise GoldError(f"gold file {path}: every entry needs an 'id' and an 'events' list")
    return rows


def _events(row: dict) -> tuple[GoldEvent, ...]:
    return tuple(GoldEvent.from_dict(e) for e in row["events"] if isinstance(e, dict))


def _article_documents(rows: list[dict], path: Path, docs: Path | None) -> list[GoldDocument]:
    folder = Path(docs) if docs is not None else path.parent / "articles"
    out = []
    for row in rows:
        candidates = [path.parent / row["path"]] if row.get("path") else []
        candidates += [folder / f"{row['id']}.txt", folder / row["id"]]
        article = next((c for c in candidates if c.is_file()), None)
        if article is None:
            raise GoldError(f"no article for gold document {row['id']!r} (looked in {folder})")
        published = date.fromisoformat(row["published"]) if row.get("published") else None
        read = list(read_documents([str(article)], published))
        if not read:
            raise GoldError(f"article {article} could not be read")
        document = read[0]
        if document.id != row["id"]:
            document = Document(row["id"], document.text, document.published or published, document.title,
                                document.url, document.source, document.dateline)
        out.append(GoldDocument(document, _events(row), row.get("split", "dev"),
                                tuple(row.get("forbidden") or ())))
    return out


# -- the pointer layout: items of the Wikipedia current-events pages -------------------------
CITATION = re.compile(r"\s*\[\(\*?[^\]]*\]\(https?://[^)\s]*\)")
LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s\"]|\([^)\s]*\))*(?:\s+\"[^\"]*\")?\)")
BULLET = re.compile(r"^\s*[*+-]\s+")


def wikipedia_item_text(line: str) -> str:
    """The plain text of one bullet of a current-events page: citations dropped, links unwrapped."""
    text = BULLET.sub("", line)
    text = CITATION.sub("", text)
    text = LINK.sub(lambda m: m.group(1), text)
    text = " ".join(text.split())
    text = re.sub(r"\s+([.])$", r"\1", text)
    return re.sub(r"\.\.$", ".", text)


def _pointer_documents(rows: list[dict], selection: Path, docs: Path) -> list[GoldDocument]:
    pointers = {p["id"]: p for p in _rows_plain(selection)}
    pages: dict[str, list[str]] = {}
    out = []
    for row in rows:
        pointer = pointers.get(row["id"])
        if pointer is None:
            raise GoldError(f"{selection} has no pointer for gold item {row['id']!r}")
        name = pointer["file"]
        if name not in pages:
            try:
                pages[name] = (docs / name).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise GoldError(f"cannot read page {docs / name}: {exc.strerror}") from None
        lines = pages[name]
        if not 1 <= int(pointer["line"]) <= len(lines):
            raise GoldError(f"{name} has no line {pointer['line']}")
        text = wikipedia_item_text(lines[int(pointer["line"]) - 1])
        document = Document(row["id"], text, date.fromisoformat(pointer["date"]))
        out.append(GoldDocument(document, _events(row), pointer.get("split", "dev")))
    return out


def _rows_plain(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"cannot read {path}: {exc}") from None
