"""HTML pages: the article's main text, title and date through trafilatura (offline).

Navigation, footers and comments are left out. Each block of the extracted text becomes
a paragraph (blocks are joined by a blank line), and a first block that only repeats the
title is dropped, so a page reads like the same article saved as `.txt`.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterator

from .dates import EARLIEST_PUBLISHED, LATEST_PUBLISHED, parse_date
from .draft import Draft, FormatContext

__all__ = ["read_html"]


def read_html(content: str, doc_id: str, where: str, ctx: FormatContext) -> Iterator[Draft]:
    page = _extract(content)
    if page is None or not (page.text or "").strip():
        ctx.problem(f"{where}: no article text found in the page, skipped")
        return
    title = " ".join((page.title or "").split())
    text = _paragraphs(page.text, title)
    if not text:
        ctx.problem(f"{where}: no article text found in the page, skipped")
        return
    published = ctx.published
    if page.date:
        published = parse_date(page.date) or ctx.published
    yield Draft(doc_id, text, where, published, title=title, url=page.url or "",
                source=page.sitename or "")


def _paragraphs(text: str, title: str) -> str:
    blocks = [" ".join(line.split()) for line in text.split("\n")]
    blocks = [block for block in blocks if block]
    if blocks and title and blocks[0] == title:
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def _extract(content: str):
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            content, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, favor_recall=True, config=_config(),
            date_extraction_params=_DATE_PARAMS)
    except (ValueError, TypeError, RecursionError):
        return None


_DATE_PARAMS = {
    "extensive_search": False,  # only the page's own metadata, never a date guessed from text
    "original_date": True,      # publication, not last modification
    "min_date": EARLIEST_PUBLISHED.isoformat(),
    "max_date": LATEST_PUBLISHED.isoformat(),
}


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import use_config

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # problems are ours to report
    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal handlers: safe in any thread
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")   # short wire items are articles too
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    return config


