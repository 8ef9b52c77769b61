"""A rich table of event records, for `eventkg extract --format table`."""
from __future__ import annotations

from typing import Sequence

from rich.console import Console
from rich.table import Table

from .records import Event


def _ids(actors) -> str:
    return ", ".join(a.id for a in actors)


def print_events(events: Sequence[Event], console: Console | None = None) -> None:
    table = Table(show_lines=False)
    for column in ("doc", "#", "actors", "action", "targets", "when", "where", "status"):
        table.add_column(column, overflow="fold", min_width=len(column) + 1)
    table.add_column("evidence", overflow="fold", max_width=60)
    for e in events:
        when = e.time.start or e.time.text or ""
        if e.time.end and e.time.end != e.time.start:
            when = f"{e.time.start}..{e.time.end}"
        action = f"{e.action.plover}/{'+'.join(e.action.tags) or '-'} ({e.action.trigger})"
        where = (e.location.id or e.location.name) if e.location else ""
        table.add_row(e.doc_id, str(e.sentence_index), _ids(e.actors), action, _ids(e.targets), when,
                      where, e.status, e.sentence if len(e.sentence) <= 120 else e.sentence[:119] + "…")
    (console or Console()).print(table)
