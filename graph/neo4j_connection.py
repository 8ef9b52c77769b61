"""Neo4j connection: open a verified driver and name what can go wrong.

The driver is passed into the loader (`graph.neo4j_load`) and the queries
(`graph.neo4j_queries`); this module only opens it and turns the driver's exceptions into
the graph layer's named errors, which the CLI prints as one line.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from .errors import GraphError

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"


class Neo4jError(GraphError):
    """Base class of the Neo4j backend's errors."""


class Neo4jUnavailable(Neo4jError):
    """The server cannot be reached (down, wrong address, connection lost)."""


class Neo4jAuthError(Neo4jError):
    """The server refused the user name or password."""


class Neo4jQueryError(Neo4jError):
    """The server rejected a query or a write (constraint, unknown database, ...)."""


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and as whom to connect; `from_env` fills what options leave out."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str = ""
    database: str = DEFAULT_DATABASE

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None,
                 password: str | None = None, database: str | None = None) -> "Neo4jSettings":
        return cls(
            uri=uri or os.environ.get("NEO4J_URI") or DEFAULT_URI,
            user=user or os.environ.get("NEO4J_USER") or DEFAULT_USER,
            password=password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
            database=database or os.environ.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        )


def translate(exc: Exception, settings_uri: str = "") -> Neo4jError:
    """The named error for a driver exception (the message fits on one line)."""
    from neo4j import exceptions as nx

    where = f" at {settings_uri}" if settings_uri else ""
    if isinstance(exc, nx.AuthError):
        return Neo4jAuthError(f"Neo4j{where} refused the credentials: check NEO4J_USER and "
                              "NEO4J_PASSWORD (or --user/--password)")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, ConnectionError, OSError)):
        return Neo4jUnavailable(f"cannot reach Neo4j{where}: is the server running?")
    if isinstance(exc, nx.Neo4jError):
        return Neo4jQueryError(f"Neo4j refused the request: {exc.code}: {_first_line(exc)}")
    if isinstance(exc, nx.DriverError):
        return Neo4jUnavailable(f"Neo4j driver error{where}: {_first_line(exc)}")
    return Neo4jError(f"Neo4j error{where}: {_first_line(exc)}")


def _first_line(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def connect(settings: Neo4jSettings, *, timeout: float = 10.0):
    """A driver whose connection and credentials have been checked."""
    from neo4j import GraphDatabase
    from neo4j import exceptions as nx

    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                      connection_timeout=timeout,
                                      connection_acquisition_timeout=timeout,
                                      max_transaction_retry_time=timeout,
                                      notifications_min_severity="OFF")
    except (ValueError, nx.ConfigurationError) as exc:
        raise Neo4jUnavailable(f"invalid Neo4j URI {settings.uri!r}: {_first_line(exc)}") from None
    try:
        driver.verify_connectivity()
    except Exception as exc:
        driver.close()
        raise translate(exc, settings.uri) from None
    return driver


@contextmanager
def session_errors(uri: str = "") -> Iterator[None]:
    """Re-raise driver exceptions inside the block as the named errors."""
    from neo4j import exceptions as nx

    try:
        yield
    except (nx.Neo4jError, nx.DriverError, OSError) as exc:
        raise translate(exc, uri) from None
