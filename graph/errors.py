"""Named errors of the graph layer; the CLI turns each into one stderr line and exit 1."""
from __future__ import annotations


class GraphError(Exception):
    """Base class: something the user can fix (a bad argument, a bad file)."""


class UnknownActor(GraphError):
    """A query names an actor that no alias resolves, or that the graph does not hold."""


class NoPath(GraphError):
    """No chain of events links the two actors within the hop limit."""


class BadFilter(GraphError):
    """A filter value cannot be understood: a bad date, an unknown WHAT."""


class GraphFileError(GraphError):
    """The graph file is missing, unreadable or not a graph this program wrote."""


class GraphLocked(GraphError):
    """Another build holds the lock on the graph file."""


class ExportError(GraphError):
    """An export cannot be written: unknown format or view, or an unwritable path."""


class BuildError(GraphError):
    """A build has nothing to work on (no readable document)."""


class BuildInterrupted(GraphError):
    """A build stopped on request (Ctrl-C) after committing every document it had read."""

    def __init__(self, documents: int, graph: str) -> None:
        super().__init__(f"interrupted: {documents} documents finished before it are kept in {graph}; "
                         "run the same build again to finish the rest")
        self.documents = documents
        self.graph = graph
