"""Backends behind the query commands: each offers the same methods and returns the rows of
`graph.types`. The embedded one reads the graph file once and answers from memory."""
from __future__ import annotations

from pathlib import Path

from . import queries
from .store import load
from .types import CountRow, EventRow, Filters, HopRow, PairRow


class NetworkxBackend:
    """Queries over the graph file (`graph.store`), answered by `graph.queries`."""

    name = "networkx"

    def __init__(self, graph_path: Path | str) -> None:
        self.graph = load(graph_path)

    def resolve_actors(self, names) -> tuple[str, ...]:
        return queries.resolve_actors(self.graph, names)

    def who(self, filters: Filters) -> list[PairRow]:
        return queries.who(self.graph, filters)

    def path(self, a: str, b: str, filters: Filters, max_hops: int = 4, limit: int = 5) -> list[HopRow]:
        return queries.path(self.graph, a, b, filters, max_hops, limit)

    def timeline(self, actors: tuple[str, ...], filters: Filters) -> list[EventRow]:
        return queries.timeline(self.graph, actors, filters)

    def events(self, filters: Filters) -> list[EventRow]:
        return queries.events(self.graph, filters)

    def stats(self) -> list[CountRow]:
        return queries.stats(self.graph)
