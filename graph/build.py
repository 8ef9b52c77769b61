"""Incremental build: read documents, extract the new or changed ones, merge, save."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from extract.records import Document, Event

from .errors import BuildError
from .model import EventGraph, build_graph
from .store import load, locked, save


@dataclass(frozen=True)
class BuildSummary:
    documents_read: int
    added: int
    updated: int
    skipped: int
    problems: int
    events: int
    mentions: int
    bytes_written: int

    def line(self, path: Path | str) -> str:
        return (f"{self.documents_read} documents read: {self.added} added, {self.updated} "
                f"updated, {self.skipped} unchanged, {self.problems} problems; {path} holds "
                f"{self.events} events from {self.mentions} mentions")


def document_record(document: Document) -> dict:
    return {"id": document.id, "title": document.title, "url": document.url,
            "source": document.source,
            "published": document.published.isoformat() if document.published else None,
            "content_hash": document.content_hash}


def apply_documents(g: EventGraph, extracted: Iterable[tuple[Document, list[Event]]]) -> EventGraph:
    """A new graph with each document's mentions replaced by the freshly extracted ones."""
    documents = dict(g.documents)
    by_doc: dict[str, list[dict]] = {}
    for mention in g.mentions.values():
        by_doc.setdefault(mention["doc_id"], []).append(mention)
    for document, found in extracted:
        documents[document.id] = document_record(document)
        by_doc[document.id] = [event.to_dict() for event in found]
    return build_graph(documents, (m for ms in by_doc.values() for m in ms))


def is_current(g: EventGraph, document: Document) -> bool:
    known = g.documents.get(document.id)
    return known is not None and known.get("content_hash") == document.content_hash


def build(paths: Sequence[str], graph_path: Path | str, *, published: date | None = None,
          processes: int = 1, model: str | None = None,
          on_problem: Callable[[str], None] = lambda _: None,
          on_document: Callable[[Document], None] = lambda _: None,
          reader_options: dict | None = None, dask: str | None = None) -> BuildSummary:
    """Add the documents under `paths` to the graph file, skipping unchanged ones.

    The file is replaced once, at the end, so an interrupted build leaves it as it was.
    `reader_options` go to `extract.reader.read_documents`; `dask` is a Dask scheduler
    address (or local:N) to extract on instead of local processes.
    """
    from extract.pipeline import extract_documents
    from extract.reader import read_documents

    graph_path = Path(graph_path)
    with locked(graph_path, on_wait=on_problem):
        g = load(graph_path) if graph_path.exists() else EventGraph()
        reader = read_documents(paths, published, on_problem, **(reader_options or {}))
        counts = {"added": 0, "updated": 0, "skipped": 0}

        def changed() -> Iterator[Document]:
            for document in reader:
                on_document(document)
                if is_current(g, document):
                    counts["skipped"] += 1
                    continue
                counts["updated" if document.id in g.documents else "added"] += 1
                yield document

        if dask:
            from extract.distributed import extract_documents_dask

            extracted = list(extract_documents_dask(changed(), dask, model=model))
        else:
            extracted = list(extract_documents(changed(), model=model, processes=processes))
        if reader.documents_read == 0:
            raise BuildError("no document could be read")
        written = 0
        updated = g
        if extracted or not graph_path.exists():
            updated = apply_documents(g, extracted)
            written = save(updated, graph_path)
    return BuildSummary(reader.documents_read, counts["added"], counts["updated"],
                        counts["skipped"], reader.problems, len(updated.events),
                        updated.mention_count, written)
