"""Write the event graph into Neo4j: constraints first, then batched `UNWIND $rows ... MERGE`.

Input is the merged `EventGraph`; what is written matches its SPEC-shaped networkx form
(`EventGraph.to_networkx()`) node for node and edge for edge: Actor, Event and Document
nodes with the same properties, PARTICIPATED_IN {role} and REPORTED_IN {sentence_index,
sentence, span}. Each REPORTED_IN also gets `evidence`, true on the one mention that the
graph quotes for its event, so the Cypher queries pick the same evidence sentence.

Loading is idempotent and resumable: every write is a MERGE on a natural key (node `id`,
participation `role`, report `sentence_index`), so running a load again after it was cut
off finishes it without duplicates. Before writing, events that an earlier load wrote for
the same documents but that the graph no longer holds (a re-merge renamed or dropped them)
are deleted, and so are stale relationships of events an earlier load wrote, so Neo4j
ends up holding exactly the graph's nodes and edges for those documents.

Each batch of events is one statement and one transaction: the event nodes with their
PARTICIPATED_IN and REPORTED_IN relationships (actors and documents are written first).
Events not yet in the database are written with CREATE instead of MERGE: a transaction
writes an event together with all its relationships, so an event that is absent has none,
and the uniqueness constraint turns a concurrent writer of the same event into an error,
never a duplicate. Batches of new events go to `workers` concurrent transactions (the
server's locks keep the shared actor and document nodes consistent; deadlocks are retried).
Labels and relationship types come only from the fixed tuples below; every value is a
query parameter.
"""
from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from .neo4j_connection import DEFAULT_DATABASE, session_errors

if TYPE_CHECKING:
    from .model import EventGraph

NODE_LABELS = ("Actor", "Event", "Document")
RELATIONSHIP_TYPES = ("PARTICIPATED_IN", "REPORTED_IN")
DEFAULT_BATCH_SIZE = 500
DEFAULT_WORKERS = 2

CONSTRAINTS = tuple(
    f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    for label in NODE_LABELS
)

# One statement per label: the label is spliced from NODE_LABELS only, never from input.
MERGE_NODES = {
    label: f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"
    for label in NODE_LABELS
}
MERGE_EVENTS = """
UNWIND $rows AS row
MERGE (e:Event {id: row.id}) SET e = row.props
WITH e, row
CALL (e, row) {
  UNWIND row.participations AS p
  MATCH (a:Actor {id: p.actor})
  MERGE (a)-[:PARTICIPATED_IN {role: p.role}]->(e)
}
CALL (e, row) {
  UNWIND row.reports AS r
  MATCH (d:Document {id: r.document})
  MERGE (e)-[x:REPORTED_IN {sentence_index: r.sentence_index}]->(d)
  SET x.sentence = r.sentence, x.span = r.span, x.evidence = r.evidence
}
"""
# Events the database does not hold yet: nothing to merge with, so plain CREATEs.
CREATE_EVENTS = """
UNWIND $rows AS row
CREATE (e:Event) SET e = row.props
WITH e, row
CALL (e, row) {
  UNWIND row.participations AS p
  MATCH (a:Actor {id: p.actor})
  CREATE (a)-[:PARTICIPATED_IN {role: p.role}]->(e)
}
CALL (e, row) {
  UNWIND row.reports AS r
  MATCH (d:Document {id: r.document})
  CREATE (e)-[:REPORTED_IN {sentence_index: r.sentence_index, sentence: r.sentence,
                            span: r.span, evidence: r.evidence}]->(d)
}
"""
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
EVENTS_OF_DOCUMENTS = (
    "UNWIND $ids AS id MATCH (:Document {id: id})<-[:REPORTED_IN]-(e:Event) "
    "RETURN DISTINCT e.id AS id"
)
EXISTING_EVENTS = "UNWIND $ids AS id MATCH (e:Event {id: id}) RETURN e.id AS id"
DELETE_EVENTS = "UNWIND $ids AS id MATCH (e:Event {id: id}) DETACH DELETE e"
DELETE_LONELY_ACTORS = "MATCH (a:Actor) WHERE NOT (a)--() AND NOT a.id IN $keep DELETE a"
# Single-label and single-type counts come from the server's count store, not a scan.
COUNT_NODES = " UNION ALL ".join(
    f"MATCH (n:{label}) RETURN count(n) AS n" for label in NODE_LABELS)
COUNT_RELATIONSHIPS = " UNION ALL ".join(
    f"MATCH ()-[r:{kind}]->() RETURN count(r) AS n" for kind in RELATIONSHIP_TYPES)


@dataclass(frozen=True)
class GraphRows:
    """The graph as parameter rows: actor and document nodes, and one row per event
    ({id, props, participations: [{actor, role}], reports: [{document, sentence_index,
    sentence, span, evidence}]})."""

    actors: tuple[dict, ...]
    documents: tuple[dict, ...]
    events: tuple[dict, ...]

    @property
    def relationships(self) -> int:
        return sum(len(e["participations"]) + len(e["reports"]) for e in self.events)


@dataclass(frozen=True)
class LoadSummary:
    nodes: int
    relationships: int
    stale_events_deleted: int
    batches: int
    seconds: float


def graph_rows(event_graph: "EventGraph") -> GraphRows:
    """Parameter rows for an `EventGraph` (pure, deterministic).

    Node properties are those of the networkx form; edges come from the merged events:
    one PARTICIPATED_IN per (actor, role), one REPORTED_IN per mention.
    """
    nodes: dict[str, list[dict]] = {label: [] for label in NODE_LABELS}
    for _, data in sorted(event_graph.to_networkx().nodes(data=True),
                          key=lambda item: str(item[0])):
        label = data.get("type")
        if label in NODE_LABELS:
            nodes[label].append({"id": data["id"], "props": _scalar_props(data)})
    edges = {event.id: _event_edges(event_graph, event) for event in event_graph.events}
    events = tuple({**row, **edges[row["id"]]} for row in nodes["Event"])
    return GraphRows(tuple(nodes["Actor"]), tuple(nodes["Document"]), events)


def _event_edges(event_graph: "EventGraph", event) -> dict:
    roles = sorted({(actor, "actor") for actor in event.actors}
                   | {(target, "target") for target in event.targets})
    reports = []
    for mention_id in event.mention_ids:
        mention = event_graph.mentions[mention_id]
        reports.append({"document": mention["doc_id"],
                        "sentence_index": int(mention["sentence_index"]),
                        "sentence": mention.get("sentence", ""),
                        "span": [int(x) for x in mention.get("span") or ()],
                        "evidence": mention_id == event.evidence_id})
    reports.sort(key=lambda r: (r["document"], r["sentence_index"]))
    return {"participations": [{"actor": actor, "role": role} for actor, role in roles],
            "reports": reports}


def _scalar_props(data: dict) -> dict:
    """Node properties Neo4j can store: scalars and lists of scalars; None is left out."""
    props = {}
    for key, value in data.items():
        if key == "type" or value is None:
            continue
        if isinstance(value, (list, tuple)):
            props[key] = [v for v in value if v is not None]
        elif isinstance(value, (str, int, float, bool)):
            props[key] = value
        else:
            props[key] = str(value)
    return props


def batches(rows: Sequence[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield list(rows[start:start + size])


def ensure_constraints(driver, database: str = DEFAULT_DATABASE) -> None:
    """Uniqueness of Actor.id, Event.id and Document.id (also the index every MERGE uses)."""
    with session_errors():
        for statement in CONSTRAINTS:
            driver.execute_query(statement, database_=database)


def load(driver, graph: "EventGraph", database: str = DEFAULT_DATABASE,
         batch_size: int = DEFAULT_BATCH_SIZE,
         on_batch: Callable[[str, int], None] | None = None,
         workers: int = DEFAULT_WORKERS) -> LoadSummary:
    """Write the event graph into Neo4j idempotently; `on_batch(step, rows)` reports progress."""
    started = time.perf_counter()
    summary = write_rows(driver, graph_rows(graph), database, batch_size, on_batch, workers)
    return LoadSummary(summary.nodes, summary.relationships, summary.stale_events_deleted,
                       summary.batches, time.perf_counter() - started)


def write_rows(driver, rows: GraphRows, database: str = DEFAULT_DATABASE,
               batch_size: int = DEFAULT_BATCH_SIZE,
               on_batch: Callable[[str, int], None] | None = None,
               workers: int = DEFAULT_WORKERS) -> LoadSummary:
    """The writing half of `load`: constraints, stale events out, then batched writes."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    started = time.perf_counter()
    report = on_batch or (lambda step, n: None)
    count = 0

    def write(statement: str, all_rows: Sequence[dict], step: str, parallel: int = 1) -> None:
        nonlocal count
        for written in _write_batches(driver, statement, batches(all_rows, batch_size),
                                      database, parallel):
            count += 1
            report(step, written)

    with session_errors():
        ensure_constraints(driver, database)
        stale = _stale_events(driver, rows, database, batch_size)
        for start in range(0, len(stale), batch_size):
            driver.execute_query(DELETE_EVENTS, ids=stale[start:start + batch_size],
                                 database_=database)
            count += 1
        existing = _existing_events(driver, rows, database, batch_size)
        earlier = [e for e in rows.events if e["id"] in existing]
        write(MERGE_NODES["Actor"], rows.actors, "Actor")
        write(MERGE_NODES["Document"], rows.documents, "Document")
        # Only events an earlier load wrote can hold relationships the graph no longer has.
        write(PRUNE_RELATIONSHIPS, earlier, "prune")
        write(MERGE_EVENTS, earlier, "Event")
        write(CREATE_EVENTS, [e for e in rows.events if e["id"] not in existing], "Event",
              workers)
        driver.execute_query(DELETE_LONELY_ACTORS, keep=[r["id"] for r in rows.actors],
                             database_=database)
        nodes, relationships = counts(driver, database)
    return LoadSummary(nodes, relationships, len(stale), count,
                       time.perf_counter() - started)


def _write_batches(driver, statement: str, row_batches: Iterator[list[dict]], database: str,
                   workers: int) -> Iterator[int]:
    """Run `statement` once per batch, each in its own transaction, at most `workers` at a
    time; yields each finished batch's row count. After a failure no new batch starts."""
    def run(batch: list[dict]) -> int:
        driver.execute_query(statement, rows=batch, database_=database)
        return len(batch)

    if workers == 1:
        yield from map(run, row_batches)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: set[Future] = set()
        for batch in row_batches:
            if len(running) >= workers:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in finished)
            running.add(pool.submit(run, batch))
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in finished)


def _stale_events(driver, rows: GraphRows, database: str, batch_size: int) -> list[str]:
    """Events in Neo4j reported by the graph's documents that the graph no longer holds."""
    current = {row["id"] for row in rows.events}
    doc_ids = [row["id"] for row in rows.documents]
    stale: set[str] = set()
    for start in range(0, len(doc_ids), batch_size):
        records, _, _ = driver.execute_query(EVENTS_OF_DOCUMENTS,
                                             ids=doc_ids[start:start + batch_size],
                                             database_=database)
        stale.update(r["id"] for r in records if r["id"] not in current)
    return sorted(stale)


def _existing_events(driver, rows: GraphRows, database: str, batch_size: int) -> set[str]:
    ids = [row["id"] for row in rows.events]
    found: set[str] = set()
    step = batch_size * 10
    for start in range(0, len(ids), step):
        records, _, _ = driver.execute_query(EXISTING_EVENTS, ids=ids[start:start + step],
                                             database_=database)
        found.update(r["id"] for r in records)
    return found


def counts(driver, database: str = DEFAULT_DATABASE) -> tuple[int, int]:
    """(nodes, relationships) of eventkg's labels and types in the database."""
    with session_errors():
        nodes = sum(r["n"] for r in driver.execute_query(COUNT_NODES, database_=database).records)
        rels = sum(r["n"] for r in
                   driver.execute_query(COUNT_RELATIONSHIPS, database_=database).records)
    return nodes, rels


def clear(driver, database: str = DEFAULT_DATABASE, batch_size: int = 10_000) -> None:
    """Delete every eventkg node and relationship, in batches (tests and `--replace`)."""
    with session_errors():
        for label in NODE_LABELS:
            while True:
                summary = driver.execute_query(
                    f"MATCH (n:{label}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n",
                    limit=batch_size, database_=database)
                if summary.records[0]["n"] == 0:
                    break
