"""Reuters-21578 SGML (`.sgm`): one document per `<REUTERS>` element, dated by its `<DATE>`.

The id is `reuters-<NEWID>`. The text is the story's dateline followed by its body;
the body's hard-wrapped lines are joined, and each indented line starts a paragraph
(paragraphs are separated by a blank line). Character references (`&lt;`, `&#3;`) are
decoded and the control characters the wire used as markers are dropped. A story
without a body (a "brief") is its title.
"""
from __future__ import annotations

import html
import re
from datetime import date
from typing import Iterator

from .draft import Draft, FormatContext

__all__ = ["read_reuters"]

_STORY = re.compile(r"<REUTERS\b(?P<attributes>[^>]*)>(?P<body>.*?)</REUTERS>", re.S | re.I)
_ATTRIBUTE = re.compile(r'(?P<name>[A-Z]+)="(?P<value>[^"]*)"', re.I)
_DATE = re.compile(r"<DATE>\s*(?P<day>\d{1,2})-(?P<month>[A-Za-z]{3})-(?P<year>\d{4})", re.I)
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG = re.compile(r"<[^>]*>")
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$", re.I)


def read_reuters(content: str, stem: str, where: str, ctx: FormatContext) -> Iterator[Draft]:
    found = False
    for position, story in enumerate(_STORY.finditer(content), start=1):
        found = True
        attributes = {m.group("name").upper(): m.group("value")
                      for m in _ATTRIBUTE.finditer(story.group("attributes"))}
        newid = attributes.get("NEWID", "").strip()
        doc_id = f"reuters-{newid}" if newid else f"{stem}-{position}"
        draft = _story(story.group("body"), doc_id, f"{where} <REUTERS NEWID={newid or '?'}>", ctx)
        if draft is not None:
            yield draft
    if not found:
        ctx.problem(f"{where}: no <REUTERS> element, not Reuters-21578 SGML; skipped")


def _story(body: str, doc_id: str, where: str, ctx: FormatContext) -> Draft | None:
    title = _clean(_element(body, "TITLE"))
    dateline = " ".join(_clean(_element(body, "DATELINE")).split())
    text_element = _element(body, "TEXT")
    story = _element(text_element, "BODY")
    if not story and "<TITLE" not in text_element.upper():  # TYPE="UNPROC": the text itself
        story = text_element
    paragraphs = _paragraphs(_clean(_TAG.sub(" ", story)))
    if paragraphs and dateline:
        paragraphs[0] = f"{dateline} {paragraphs[0]}"
    text = "\n\n".join(paragraphs) or title
    if not text.strip():
        ctx.problem(f"{where}: story without title or text, skipped")
        return None
    return Draft(doc_id, text, where, _date(body, where, ctx), title=title, source="Reuters")


def _element(body: str, name: str) -> str:
    match = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", body, re.S | re.I)
    return match.group(1) if match else ""


def _clean(text: str) -> str:
    return _CONTROL.sub("", html.unescape(text))


def _paragraphs(body: str) -> list[str]:
    """Join wrapped lines; an indented line or a blank line starts a new paragraph."""
    paragraphs: list[list[str]] = []
    starts_new = True
    for line in body.split("\n"):
        if not line.strip():
            starts_new = True
            continue
        if starts_new or line[:1].isspace():
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
        starts_new = False
    joined = [" ".join(words) for words in paragraphs]
    if joined:
        last = _SIGN_OFF.sub("", joined[-1]).rstrip()
        joined[-1:] = [last] if last else []
    return joined


def _date(body: str, where: str, ctx: FormatContext) -> date | None:
    match = _DATE.search(body)
    if match:
        month = _MONTHS.get(match.group("month").lower())
        try:
            if month:
                return date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            pass
    ctx.problem(f"{where}: no readable <DATE>, using {ctx.published or 'none'}")
    return ctx.published
