"""Neo4j connection: open a verified driver and name what can go wrong.

The driver is passed into the loader (`graph.neo4j.load`) and the queries
(`graph.neo4j.queries`); this module only opens it and turns the driver's exceptions into
the graph layer's named errors, which the CLI prints as one line. No message ever holds a
password: user information in a URI is masked (`bolt://***@host`) and the password itself
is scrubbed from any driver text quoted in an error. The driver's own log records are
silenced (its warnings would otherwise print several lines when a server dies).
"""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import GraphError

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"

_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^/@\s]*)@")


class Neo4jError(GraphError):
    """Base class of the Neo4j backend's errors."""


class Neo4jUnavailable(Neo4jError):
    """The server cannot be reached (down, wrong address, connection lost)."""


class Neo4jAuthError(Neo4jError):
    """The server refused the user name or password."""


class Neo4jQueryError(Neo4jError):
    """The server rejected a query or a write (constraint, unknown database, ...)."""


def mask_uri(uri: str) -> str:
    """`uri` with any `user:password@` part replaced by `***@`, for messages."""
    return _USERINFO.sub(lambda m: f"{m['scheme']}***@" if m["userinfo"] else m[0], uri)


def silence_driver_logs() -> None:
    """Keep the driver's log records (connection resets, retries) off stderr: the failure
    that matters reaches the caller as one named error."""
    logger = logging.getLogger("neo4j")
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and as whom to connect; `from_env` fills what options leave out."""

    uri: str = DEFAULT_URI
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
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

    def __repr__(self) -> str:
        return (f"Neo4jSettings(uri={self.shown_uri!r}, user={self.user!r}, "
                f"database={self.database!r})")

    @property
    def shown_uri(self) -> str:
        """The URI as messages may show it (no user information)."""
        return mask_uri(self.uri)

    def scrub(self, text: str) -> str:
        """`text` with the URI masked and the password blanked out."""
        if self.uri and self.uri != self.shown_uri:
            text = text.replace(self.uri, self.shown_uri)
        text = mask_uri(text)
        if self.password:
            text = text.replace(self.password, "***")
        return text


def translate(exc: BaseException, settings: Neo4jSettings | None = None) -> Neo4jError:
    """The named error for a driver exception (one line, no credentials)."""
    from neo4j import exceptions as nx

    settings = settings or Neo4jSettings(uri="")
    where = f" at {settings.shown_uri}" if settings.uri else ""
    if isinstance(exc, nx.AuthError):
        return Neo4jAuthError(f"Neo4j{where} refused the credentials: check NEO4J_USER and "
                              "NEO4J_PASSWORD (or --user/--password)")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, ConnectionError, OSError)):
        return Neo4jUnavailable(f"cannot reach Neo4j{where}: is the server running?")
    if isinstance(exc, nx.Neo4jError):
        return Neo4jQueryError(settings.scrub(
            f"Neo4j refused the request: {exc.code}: {_first_line(exc)}"))
    if isinstance(exc, nx.DriverError):
        return Neo4jUnavailable(settings.scrub(f"Neo4j driver error{where}: {_first_line(exc)}"))
    return Neo4jError(settings.scrub(f"Neo4j error{where}: {_first_line(exc)}"))


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def connect(settings: Neo4jSettings, *, timeout: float = 10.0):
    """A driver whose connection and credentials have been checked."""
    from neo4j import GraphDatabase
    from neo4j import exceptions as nx

    silence_driver_logs()
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                      connection_timeout=timeout,
                                      connection_acquisition_timeout=timeout,
                                      max_transaction_retry_time=timeout,
                                      notifications_min_severity="OFF")
    except (ValueError, nx.ConfigurationError) as exc:
        raise Neo4jUnavailable(settings.scrub(
            f"invalid Neo4j URI {settings.shown_uri!r}: {_first_line(exc)}")) from None
    try:
        driver.verify_connectivity()
    except Exception as exc:
        driver.close()
        raise translate(exc, settings) from None
    return driver


@contextmanager
def session_errors(settings: Neo4jSettings | None = None) -> Iterator[None]:
    """Re-raise driver exceptions inside the block as the named errors."""
    from neo4j import exceptions as nx

    try:
        yield
    except (nx.Neo4jError, nx.DriverError, OSError, BufferError) as exc:
        raise translate(exc, settings) from None
