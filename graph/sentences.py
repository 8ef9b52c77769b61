"""What a graph file keeps of one document's sentences: its date and its mentions (for
`eventkg explain DOC:SENTENCE_INDEX`)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson

from . import store
from .errors import GraphError


class UnknownDocument(GraphError):
    """The graph holds no document of that id."""


def document_mentions(graph_path: Path, doc_id: str) -> tuple[date | None, list[tuple[dict, str]]]:
    """The document's publication date and its mentions, each with the merged event it is in."""
    db = store.connect(graph_path)
    try:
        with store.damage_reported(graph_path):
            row = db.execute("SELECT published FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise UnknownDocument(f"document {doc_id!r} is not in the graph {graph_path}")
            held = [(orjson.loads(data), event or "") for data, event in db.execute(
                "SELECT data, event FROM mentions WHERE doc_id = ? ORDER BY id", (doc_id,))]
    finally:
        db.close()
    try:
        published = date.fromisoformat(row[0]) if row[0] else None
    except ValueError:
        published = None
    return published, held
