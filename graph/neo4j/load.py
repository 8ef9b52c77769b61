"""Write the event graph into Neo4j: schema first, then batched `UNWIND $rows ...` writes.

What is written matches the SPEC's graph node for node and edge for edge: Actor, Event and
Document nodes with the properties of `EventGraph.to_networkx()` (plus `Event.name`),
PARTICIPATED_IN {role} and REPORTED_IN {sentence_index, sentence, span}. Each REPORTED_IN
also gets `evidence`, true on the one mention the graph quotes for its event, so the
queries pick the same evidence sentence. Every Event also carries one label per tag
(`Tag_exercise`) and one for its PLOVER category (`Plover_COOPERATE`), each with an index
on `start`, so queries start from an index instead of from every event (`SCHEMA`).

Loading is idempotent, resumable and incremental. Each Document node keeps a fingerprint
of everything the graph says about it (its properties and the full rows of the events it
reports); a load compares fingerprints, one small read per document, and then writes only
the documents that changed and the events they report, deletes the events those documents
reported before that the graph no longer holds, and leaves the rest alone. So the work
after the comparison is proportional to what changed, not to the size of the database. A
document's fingerprint is written last, after all its events, so a load that was cut off
leaves those documents without one and the next load redoes them.

Pair summaries (`graph.neo4j.pairs`) are rewritten for the keys the touched events belong
to, before and after the change, ahead of the event writes: they depend only on the graph
and on events the load leaves alone, so a load cut off after them redoes the same.

Each batch of events is one statement and one transaction: the event nodes with their
labels (batches are grouped by label set, so that a node is created with its labels),
PARTICIPATED_IN and REPORTED_IN relationships. Events the database does not hold
yet are written with CREATE instead of MERGE (an absent event has no relationships, and
the uniqueness constraint turns a concurrent writer of the same event into an error, never
a duplicate); batches of them go to `workers` concurrent transactions. Rows are built
lazily batch by batch, so memory stays flat however large the graph. Labels and
relationship types come only from the fixed tables below; every value is a parameter.
"""
from __future__ import annotations

import gc
import hashlib
import threading
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

import orjson

from extract.records import MAX_DOCUMENT_ID_CHARS, PLOVER_CATEGORIES, TAGS

from ..errors import GraphError
from ..merge import link_reasons
from .connection import DEFAULT_DATABASE, Neo4jError, session_errors
from .pairs import (COUNT_SUMMARIES, CREATE_SUMMARIES, DELETE_SUMMARIES, MERGE_SUMMARIES,
                    OLD_EVENTS, SUMMARY_EVENT_IDS, SUMMARY_LABELS, SUMMARY_SCHEMA,
                    TOTAL_LABEL, YEAR_LABEL, Summaries, event_keys, record_roles)

if TYPE_CHECKING:
    from ..model import EventGraph, MergedEvent

NODE_LABELS = ("Actor", "Event", "Document")
RELATIONSHIP_TYPES = ("PARTICIPATED_IN", "REPORTED_IN")
TAG_LABELS = {tag: f"Tag_{tag}" for tag in TAGS}
PLOVER_LABELS = {category: f"Plover_{category}" for category in PLOVER_CATEGORIES}
DEFAULT_BATCH_SIZE = 1000
DEFAULT_WORKERS = 2

CONSTRAINTS = tuple(
    f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    for label in NODE_LABELS
)
INDEXES = (
    "CREATE INDEX event_start IF NOT EXISTS FOR (e:Event) ON (e.start)",
    "CREATE INDEX event_status IF NOT EXISTS FOR (e:Event) ON (e.status)",
    "CREATE INDEX event_cameo IF NOT EXISTS FOR (e:Event) ON (e.cameo)",
    *(f"CREATE INDEX {label.lower()}_start IF NOT EXISTS FOR (e:{label}) ON (e.start)"
      for label in (*TAG_LABELS.values(), *PLOVER_LABELS.values())),
)
SCHEMA = CONSTRAINTS + INDEXES + SUMMARY_SCHEMA
_EVENT_LABELS = frozenset(TAG_LABELS.values()) | frozenset(PLOVER_LABELS.values())
# Part of every document fingerprint: a new version makes the next load rewrite everything
# once (here: the pair summaries of `graph.neo4j.pairs` arrived).
FINGERPRINT_VERSION = b"pairs-1"

# One statement per label: the label is spliced from NODE_LABELS only, never from input.
MERGE_NODES = {
    label: f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"
    for label in NODE_LABELS
}
_EVENT_EDGES = """
CALL (e, row) {
  UNWIND row.participations AS p
  MATCH (a:Actor {id: p.actor})
  %(verb)s (a)-[:PARTICIPATED_IN {role: p.role}]->(e)
}
CALL (e, row) {
  UNWIND row.reports AS r
  MATCH (d:Document {id: r.document})
  %(verb)s (e)-[x:REPORTED_IN {sentence_index: r.sentence_index}]->(d)
  SET x.sentence = r.sentence, x.span = r.span, x.evidence = r.evidence, x.linked_by = r.linked_by
}
"""
# `row.labels` holds only values of TAG_LABELS and PLOVER_LABELS (see `event_row`).
MERGE_EVENTS = """
UNWIND $rows AS row
MERGE (e:Event {id: row.id}) SET e = row.props SET e:$(row.labels)
WITH e, row
""" + _EVENT_EDGES % {"verb": "MERGE"}
CREATE_EVENTS = """
UNWIND $rows AS row
CREATE (e:Event) SET e = row.props SET e:$(row.labels)
WITH e, row
""" + _EVENT_EDGES % {"verb": "CREATE"}


def create_events_labelled(labels: Sequence[str]) -> str:
    """CREATE_EVENTS for rows that all carry `labels` (values of TAG_LABELS and
    PLOVER_LABELS only): the node is created with its labels, which spares the server a
    label update per event."""
    assert all(label in _EVENT_LABELS for label in labels), labels
    return ("UNWIND $rows AS row\nCREATE (e:Event" + "".join(f":{label}" for label in labels)
            + ") SET e += row.props\nWITH e, row\n" + _EVENT_EDGES % {"verb": "CREATE"})
# Relationships of events written before that the graph no longer has.
PRUNE_RELATIONSHIPS = """
UNWIND $rows AS row
MATCH (e:Event {id: row.id})
CALL (e, row) {
  MATCH (a:Actor)-[r:PARTICIPATED_IN]->(e)
  WHERE NOT {actor: a.id, role: r.role} IN row.participations
  DELETE r
}
CALL (e, row) {
  MATCH (e)-[r:REPORTED_IN]->(d:Document)
  WHERE NOT {document: d.id, sentence_index: r.sentence_index} IN
        [x IN row.reports | {document: x.document, sentence_index: x.sentence_index}]
  DELETE r
}
"""
STORED_DOCUMENTS = "MATCH (d:Document) RETURN d.id AS id, d.fingerprint AS fingerprint"
EVENTS_OF_DOCUMENTS = (
    "UNWIND $ids AS id MATCH (:Document {id: id})<-[:REPORTED_IN]-(e:Event) "
    "RETURN DISTINCT e.id AS id"
)
COUNT_EVENTS = "MATCH (e:Event) RETURN count(e) AS n"
DELETE_EVENTS = "UNWIND $ids AS id MATCH (e:Event {id: id}) DETACH DELETE e"
SET_FINGERPRINTS = ("UNWIND $rows AS row MATCH (d:Document {id: row.id}) "
                    "SET d.fingerprint = row.fingerprint")
DELETE_LONELY_ACTORS = "MATCH (a:Actor) WHERE NOT (a)--() AND NOT a.id IN $keep DELETE a"
# Single-label and single-type counts come from the server's count store, not a scan.
COUNT_NODES = " UNION ALL ".join(
    f"MATCH (n:{label}) RETURN count(n) AS n" for label in NODE_LABELS)
COUNT_RELATIONSHIPS = " UNION ALL ".join(
    f"MATCH ()-[r:{kind}]->() RETURN count(r) AS n" for kind in RELATIONSHIP_TYPES)


class DocumentIdTooLong(GraphError):
    """A document id longer than `extract.records.MAX_DOCUMENT_ID_CHARS`: refused before
    anything is written (Neo4j's index keys have a size limit, and the reader refuses
    such ids too, so both backends hold the same documents)."""


class LoadInterrupted(Neo4jError):
    """The load was asked to stop (Ctrl-C); every finished batch is kept."""


@dataclass(frozen=True)
class LoadSummary:
    nodes: int
    relationships: int
    stale_events_deleted: int
    batches: int
    seconds: float
    documents_written: int = 0
    events_written: int = 0
    foreign_documents: int = 0  # documents in the database that the graph does not hold


def _scalar_props(data: dict) -> dict:
    """Properties Neo4j can store: scalars and lists of scalars; None is left out."""
    props = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            props[key] = [v for v in value if v is not None]
        elif isinstance(value, (str, int, float, bool)):
            props[key] = value
        else:
            props[key] = str(value)
    return props


def actor_row(actor: dict) -> dict:
    return {"id": actor["id"], "props": _scalar_props(dict(actor))}


def document_row(document: dict) -> dict:
    props = {"id": document["id"], "title": document.get("title", ""),
             "url": document.get("url", ""), "published": document.get("published")}
    return {"id": document["id"], "props": _scalar_props(props)}


def event_row(graph: "EventGraph", event: "MergedEvent") -> dict:
    """{id, props, labels, participations: [{actor, role}], reports: [{document,
    sentence_index, sentence, span, evidence}]} for one merged event (pure; it runs once
    per event of a load, so it is written out rather than generic)."""
    props = {"id": event.id, "plover": event.plover, "mode": event.mode, "cameo": event.cameo,
             "tags": list(event.tags), "trigger": event.trigger, "label": event.label,
             "granularity": event.granularity, "status": event.status,
             "mentions": len(event.mention_ids), "name": getattr(event, "name", "") or ""}
    for key, value in (("start", event.start), ("end", event.end),
                       ("location", event.location)):
        if value is not None:
            props[key] = value
    labels = [TAG_LABELS[t] for t in event.tags if t in TAG_LABELS]
    if event.plover in PLOVER_LABELS:
        labels.append(PLOVER_LABELS[event.plover])
    participations = [{"actor": actor, "role": "actor"} for actor in sorted(set(event.actors))]
    participations += [{"actor": target, "role": "target"} for target in sorted(set(event.targets))]
    participations.sort(key=lambda p: (p["actor"], p["role"]))
    mentions = graph.mentions
    reports = []
    reasons = dict(zip(event.mention_ids, link_reasons([mentions[m] for m in event.mention_ids])))
    for mention_id in event.mention_ids:
        mention = mentions[mention_id]
        if mention.get("correction"):  # an analyst's correction: added or fixed
            props["correction"] = ",".join(sorted({*props.get("correction", "").split(","), mention["correction"]} - {""}))
        reports.append({"document": mention["doc_id"],
                        "sentence_index": int(mention["sentence_index"]),
                        "sentence": mention.get("sentence", ""),
                        "span": [int(x) for x in mention.get("span") or ()],
                        "evidence": mention_id == event.evidence_id,
                        "linked_by": reasons[mention_id]})
    if len(reports) > 1:
        reports.sort(key=lambda r: (r["document"], r["sentence_index"]))
    return {"id": event.id, "props": props, "labels": sorted(set(labels)),
            "participations": participations, "reports": reports}


def _digest(value) -> bytes:
    return hashlib.blake2b(orjson.dumps(value, option=orjson.OPT_SORT_KEYS),
                           digest_size=16).digest()


def fingerprints(graph: "EventGraph", cancel: threading.Event | None = None,
                 ) -> tuple[dict[str, str], list[tuple[str, ...]]]:
    """Per document id, a digest of its properties and of everything its events' rows are
    made of (the merged event's fields and its mentions); and per event of
    `graph.events`, the ids of the documents that report it."""
    per_document: dict[str, list[bytes]] = {doc_id: [] for doc_id in graph.documents}
    event_documents = []
    mentions = graph.mentions
    dumps, blake2b = orjson.dumps, hashlib.blake2b
    for number, event in enumerate(graph.events):
        if cancel is not None and number % 10_000 == 0 and cancel.is_set():
            raise LoadInterrupted("load interrupted before anything was written")
        reports = [mentions[m] for m in event.mention_ids]
        digest = event.id.encode() + blake2b(dumps([
            tuple(event), [(m["doc_id"], m["sentence_index"], m.get("sentence", ""),
                            m.get("span")) for m in reports]]), digest_size=16).digest()
        documents = tuple(sorted({m["doc_id"] for m in reports}))
        event_documents.append(documents)
        for doc_id in documents:
            per_document.setdefault(doc_id, []).append(digest)
    result = {}
    for doc_id, digests in per_document.items():
        document = graph.documents.get(doc_id, {"id": doc_id})
        hasher = blake2b(_digest(document_row(document)), digest_size=16)
        hasher.update(FINGERPRINT_VERSION)
        for digest in sorted(digests):
            hasher.update(digest)
        result[doc_id] = hasher.hexdigest()
    return result, event_documents


def check_document_ids(graph: "EventGraph") -> None:
    """DocumentIdTooLong for the first over-long document id (documents or mentions)."""
    for doc_id in graph.documents:
        _check_id(doc_id)
    for event in graph.events:
        if event.evidence_doc:
            _check_id(event.evidence_doc)
    for mention in graph.mentions.values():
        _check_id(mention["doc_id"])


def _check_id(doc_id: str) -> None:
    if len(doc_id) > MAX_DOCUMENT_ID_CHARS:
        raise DocumentIdTooLong(
            f"document id of {len(doc_id)} characters ({doc_id[:40]!r}...) is longer than the "
            f"limit of {MAX_DOCUMENT_ID_CHARS}: nothing was written to Neo4j")


def batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def ensure_schema(driver, database: str = DEFAULT_DATABASE) -> None:
    """Uniqueness of Actor.id, Event.id and Document.id, and the query indexes."""
    with session_errors():
        for statement in SCHEMA:
            driver.execute_query(statement, database_=database)


ensure_constraints = ensure_schema  # the old name


class _Writer:
    """Batched writes with progress reports, a batch count and a stop flag."""

    def __init__(self, driver, database: str, batch_size: int, workers: int,
                 on_batch: Callable[[str, int], None] | None,
                 cancel: threading.Event | None) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.driver, self.database = driver, database
        self.batch_size, self.workers = batch_size, workers
        self.report = on_batch or (lambda step, n: None)
        self.cancel = cancel
        self.count = 0

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise LoadInterrupted("load interrupted; the batches written so far are kept, "
                                  "run the load again to finish it")

    def query(self, statement: str, **params) -> list:
        self.check()
        return self.driver.execute_query(statement, params, database_=self.database).records

    def write(self, statement: str, rows: Iterable[dict], step: str, parallel: int = 1,
              size: int | None = None) -> None:
        def run(batch: list[dict]) -> int:
            self.driver.execute_query(statement, rows=batch, database_=self.database)
            return len(batch)

        for written in self._run_batches(run, batches(rows, size or self.batch_size), parallel):
            self.count += 1
            self.report(step, written)

    def write_grouped(self, statement_for: Callable[[Sequence[str]], str],
                      rows: Iterable[dict], step: str, parallel: int = 1) -> None:
        """Like `write`, with rows batched by their `labels` and each batch sent with
        `statement_for(labels)`."""
        def grouped() -> Iterator[tuple[str, list[dict]]]:
            pending: dict[tuple[str, ...], list[dict]] = {}
            for row in rows:
                labels = tuple(row["labels"])
                batch = pending.setdefault(labels, [])
                batch.append(row)
                if len(batch) == self.batch_size:
                    yield statement_for(labels), pending.pop(labels)
            for labels, batch in pending.items():
                yield statement_for(labels), batch

        def run(item: tuple[str, list[dict]]) -> int:
            self.driver.execute_query(item[0], rows=item[1], database_=self.database)
            return len(item[1])

        for written in self._run_batches(run, grouped(), parallel):
            self.count += 1
            self.report(step, written)

    def _run_batches(self, run, row_batches: Iterator[list[dict]], workers: int) -> Iterator[int]:
        """`run` once per batch, at most `workers` at a time; after a failure or a stop
        request no new batch starts (the running ones finish)."""
        if workers == 1:
            for batch in row_batches:
                self.check()
                yield run(batch)
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            running: set[Future] = set()
            try:
                for batch in row_batches:
                    if len(running) >= workers:
                        finished, running = wait(running, return_when=FIRST_COMPLETED)
                        yield from (future.result() for future in finished)
                    self.check()
                    running.add(pool.submit(run, batch))
                while running:
                    finished, running = wait(running, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in finished)
            finally:
                wait(running)  # let started transactions end before the error surfaces


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A load builds a few dicts per event while the graph's millions of objects are alive;
    the cyclic collector would rescan them over and over (rows hold no cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(driver, graph: "EventGraph", database: str = DEFAULT_DATABASE,
         batch_size: int = DEFAULT_BATCH_SIZE,
         on_batch: Callable[[str, int], None] | None = None,
         workers: int = DEFAULT_WORKERS, *, replace: bool = False,
         cancel: threading.Event | None = None) -> LoadSummary:
    """Write the event graph into Neo4j; `on_batch(step, rows)` reports progress.

    With `replace`, every eventkg node is deleted first. Otherwise documents in the
    database that the graph does not hold are left alone and counted in
    `LoadSummary.foreign_documents`. Setting `cancel` stops the load between batches
    with `LoadInterrupted`.
    """
    started = time.perf_counter()
    check_document_ids(graph)
    with _collector_paused():
        return _load(driver, graph, database, batch_size, on_batch, workers, replace, cancel,
                     started)


def _load(driver, graph, database, batch_size, on_batch, workers, replace, cancel,
          started) -> LoadSummary:
    writer = _Writer(driver, database, batch_size, workers, on_batch, cancel)
    wanted, event_documents = fingerprints(graph, cancel)
    with session_errors():
        ensure_schema(driver, database)
        if replace:
            clear(driver, database)
        stored = {r["id"]: r["fingerprint"] for r in writer.query(STORED_DOCUMENTS)}
        changed = sorted(doc_id for doc_id, fp in wanted.items() if stored.get(doc_id) != fp)
        foreign = sum(1 for doc_id in stored if doc_id not in wanted)
        changed_set = set(changed)
        current = {event.id for event in graph.events}
        touched = [event for event, documents in zip(graph.events, event_documents)
                   if not changed_set.isdisjoint(documents)]
        stored_events = writer.query(COUNT_EVENTS)[0]["n"]  # the count store: no scan
        stale = (_stale_events(writer, [d for d in changed if d in stored], current)
                 if stored_events else [])
        # What the database holds now of the events this load rewrites or deletes.
        old = _old_events(writer, [event.id for event in touched] + stale) if stored_events else []
        existing = {r["id"] for r in old if r["id"] in current}
        # Summaries first: they depend only on the graph and on events this load leaves
        # alone, and a load cut off later redoes them from the same old events.
        _write_summaries(writer, graph, touched, old, stale, stored_events, len(existing),
                         current)
        for start in range(0, len(stale), batch_size):
            writer.query(DELETE_EVENTS, ids=stale[start:start + batch_size])
            writer.count += 1
        writer.write(MERGE_NODES["Actor"], map(actor_row, graph.actors.values()), "Actor")
        writer.write(MERGE_NODES["Document"],
                     (document_row(graph.documents.get(d, {"id": d})) for d in changed),
                     "Document")
        earlier = [event for event in touched if event.id in existing]
        # Only events an earlier load wrote can hold relationships the graph no longer has.
        writer.write(PRUNE_RELATIONSHIPS, (event_row(graph, e) for e in earlier), "prune")
        writer.write(MERGE_EVENTS, (event_row(graph, e) for e in earlier), "Event")
        writer.write_grouped(create_events_labelled,
                             (event_row(graph, e) for e in touched if e.id not in existing),
                             "Event", workers)
        writer.query(DELETE_LONELY_ACTORS, keep=list(graph.actors))
        writer.write(SET_FINGERPRINTS, ({"id": d, "fingerprint": wanted[d]} for d in changed),
                     "fingerprint", size=batch_size * 10)
        nodes, relationships = counts(driver, database)
    return LoadSummary(nodes, relationships, len(stale), writer.count,
                       time.perf_counter() - started, len(changed), len(touched), foreign)


def _stale_events(writer: _Writer, doc_ids: Sequence[str], current: set[str]) -> list[str]:
    """Events the database holds for `doc_ids` that the graph no longer has."""
    stale: set[str] = set()
    for start in range(0, len(doc_ids), writer.batch_size):
        records = writer.query(EVENTS_OF_DOCUMENTS, ids=list(doc_ids[start:start + writer.batch_size]))
        stale.update(r["id"] for r in records if r["id"] not in current)
    return sorted(stale)


def _old_events(writer: _Writer, ids: Sequence[str]) -> list:
    """`pairs.OLD_EVENTS` records of those of `ids` that the database holds."""
    found: list = []
    step = writer.batch_size * 10
    for start in range(0, len(ids), step):
        found.extend(writer.query(OLD_EVENTS, ids=list(ids[start:start + step])))
    return found


def _write_summaries(writer: _Writer, graph, touched, old, stale: Sequence[str],
                     stored_events: int, existing: int, current: set[str]) -> None:
    """Rewrite the pair summaries that the touched events (as they were and as they will
    be) and the stale events belong to; the others stay as they are."""
    if not touched and not old:
        return
    summaries = Summaries()
    for event in graph.events:
        summaries.add_event(event)
    if len(touched) == len(graph.events):  # every event: every summary of the graph
        years, totals = set(summaries.years), set(summaries.totals)
    else:
        years, totals = set(), set()
        for event in touched:
            for year, total in event_keys(event.status, event.plover, event.mode,
                                          event.cameo, event.tags, event.start,
                                          event.actors, event.targets):
                years.add(year)
                totals.add(total)
    for r in old:
        for year, total in event_keys(r["status"], r["plover"], r["mode"] or "",
                                      r["cameo"] or "", tuple(r["tags"] or ()), r["start"],
                                      *record_roles(r["people"])):
            years.add(year)
            totals.add(total)
    if not totals:
        return
    # Events of documents the graph does not hold stay in the database and in their
    # summaries: counted from the count store, read back only when there are any.
    foreign = stored_events - (len(graph.events) - len(touched)) - existing - len(stale)
    if foreign > 0:
        gone = set(stale)
        listed = [r["id"] for r in writer.query(SUMMARY_EVENT_IDS, totals=sorted(totals))]
        others = [i for i in listed if i not in current and i not in gone]
        for record in _old_events(writer, others):
            summaries.add_record(record)
    for label, (rows, gone) in ((YEAR_LABEL, summaries.year_rows(years)),
                                (TOTAL_LABEL, summaries.total_rows(totals))):
        fresh = writer.query(COUNT_SUMMARIES[label])[0]["n"] == 0
        for start in range(0, len(gone), writer.batch_size):
            writer.query(DELETE_SUMMARIES[label], keys=gone[start:start + writer.batch_size])
            writer.count += 1
        writer.write((CREATE_SUMMARIES if fresh else MERGE_SUMMARIES)[label], rows, "summary",
                     writer.workers)


def counts(driver, database: str = DEFAULT_DATABASE) -> tuple[int, int]:
    """(nodes, relationships) of eventkg's labels and types in the database."""
    with session_errors():
        nodes = sum(r["n"] for r in driver.execute_query(COUNT_NODES, database_=database).records)
        rels = sum(r["n"] for r in
                   driver.execute_query(COUNT_RELATIONSHIPS, database_=database).records)
    return nodes, rels


def clear(driver, database: str = DEFAULT_DATABASE, batch_size: int = 5_000) -> None:
    """Delete every eventkg node and relationship, in batches (tests and `--replace`).

    Events go first, a batch at a time with their few relationships each; an actor may
    hold a relationship to every tenth event, so deleting actors first would put all of
    them into one transaction.
    """
    with session_errors():
        for label in (*SUMMARY_LABELS, "Event", "Document", "Actor"):
            while True:
                summary = driver.execute_query(
                    f"MATCH (n:{label}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n",
                    limit=batch_size, database_=database)
                if summary.records[0]["n"] == 0:
                    break
