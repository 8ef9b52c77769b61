"""The graph file: one file of JSON lines, written atomically, guarded by a lock file.

Line 1 is the header `{"format": "eventkg-graph", "version": 1, "documents": [...],
"actors": [...], "events": {"fields": [...], "rows": [[...], ...]}, "index": {"tags": {tag:
[event positions]}, "actors": {...}}, "mentions": N}`; then come N lines, one mention each
(the JSON form of `extract.records.Event`). Every mention is kept, so merging can be
redone when documents change, and every document keeps its content hash, so unchanged
ones are skipped. Merged events are stored, so loading needs no merge, and the mention
lines are decoded only when something needs them (queries do not).
"""
from __future__ import annotations

import fcntl
import gc
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import orjson

from .errors import GraphFileError
from .model import EventGraph, MergedEvent, collector_paused

FORMAT = "eventkg-graph"
VERSION = 1
DEFAULT_GRAPH = "eventkg.json"


def default_graph_path() -> Path:
    """`$EVENTKG_GRAPH`, else `eventkg.json` in the current folder."""
    return Path(os.environ.get("EVENTKG_GRAPH") or DEFAULT_GRAPH)


def to_payload(g: EventGraph) -> dict:
    """The whole graph as plain data (what the file holds, mentions decoded)."""
    return {**_header(g), "mentions": list(g.mentions.values())}


def _header(g: EventGraph) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "documents": list(g.documents.values()),
        "actors": list(g.actors.values()),
        "events": {"fields": list(MergedEvent._fields), "rows": [tuple(e) for e in g.events]},
        "index": g.indexes(),
        "mentions": g.mention_count,
    }


def from_payload(payload: object, where: str = "graph", mention_lines: bytes | None = None) -> EventGraph:
    """A graph from `to_payload` data, or from a file header plus its mention lines."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise GraphFileError(f"{where} is not an eventkg graph file")
    if payload.get("version") != VERSION:
        raise GraphFileError(f"{where} has graph format version {payload.get('version')!r}, "
                             f"this program reads version {VERSION}")
    try:
        documents = {d["id"]: d for d in payload["documents"]}
        events = _events(payload["events"], where)
        actors = {a["id"]: a for a in payload["actors"]}
        mentions = payload["mentions"]
        if mention_lines is None:
            return EventGraph(documents, {m["id"]: m for m in mentions}, events, actors)
    except (KeyError, TypeError) as exc:
        raise GraphFileError(f"{where} is damaged: missing or malformed field {exc}") from None
    if not isinstance(mentions, int) or mention_lines.count(b"\n") != mentions:
        raise GraphFileError(f"{where} is damaged: it should hold {mentions!r} mention lines")
    indexes = payload.get("index")
    if not isinstance(indexes, dict) or not all(isinstance(indexes.get(k), dict) for k in ("tags", "actors")):
        indexes = None
    return EventGraph(documents, None, events, actors, mention_lines=mention_lines,
                      mention_count=mentions, indexes=indexes)


def _events(stored: dict, where: str) -> list[MergedEvent]:
    if list(stored["fields"]) != list(MergedEvent._fields):
        raise GraphFileError(f"{where} stores events with other fields than this program knows")
    make = MergedEvent.from_row
    return [make(row) for row in stored["rows"]]


def load(path: Path | str) -> EventGraph:
    """Read a graph file; GraphFileError when it is missing, unreadable or damaged.

    Everything read is frozen out of the cyclic collector's sight: the graph lives as long
    as the process and would otherwise be rescanned on every later collection.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GraphFileError(f"graph file {path} not found (run `eventkg build` first)") from None
    except IsADirectoryError:
        raise GraphFileError(f"graph file {path} is a directory") from None
    except OSError as exc:
        raise GraphFileError(f"cannot read graph file {path}: {exc.strerror}") from None
    header, _, lines = data.partition(b"\n")
    with collector_paused():
        try:
            payload = orjson.loads(header)
        except orjson.JSONDecodeError as exc:
            raise GraphFileError(f"graph file {path} is not valid JSON ({exc})") from None
        g = from_payload(payload, f"graph file {path}", lines)
    gc.freeze()
    return g


def save(g: EventGraph, path: Path | str) -> int:
    """Write atomically (temporary file, fsync, rename); returns the bytes written."""
    path = Path(path)
    with collector_paused():
        header = orjson.dumps(_header(g))
        lines = g.raw_mention_lines
        if lines is None:
            lines = b"".join(orjson.dumps(m) + b"\n" for m in g.mentions.values())
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise GraphFileError(f"cannot write graph file {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(header)
            out.write(b"\n")
            out.write(lines)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    return len(header) + 1 + len(lines)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def locked(path: Path | str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `<path>.lock` (waits for another build to finish)."""
    lock_path = Path(f"{path}.lock")
    try:
        handle = open(lock_path, "a+b")
    except OSError as exc:
        raise GraphFileError(f"cannot create lock file {lock_path}: {exc.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"waiting for another build to release {lock_path}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
