"""JSON lines: one article per line, `{"id", "text", "published", "title", "url", "source"}`."""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from .draft import Draft, FormatContext

__all__ = ["read_jsonl"]


def read_jsonl(lines: Iterable[str | bytes], name: str, ctx: FormatContext,
               encoding: str = "utf-8") -> Iterator[Draft]:
    """A draft per record; a bad line is named (`name:line`) and skipped."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode(_first_line_codec(encoding) if number == 1 else encoding)
            except UnicodeDecodeError:
                ctx.problem(f"{name}:{number}: not {_label(encoding)} text, line skipped")
                continue
        if not line.strip():
            continue
        draft = _from_record(line, f"{name}:{number}", ctx)
        if draft is not None:
            yield draft


def _from_record(line: str, where: str, ctx: FormatContext) -> Draft | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        ctx.problem(f"{where}: malformed JSON ({exc.msg}), line skipped")
        return None
    except RecursionError:
        ctx.problem(f"{where}: JSON nested too deeply, line skipped")
        return None
    if not isinstance(record, dict):
        ctx.problem(f"{where}: expected a JSON object, line skipped")
        return None
    doc_id, text = record.get("id"), record.get("text")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        ctx.problem(f"{where}: record without an \"id\" string, skipped")
        return None
    if not isinstance(text, str) or not text.strip():
        ctx.problem(f"{where}: record {_short_id(doc_id)!r} without \"text\", skipped")
        return None
    published = ctx.date_or_default(record.get("published"), where,
                                    f"invalid published date in record {_short_id(doc_id)!r}:")
    return Draft(doc_id.strip(), text, where, published, title=_string(record.get("title")),
                 url=_string(record.get("url")), source=_string(record.get("source")))


def _first_line_codec(encoding: str) -> str:
    return "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding


def _label(encoding: str) -> str:
    return "UTF-8" if encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig") else encoding


def _short_id(doc_id: str) -> str:
    return doc_id if len(doc_id) <= 60 else doc_id[:57] + "..."


def _string(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
