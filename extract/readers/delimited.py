"""CSV and TSV files: one article per row, columns named by the options.

The text column is required. A missing or empty id becomes `<file stem>-<row>`; the
date and title columns are optional, and `url`/`source` columns are read when present.
"""
from __future__ import annotations

import csv
import io
from typing import Iterator

from .draft import Draft, FormatContext

__all__ = ["read_delimited"]


def read_delimited(content: str, stem: str, where: str, ctx: FormatContext,
                   delimiter: str = ",", field_limit: int = 10_000_000) -> Iterator[Draft]:
    csv.field_size_limit(max(csv.field_size_limit(), field_limit))
    rows = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        columns = rows.fieldnames or []
    except csv.Error as exc:
        ctx.problem(f"{where}: unreadable header row ({exc}), skipped")
        return
    if ctx.text_column not in columns:
        shown = ", ".join(repr(c) for c in columns[:12]) or "none"
        ctx.problem(f"{where}: no {ctx.text_column!r} column (columns: {shown}); "
                    f"name the text column with --text-column, file skipped")
        return
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            ctx.problem(f"{where}:{rows.line_num}: unreadable row ({exc}), rest of the file skipped")
            return
        number += 1
        draft = _from_row(row, number, f"{where}:{rows.line_num}", stem, ctx)
        if draft is not None:
            yield draft


def _from_row(row: dict, number: int, where: str, stem: str, ctx: FormatContext) -> Draft | None:
    text = _cell(row, ctx.text_column)
    doc_id = _cell(row, ctx.id_column).strip() or f"{stem}-{number}"
    if not text.strip():
        ctx.problem(f"{where}: row {doc_id!r} without text, skipped")
        return None
    published = ctx.date_or_default(_cell(row, ctx.date_column), where,
                                    f"invalid date in row {doc_id!r}:")
    return Draft(doc_id, text.replace("\r\n", "\n").replace("\r", "\n"), where, published,
                 title=_cell(row, ctx.title_column).strip(), url=_cell(row, "url").strip(),
                 source=_cell(row, "source").strip())


def _cell(row: dict, column: str) -> str:
    value = row.get(column)
    return value if isinstance(value, str) else ""
