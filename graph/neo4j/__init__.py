"""The Neo4j side of eventkg behind one facade: connect, load a graph, answer queries.

    with Neo4jBackend(Neo4jSettings.from_env()) as backend:
        backend.load(event_graph)          # graph.neo4j.load: schema, batched writes
        backend.who(Filters(...))          # graph.neo4j.queries: the query contract

`connection` opens a verified driver and names what can go wrong (`Neo4jUnavailable`,
`Neo4jAuthError`, `Neo4jQueryError`), which the CLI prints as one line without
credentials; `load` writes the graph and the pair summaries of `pairs`; `queries`
answers with Cypher. The backend offers
the methods of `graph.backend.NetworkxBackend` and gives the same answers.
"""
from __future__ import annotations

from ..types import CountRow, EventRow, Filters, HopRow, MentionRow, PairFilter, PairRow
from . import queries as cypher
from .connection import (DEFAULT_DATABASE, Neo4jAuthError, Neo4jError, Neo4jQueryError,
                         Neo4jSettings, Neo4jUnavailable, connect, mask_uri)
from .load import DocumentIdTooLong, LoadInterrupted, LoadSummary, clear, counts
from .load import load as load_graph

__all__ = ["Neo4jBackend", "Neo4jSettings", "Neo4jError", "Neo4jUnavailable",
           "Neo4jAuthError", "Neo4jQueryError", "DocumentIdTooLong", "LoadInterrupted",
           "LoadSummary", "connect", "mask_uri", "load_graph", "clear", "counts",
           "DEFAULT_DATABASE"]


class Neo4jBackend:
    """Queries answered by a Neo4j server; the driver is opened (and checked) on creation."""

    name = "neo4j"

    def __init__(self, settings: Neo4jSettings, driver=None) -> None:
        self.settings = settings
        self.database = settings.database
        self.driver = driver if driver is not None else connect(settings)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> "Neo4jBackend":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def load(self, graph, **options) -> LoadSummary:
        """Write `graph` (an `EventGraph`) into the database; see `graph.neo4j.load.load`."""
        return load_graph(self.driver, graph, self.database, **options)

    def resolve_actors(self, names) -> tuple[str, ...]:
        return cypher.resolve_actors(self.driver, names, self.database)

    def who(self, filters: Filters, pairs: PairFilter = PairFilter()) -> list[PairRow]:
        return cypher.who(self.driver, filters, pairs, self.database)

    def path(self, a: str, b: str, filters: Filters, max_hops: int = 4,
             limit: int = 5) -> list[HopRow]:
        return cypher.path(self.driver, a, b, filters, max_hops, limit, self.database)

    def timeline(self, actors: tuple[str, ...], filters: Filters) -> list[EventRow]:
        return cypher.timeline(self.driver, actors, filters, self.database)

    def events(self, filters: Filters) -> list[EventRow]:
        return cypher.events(self.driver, filters, self.database)

    def stats(self) -> list[CountRow]:
        return cypher.stats(self.driver, self.database)

    def mentions(self, filters: Filters) -> list[MentionRow]:
        return cypher.mentions(self.driver, filters, self.database)

    def resolve_names(self, text: str) -> tuple[str, ...]:
        return cypher.resolve_names(self.driver, text, self.database)

    def actor_names(self, ids) -> dict[str, str]:
        return cypher.actor_names(self.driver, ids, self.database)
