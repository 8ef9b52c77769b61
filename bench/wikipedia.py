"""Dated news items from the Wikipedia current-events pages (Markdown, one file a day)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from extract.records import Document

LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
SOURCE = re.compile(r"\s*\[\([^\]]*\)\]\([^)]*\)")
HEADING = re.compile(r"^#+\s+(.*?)\s*$")


@dataclass(frozen=True)
class WikiItem:
    day: date
    heading: str
    text: str

    def document(self, index: int) -> Document:
        return Document(id=f"wiki-{self.day.isoformat()}-{index}", text=self.text, published=self.day)


def _plain(line: str) -> str:
    line = SOURCE.sub("", line)
    line = LINK.sub(lambda m: m.group(1), line)
    return " ".join(line.lstrip("* ").split())


def load_items(folder: Path, headings: set[str] | None = None) -> list[WikiItem]:
    """Every news item (a bullet that cites its source), optionally only under some headings."""
    items: list[WikiItem] = []
    for path in sorted(folder.glob("*-index.md")):
        day = date.fromisoformat(path.name[:10])
        heading = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            found = HEADING.match(line)
            if found:
                heading = found.group(1)
                continue
            if line.lstrip().startswith("*") and "[(" in line:
                if headings is None or heading in headings:
                    text = _plain(line)
                    if text:
                        items.append(WikiItem(day, heading, text))
    return items
