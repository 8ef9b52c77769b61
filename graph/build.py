"""Incremental build: read documents, extract the new or changed ones, write them to the
store batch by batch and re-merge the blocks their mentions touch.

Each batch of documents is one SQLite transaction (`BEGIN IMMEDIATE`): its documents and
mentions replace what the store held for those documents, and every block (see
`graph.store.block_id`) that an old or new mention of them belongs to is merged again
from all of its mentions, its events replacing the block's old ones. A killed build
therefore keeps every batch it committed and nothing of the one it was writing, and two
builds on one file take turns batch by batch. Since events never span blocks and each
block is merged from its full mention set, the store ends up with the graph a build from
scratch gives, whatever the order and split of the documents.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import orjson

from extract.records import Document, Event

from . import store
from .corrections import apply_corrections, load_corrections
from .errors import BuildError, BuildInterrupted, GraphFileError
from .model import EventGraph, build_graph, collector_paused, merge_events

BATCH_DOCUMENTS = 200
BATCH_MENTIONS = 50_000
BATCH_SECONDS = 30.0
REMERGE_CHUNK = 100_000  # mentions decoded and merged at once, whole blocks at a time


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
    graph: str = ""
    corrections: str = ""  # what the corrections file changed, when one was given

    def line(self, path: Path | str | None = None) -> str:
        corrected = f"; {self.corrections}" if self.corrections else ""
        return (f"{self.documents_read} documents read: {self.added} added, {self.updated} "
                f"updated, {self.skipped} unchanged, {self.problems} problems; "
                f"{self.graph or path} holds {self.events} events from {self.mentions} mentions"
                f"{corrected}")


def document_record(document: Document) -> dict:
    return {"id": document.id, "title": document.title, "url": document.url,
            "source": document.source,
            "published": document.published.isoformat() if document.published else None,
            "content_hash": document.content_hash}


def apply_documents(g: EventGraph, extracted: Iterable[tuple[Document, list[Event]]]) -> EventGraph:
    """A new in-memory graph with each document's mentions replaced by the extracted ones."""
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


class GraphWriter:
    """Writes batches of (document record, mention dicts) into a graph database.

    The database is created on the first write (atomically: an empty database appears
    under its name only once complete, and never replaces one that another build made)."""

    def __init__(self, path: Path | str) -> None:
        self.path = store.real_target(Path(path))
        self.db: sqlite3.Connection | None = None
        self.wrote = False
        store.remove_orphans(self.path)  # what a build killed while creating the file left
        if self.path.exists():
            store.check_writable(self.path, "graph file")
            self.db = store.connect(self.path, write=True)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def __enter__(self) -> "GraphWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def content_hash(self, doc_id: str) -> str | None:
        if self.db is None:
            return None
        with store.damage_reported(self.path):
            row = self.db.execute("SELECT content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def _open(self) -> sqlite3.Connection:
        if self.db is None:
            store.check_writable(self.path, "graph file")
            store.remove_orphans(self.path)
            folder = self.path.parent if str(self.path.parent) else Path(".")
            temporary = folder / f".{self.path.name}.{os.getpid()}.new{store.TEMPORARY_MARK}"
            try:
                temporary.unlink(missing_ok=True)
                store.create(temporary).close()
                try:
                    os.link(temporary, self.path)  # fails when another build created it meanwhile
                except FileExistsError:
                    pass
            except (OSError, sqlite3.Error) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else str(exc)
                raise GraphFileError(f"cannot create graph file {self.path}: {reason}") from None
            finally:
                for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
                    leftover.unlink(missing_ok=True)
            self.db = store.connect(self.path, write=True)
        return self.db

    def add(self, record: dict, mentions: list[dict]) -> None:
        """Replace one document and its mentions inside the open batch (opening one)."""
        db = self._open()
        with store.damage_reported(self.path), collector_paused():
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
                self.blocks, self.actors = set(), set()
                self.pending_documents = self.pending_mentions = 0
                self.started = time.monotonic()
            self._replace_document(db, record, mentions, self.blocks, self.actors)
        self.pending_documents += 1
        self.pending_mentions += len(mentions)

    def due(self, documents: int, mentions: int, seconds: float) -> bool:
        """Whether the open batch has reached one of its limits."""
        if self.db is None or not self.db.in_transaction:
            return False
        return (self.pending_documents >= documents or self.pending_mentions >= mentions
                or time.monotonic() - self.started >= seconds)

    def commit(self) -> None:
        """Re-merge what the open batch touched and commit it as one transaction."""
        db = self.db
        if db is None or not db.in_transaction:
            return
        with store.damage_reported(self.path), collector_paused():
            remerge(db, self.blocks)
            refresh_actors(db, self.actors)
            db.execute("COMMIT")
        self.wrote = True

    def rollback(self) -> None:
        if self.db is not None and self.db.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def write_batch(self, batch: Iterable[tuple[dict, list[dict]]]) -> None:
        """One transaction: replace the batch's documents and re-merge what they touch."""
        try:
            for record, mentions in batch:
                self.add(record, mentions)
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def write_all(self, items: Iterable[tuple[dict, list[dict]]], documents: int = BATCH_DOCUMENTS,
                  mentions: int = BATCH_MENTIONS, seconds: float = BATCH_SECONDS,
                  skip_unchanged: bool = False) -> None:
        """Every item, committed in batches cut at the given limits (`skip_unchanged`:
        documents the store holds with the same content hash are left alone)."""
        try:
            for record, found in items:
                if skip_unchanged and self.content_hash(record["id"]) == record.get("content_hash"):
                    continue
                self.add(record, found)
                if self.due(documents, mentions, seconds):
                    self.commit()
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def finish(self) -> None:
        """Make sure the database exists, even when no batch had anything to write."""
        self._open()

    @staticmethod
    def _replace_document(db, record: dict, mentions: list[dict], blocks: set, actors: set) -> None:
        doc_id = record["id"]
        if db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None:
            for block, in db.execute("SELECT DISTINCT block FROM mentions WHERE doc_id = ?", (doc_id,)):
                blocks.add(block)
            old = "SELECT id FROM mentions WHERE doc_id = ?"
            for actor, in db.execute(f"SELECT DISTINCT actor FROM mention_actors WHERE mention IN ({old})",
                                     (doc_id,)):
                actors.add(actor)
            db.execute(f"DELETE FROM mention_actors WHERE mention IN ({old})", (doc_id,))
            db.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
        db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)", store.document_row(record))
        rows, named = [], []
        for mention in mentions:
            block = store.block_id(mention)
            blocks.add(block)
            rows.append((mention["id"], doc_id, block, orjson.dumps(mention).decode()))
            for row in store.mention_actor_rows(mention):
                named.append(row)
                actors.add(row[0])
        db.executemany("INSERT OR IGNORE INTO mentions (id, doc_id, block, data) VALUES (?, ?, ?, ?)", rows)
        db.executemany("INSERT OR IGNORE INTO mention_actors VALUES (?, ?, ?, ?)", named)

    def totals(self) -> tuple[int, int]:
        if self.db is None:
            return 0, 0
        with store.damage_reported(self.path):
            events = self.db.execute("SELECT count(*) FROM events").fetchone()[0]
            mentions = self.db.execute("SELECT count(*) FROM mentions").fetchone()[0]
        return events, mentions


def remerge(db: sqlite3.Connection, blocks: set[str]) -> None:
    """Merge every block in `blocks` again from all its mentions, replacing its events."""
    if not blocks:
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS touched (block TEXT PRIMARY KEY)")
    db.execute("DELETE FROM touched")
    db.executemany("INSERT OR IGNORE INTO touched VALUES (?)", ((b,) for b in blocks))
    sizes = db.execute("SELECT t.block, count(m.id) FROM touched t LEFT JOIN mentions m "
                       "ON m.block = t.block GROUP BY t.block ORDER BY t.block").fetchall()
    chunk: list[str] = []
    held = 0
    for block, size in sizes:
        if chunk and held + size > REMERGE_CHUNK:
            _remerge_chunk(db, chunk)
            chunk, held = [], 0
        chunk.append(block)
        held += size
    if chunk:
        _remerge_chunk(db, chunk)


def _remerge_chunk(db: sqlite3.Connection, blocks: list[str]) -> None:
    """Merge the blocks again; only events that differ from the stored ones are rewritten
    (most of a block's events survive a batch unchanged)."""
    db.execute("DELETE FROM touched")
    db.executemany("INSERT INTO touched VALUES (?)", ((b,) for b in blocks))
    old = {row[0]: row for row in db.execute(
        f"SELECT {store.EVENT_COLUMN_LIST} FROM events e JOIN touched t ON e.block = t.block")}
    mentions, blocks_of = [], {}
    for mention_id, block, data in db.execute(
            "SELECT m.id, m.block, m.data FROM mentions m JOIN touched t ON m.block = t.block"):
        mentions.append(orjson.loads(data))
        blocks_of[mention_id] = block
    events = merge_events(mentions)
    rows = {event.id: store.event_row(event, blocks_of[event.mention_ids[0]]) for event in events}
    stale = [(event_id,) for event_id, row in old.items() if rows.get(event_id) != row]
    for table, column in (("participation", "event"), ("event_tags", "event"), ("event_pairs", "event"),
                          ("events", "id")):
        db.executemany(f"DELETE FROM {table} WHERE {column} = ?", stale)
    fresh = [event for event in events if old.get(event.id) != rows[event.id]]
    store.write_events(db, fresh, blocks_of, rows)


def refresh_actors(db: sqlite3.Connection, actors: set[str]) -> None:
    """Each touched actor's name and kind as the smallest mention id gives them; actors no
    mention names any more are dropped."""
    for actor in sorted(actors):
        row = db.execute("SELECT name, kind FROM mention_actors WHERE actor = ? "
                         "ORDER BY mention LIMIT 1", (actor,)).fetchone()
        if row is None:
            db.execute("DELETE FROM actors WHERE id = ?", (actor,))
        else:
            db.execute("INSERT OR REPLACE INTO actors VALUES (?, ?, ?)", (actor, *row))


def write_documents(graph_path: Path | str, items: Iterable[tuple[dict, list[dict]]], *,
                    batch_documents: int = BATCH_DOCUMENTS, batch_mentions: int = BATCH_MENTIONS,
                    batch_seconds: float = BATCH_SECONDS, skip_unchanged: bool = False) -> tuple[int, int]:
    """Write (document record, mention dicts) pairs into the store in batches; returns
    (events, mentions) held afterwards. What the build uses once extraction is done."""
    with GraphWriter(graph_path) as writer:
        writer.write_all(items, batch_documents, batch_mentions, batch_seconds, skip_unchanged)
        writer.finish()
        return writer.totals()


def resolve_target(graph_path: Path, on_note: Callable[[str], None]) -> Path:
    """The database a build writes: `graph_path`, or, when that is an old JSON graph, the
    `.db` file beside it (imported from it first when it does not exist yet)."""
    if not graph_path.exists() or store.file_kind(graph_path) != "json":
        return graph_path
    target = graph_path.with_suffix(".db")
    if target.exists():
        on_note(f"{graph_path} is an old JSON graph; building into {target}, imported from it before")
        return target
    g = store.import_json_graph(graph_path, target)
    on_note(f"imported the old JSON graph {graph_path} into {target} ({len(g.documents)} documents, "
            f"{len(g.events)} events); {graph_path} is left as it was: use --graph {target} from now on")
    return target


def build(paths: Sequence[str], graph_path: Path | str, *, published: date | None = None,
          processes: int = 1, model: str | None = None,
          on_problem: Callable[[str], None] = lambda _: None,
          on_document: Callable[[Document], None] = lambda _: None,
          on_note: Callable[[str], None] | None = None,
          batch_documents: int = BATCH_DOCUMENTS,
          reader_options: dict | None = None, dask: str | None = None,
          on_finished: Callable[[Document], None] = lambda _: None,
          cancel: threading.Event | None = None, actor_files: Sequence[Path] = (),
          trigger_files: Sequence[Path] = (), corrections: Path | str | None = None) -> BuildSummary:
    """Add the documents under `paths` to the graph database, skipping unchanged ones.

    Documents are committed in batches, so an interrupted build keeps what it finished.
    `reader_options` go to `extract.reader.read_documents`; `dask` is a Dask scheduler
    address (or local:N) to extract on instead of local processes. `on_document` hears of
    each document as it is read, `on_finished` once it is extracted (or skipped as
    unchanged). When `cancel` is set, reading stops, every finished document is committed
    and `BuildInterrupted` says how many there were. `corrections` is an analyst's
    corrections file (`graph.corrections`), applied once the documents are in."""
    from extract.pipeline import extract_documents
    from extract.reader import read_documents

    target = resolve_target(Path(graph_path), on_note or on_problem)
    fixes = load_corrections(corrections) if corrections is not None else None  # a bad file fails first
    counts = {"added": 0, "updated": 0, "skipped": 0}
    with GraphWriter(target) as writer:
        reader = read_documents(paths, published, on_problem, **(reader_options or {}))

        finished = [0]

        def done(document: Document) -> None:
            finished[0] += 1
            on_finished(document)

        def changed() -> Iterator[Document]:
            for document in reader:
                on_document(document)
                known = writer.content_hash(document.id)
                if known == document.content_hash:
                    counts["skipped"] += 1
                    done(document)
                else:
                    counts["updated" if known is not None else "added"] += 1
                    yield document
                if cancel is not None and cancel.is_set():
                    return  # read no further: what is finished gets committed

        dictionaries = dict(actor_files=tuple(actor_files), trigger_files=tuple(trigger_files))
        if dask:
            from extract.distributed import extract_documents_dask

            pairs = extract_documents_dask(changed(), dask, model=model, **dictionaries)
        else:
            pairs = extract_documents(changed(), model=model, processes=processes, **dictionaries)

        def items() -> Iterator[tuple[dict, list[dict]]]:
            for document, found in pairs:
                yield document_record(document), [event.to_dict() for event in found]
                done(document)
                if cancel is not None and cancel.is_set():
                    return  # documents still being extracted are left for the next build

        writer.write_all(items(), batch_documents, BATCH_MENTIONS, BATCH_SECONDS)
        if cancel is not None and cancel.is_set():
            writer.finish()
            raise BuildInterrupted(finished[0], str(target))
        if reader.documents_read == 0:
            raise BuildError("no document could be read")
        writer.finish()
        corrected = ""
        if fixes is not None:
            corrected = apply_corrections(writer.db, fixes, str(corrections), on_problem).line(str(corrections))
            writer.wrote = True
        events, mentions = writer.totals()
        written = os.path.getsize(writer.path) if writer.wrote else 0
    return BuildSummary(reader.documents_read, counts["added"], counts["updated"],
                        counts["skipped"], reader.problems, events, mentions, written, str(target),
                        corrected)
