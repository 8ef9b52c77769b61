"""Plain-text articles: one per file, with an optional `Key: value` header block."""
from __future__ import annotations

import re
from typing import Iterator

from .draft import Draft, FormatContext

__all__ = ["read_txt", "split_header"]

_HEADER_KEYS = ("title", "published", "date", "url", "source")
_HEADER_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z_-]{0,24})[ \t]*:[ \t]*(?P<value>.*)")
_HEADER_MAX_LINES = 12


def read_txt(content: str, doc_id: str, where: str, ctx: FormatContext) -> Iterator[Draft]:
    """The article in `content` (newlines already normalised to "\\n")."""
    fields, body = split_header(content)
    if not body.strip():
        ctx.problem(f"{where}: header without article text, skipped")
        return
    date_text = fields.get("published") or fields.get("date")
    published = ctx.date_or_default(date_text, where, "unreadable date in header")
    yield Draft(doc_id, body, where, published, title=fields.get("title", ""),
                url=fields.get("url", ""), source=fields.get("source", ""))


def split_header(content: str) -> tuple[dict[str, str], str]:
    """Header fields (lower-case keys) and the body after the blank line that ends them.

    Top lines count as a header only when each is a `Key: value` line, at least one key
    is Title, Published, Date, URL or Source, and a blank line ends them; otherwise the
    whole content is the body. Other keys (Author, Tags) are tolerated and ignored.
    """
    fields: dict[str, str] = {}
    position = 0
    for _ in range(_HEADER_MAX_LINES + 1):
        newline = content.find("\n", position)
        if newline < 0:
            break
        line = content[position:newline].strip()
        if not line:
            if any(key in fields for key in _HEADER_KEYS):
                return fields, _strip_blank_lines(content[newline + 1:])
            break
        match = _HEADER_LINE.fullmatch(line) if len(line) < 2000 else None
        if match is None:
            break
        fields.setdefault(match.group("key").lower(), match.group("value").strip())
        position = newline + 1
    return {}, _strip_blank_lines(content)


def _strip_blank_lines(text: str) -> str:
    """Drop whole blank lines at the start (the body's first character stays put)."""
    while True:
        newline = text.find("\n")
        if newline < 0 or text[:newline].strip():
            return text
        text = text[newline + 1:]
