"""The Neo4j backend behind the query commands: the methods of `NetworkxBackend`, in Cypher.

    backend = Neo4jBackend(Neo4jSettings.from_env())
    backend.who(Filters(...))

Connection errors surface as `Neo4jUnavailable` / `Neo4jAuthError` (see
`graph.neo4j_connection`), which the CLI prints as one line.
"""
from __future__ import annotations

from . import neo4j_queries as cypher
from .neo4j_connection import (Neo4jAuthError, Neo4jError, Neo4jQueryError, Neo4jSettings,
                               Neo4jUnavailable, connect)
from .types import CountRow, EventRow, Filters, HopRow, PairRow

__all__ = ["Neo4jBackend", "Neo4jSettings", "Neo4jError", "Neo4jUnavailable",
           "Neo4jAuthError", "Neo4jQueryError", "connect"]


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

    def resolve_actors(self, names) -> tuple[str, ...]:
        return cypher.resolve_actors(self.driver, names, self.database)

    def who(self, filters: Filters) -> list[PairRow]:
        return cypher.who(self.driver, filters, self.database)

    def path(self, a: str, b: str, filters: Filters, max_hops: int = 4,
             limit: int = 5) -> list[HopRow]:
        return cypher.path(self.driver, a, b, filters, max_hops, limit, self.database)

    def timeline(self, actors: tuple[str, ...], filters: Filters) -> list[EventRow]:
        return cypher.timeline(self.driver, actors, filters, self.database)

    def events(self, filters: Filters) -> list[EventRow]:
        return cypher.events(self.driver, filters, self.database)

    def stats(self) -> list[CountRow]:
        return cypher.stats(self.driver, self.database)
