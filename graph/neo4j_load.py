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
are deleted, and so are stale relationships of the events being written, so Neo4j ends up
holding exactly the graph's nodes and edges for those documents.

Labels and relationship types come only from the fixed tuples below; every value is a
query parameter.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from .neo4j_connection import DEFAULT_DATABASE, session_errors

if TYPE_CHECKING:
    from .model import EventGraph

NODE_LABELS = ("Actor", "Event", "Document")
RELATIONSHIP_TYPES = ("PARTICIPATED_IN", "REPORTED_IN")
DEFAULT_BATCH_SIZE = 1000

CONSTRAINTS = tuple(
    f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    for label in NODE_LABELS
)

# One statement per label: the label is spliced from NODE_LABELS only, never from input.
MERGE_NODES = {
    label: f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"
    for label in NODE_LABELS
}
MERGE_PARTICIPATIONS = (
    "UNWIND $rows AS row "
    "MATCH (a:Actor {id: row.actor}) MATCH (e:Event {id: row.event}) "
    "MERGE (a)-[r:PARTICIPATED_IN {role: row.role}]->(e)"
)
MERGE_REPORTS = (
    "UNWIND $rows AS row "
    "MATCH (e:Event {id: row.event}) MATCH (d:Document {id: row.document}) "
    "MERGE (e)-[r:REPORTED_IN {sentence_index: row.sentence_index}]->(d) "
    "SET r.sentence = row.sentence, r.span = row.span, r.evidence = row.evidence"
)
# Relationships of the written events that the graph no longer has.
PRUNE_PARTICIPATIONS = (
    "UNWIND $rows AS row "
    "MATCH (a:Actor)-[r:PARTICIPATED_IN]->(e:Event {id: row.id}) USING INDEX e:Event(id) "
    "WHERE NOT (a.id + '|' + r.role) IN row.participations DELETE r"
)
PRUNE_REPORTS = (
    "UNWIND $rows AS row "
    "MATCH (e:Event {id: row.id})-[r:REPORTED_IN]->(d:Document) USING INDEX e:Event(id) "
    "WHERE NOT (d.id + '|' + toString(r.sentence_index)) IN row.reports DELETE r"
)
EXISTING_EVENTS = "UNWIND $ids AS id MATCH (e:Event {id: id}) RETURN e.id AS id"
EVENTS_OF_DOCUMENTS = (
    "UNWIND $ids AS id MATCH (:Document {id: id})<-[:REPORTED_IN]-(e:Event) "
    "RETURN DISTINCT e.id AS id"
)
DELETE_EVENTS = "UNWIND $ids AS id MATCH (e:Event {id: id}) DETACH DELETE e"
DELETE_LONELY_ACTORS = (
    "MATCH (a:Actor) WHERE NOT (a)--() AND NOT a.id IN $keep DELETE a"
)
COUNT_NODES = "MATCH (n) WHERE n:Actor OR n:Event OR n:Document RETURN count(n) AS n"
COUNT_RELATIONSHIPS = (
    "MATCH ()-[r]->() WHERE type(r) IN ['PARTICIPATED_IN', 'REPORTED_IN'] RETURN count(r) AS n"
)


@dataclass(frozen=True)
class GraphRows:
    """The graph as parameter rows, one tuple per statement."""

    nodes: dict[str, tuple[dict, ...]]
    participations: tuple[dict, ...]
    reports: tuple[dict, ...]
    event_edges: tuple[dict, ...]


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
    participations, reports, event_edges = [], [], []
    for event in sorted(event_graph.events, key=lambda e: e.id):
        roles = sorted({(actor, "actor") for actor in event.actors}
                       | {(target, "target") for target in event.targets})
        participations.extend({"actor": actor, "event": event.id, "role": role}
                              for actor, role in roles)
        cited = []
        for mention_id in event.mention_ids:
            mention = event_graph.mentions[mention_id]
            index = int(mention["sentence_index"])
            reports.append({"event": event.id, "document": mention["doc_id"],
                            "sentence_index": index, "sentence": mention.get("sentence", ""),
                            "span": [int(x) for x in mention.get("span") or ()],
                            "evidence": mention_id == event.evidence_id})
            cited.append(f"{mention['doc_id']}|{index}")
        event_edges.append({"id": event.id,
                            "participations": [f"{actor}|{role}" for actor, role in roles],
                            "reports": sorted(set(cited))})
    return GraphRows({label: tuple(rows) for label, rows in nodes.items()},
                     tuple(participations), tuple(reports), tuple(event_edges))


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
         on_batch: Callable[[str, int], None] | None = None) -> LoadSummary:
    """Write the event graph into Neo4j idempotently; `on_batch(step, rows)` reports progress."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    rows = graph_rows(graph)
    report = on_batch or (lambda step, n: None)
    count = 0

    def write(statement: str, all_rows: Sequence[dict], step: str) -> None:
        nonlocal count
        for batch in batches(all_rows, batch_size):
            driver.execute_query(statement, rows=batch, database_=database)
            count += 1
            report(step, len(batch))

    with session_errors():
        ensure_constraints(driver, database)
        stale = _stale_events(driver, rows, database, batch_size)
        existing = _existing_events(driver, rows, database, batch_size)
        for start in range(0, len(stale), batch_size):
            driver.execute_query(DELETE_EVENTS, ids=stale[start:start + batch_size],
                                 database_=database)
            count += 1
        for label in NODE_LABELS:
            write(MERGE_NODES[label], rows.nodes[label], label)
        # Only events an earlier load wrote can hold relationships the graph no longer has.
        earlier = [row for row in rows.event_edges if row["id"] in existing]
        write(PRUNE_PARTICIPATIONS, earlier, "prune")
        write(PRUNE_REPORTS, earlier, "prune")
        write(MERGE_PARTICIPATIONS, rows.participations, "PARTICIPATED_IN")
        write(MERGE_REPORTS, rows.reports, "REPORTED_IN")
        keep = [r["id"] for r in rows.nodes["Actor"]]
        driver.execute_query(DELETE_LONELY_ACTORS, keep=keep, database_=database)
        nodes, relationships = counts(driver, database)
    return LoadSummary(nodes, relationships, len(stale), count,
                       time.perf_counter() - started)


def _stale_events(driver, rows: GraphRows, database: str, batch_size: int) -> list[str]:
    """Events in Neo4j reported by the graph's documents that the graph no longer holds."""
    current = {row["id"] for row in rows.nodes["Event"]}
    doc_ids = [row["id"] for row in rows.nodes["Document"]]
    stale: set[str] = set()
    for start in range(0, len(doc_ids), batch_size):
        records, _, _ = driver.execute_query(EVENTS_OF_DOCUMENTS,
                                             ids=doc_ids[start:start + batch_size],
                                             database_=database)
        stale.update(r["id"] for r in records if r["id"] not in current)
    return sorted(stale)


def _existing_events(driver, rows: GraphRows, database: str, batch_size: int) -> set[str]:
    ids = [row["id"] for row in rows.nodes["Event"]]
    found: set[str] = set()
    for start in range(0, len(ids), batch_size * 10):
        records, _, _ = driver.execute_query(EXISTING_EVENTS, ids=ids[start:start + batch_size * 10],
                                             database_=database)
        found.update(r["id"] for r in records)
    return found


def counts(driver, database: str = DEFAULT_DATABASE) -> tuple[int, int]:
    """(nodes, relationships) of eventkg's labels and types in the database."""
    with session_errors():
        nodes = driver.execute_query(COUNT_NODES, database_=database).records[0]["n"]
        rels = driver.execute_query(COUNT_RELATIONSHIPS, database_=database).records[0]["n"]
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
