"""The graph store: one SQLite file (default `eventkg.db`), plus safe file replacement.

Tables (schema version `SCHEMA_VERSION`, kept in `PRAGMA user_version`; the file is marked
as an eventkg graph by `PRAGMA application_id`):

- `documents(id, content_hash, published, title, url, source, record)`: `record` is the
  document's whole JSON record, so fields added later survive a round trip;
- `mentions(id, doc_id, block, event, data)`: every mention as the JSON form of
  `extract.records.Event` (`data`), its re-merge unit (`block`, a digest of
  `merge.block_key`) and the merged event it belongs to (`event`);
- `mention_actors(actor, mention, name, kind)`: who each mention names, so an actor's
  name can be re-chosen when mentions change (the one from the smallest mention id);
- `events(id, block, sort_start, ... every `MergedEvent` field ..., type, mentions)`;
- `participation(actor, event, role)`, `event_tags(tag, event, start)` (the start
  again, so a tag and a date range are one index range) and `event_pairs(event,
  a, b)` (each pair of participants, `a < b`: what `who` and `path` group by);
- `actors(id, name, kind)`.

Indexes serve the query paths: participation by actor, event_tags by tag, events by
start, by (plover, mode), by block and in graph order (`sort_start`, `id`). The file is
in WAL mode; writers take the write lock with `BEGIN IMMEDIATE` and wait for each other
(`busy_timeout`), readers never wait.

`load(path)` returns the whole graph as an `EventGraph` (for the Neo4j loader and the
tests); queries never do that, see `graph.backend`. Old JSON-lines graphs (format 1 of
`eventkg.json`) are still read by `load` and imported by `import_json_graph`.
"""
from __future__ import annotations

import errno
import hashlib
import os
import signal
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import orjson

from .errors import GraphFileError
from .model import EventGraph, MergedEvent, collector_paused
from .types import event_type

try:  # the merge module names its re-merge unit; until it does, the merge key is one
    from .merge import block_key
except ImportError:  # pragma: no cover - depends on the merge module's version
    from .merge import merge_key as block_key

DEFAULT_GRAPH = "eventkg.db"
SCHEMA_VERSION = 2
APPLICATION_ID = 0x45564B47  # "EVKG"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15 * 60 * 1000  # a build waits this long for another build's batch

# The old JSON-lines file (what `eventkg.json` held before the SQLite store).
JSON_FORMAT = "eventkg-graph"
JSON_VERSION = 1

SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, content_hash TEXT, published TEXT, title TEXT, url TEXT,
    source TEXT, record TEXT NOT NULL);
CREATE TABLE mentions (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, block TEXT NOT NULL, event TEXT,
    data TEXT NOT NULL);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_block ON mentions(block);
CREATE INDEX mentions_event ON mentions(event);
CREATE TABLE mention_actors (
    actor TEXT NOT NULL, mention TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY (actor, mention)) WITHOUT ROWID;
CREATE INDEX mention_actors_mention ON mention_actors(mention);
CREATE TABLE events (
    id TEXT PRIMARY KEY, block TEXT NOT NULL, sort_start TEXT NOT NULL,
    plover TEXT NOT NULL, mode TEXT NOT NULL, cameo TEXT NOT NULL, tags TEXT NOT NULL,
    trigger TEXT NOT NULL, label TEXT NOT NULL, start TEXT, "end" TEXT,
    granularity TEXT NOT NULL, status TEXT NOT NULL, location TEXT,
    location_name TEXT NOT NULL, actors TEXT NOT NULL, targets TEXT NOT NULL,
    mention_ids TEXT NOT NULL, evidence_id TEXT NOT NULL, evidence TEXT NOT NULL,
    evidence_doc TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
    mentions INTEGER NOT NULL);
CREATE INDEX events_block ON events(block);
CREATE INDEX events_start ON events(start);
CREATE INDEX events_type ON events(plover, mode);
CREATE INDEX events_order ON events(sort_start, id);
CREATE TABLE participation (
    actor TEXT NOT NULL, event TEXT NOT NULL, role TEXT NOT NULL,
    PRIMARY KEY (actor, event, role)) WITHOUT ROWID;
CREATE INDEX participation_event ON participation(event);
CREATE TABLE event_pairs (
    event TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
    PRIMARY KEY (event, a, b)) WITHOUT ROWID;
CREATE TABLE event_tags (
    tag TEXT NOT NULL, event TEXT NOT NULL, start TEXT,
    PRIMARY KEY (tag, event)) WITHOUT ROWID;
CREATE INDEX event_tags_event ON event_tags(event);
CREATE INDEX event_tags_start ON event_tags(tag, start);
CREATE TABLE actors (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);
"""
TABLES = ("documents", "mentions", "mention_actors", "events", "participation", "event_pairs",
          "event_tags", "actors")
EVENT_COLUMNS = ("id", "block", "sort_start", *MergedEvent._fields[1:], "type", "mentions")
_JSON_FIELDS = {"tags", "actors", "targets", "mention_ids"}


def default_graph_path() -> Path:
    """`$EVENTKG_GRAPH`, else `eventkg.db` in the current folder."""
    return Path(os.environ.get("EVENTKG_GRAPH") or DEFAULT_GRAPH)


# -- opening ----------------------------------------------------------------------------------
def file_kind(path: Path) -> str:
    """"sqlite", "json" (an old JSON-lines graph), "empty" or "other"; GraphFileError when
    the file cannot be read at all."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise GraphFileError(f"graph file {path} not found (run `eventkg build` first)") from None
    except IsADirectoryError:
        raise GraphFileError(f"graph file {path} is a directory") from None
    except OSError as exc:
        raise GraphFileError(f"cannot read graph file {path}: {exc.strerror}") from None
    if not head:
        return "empty"
    if head == SQLITE_MAGIC:
        return "sqlite"
    return "json" if head.lstrip()[:1] == b"{" else "other"


def connect(path: Path | str, *, write: bool = False) -> sqlite3.Connection:
    """An open connection to an existing eventkg database (schema checked).

    GraphFileError, naming the file, when it is missing, not an SQLite file, another
    program's database, a newer or unknown schema, or damaged."""
    path = Path(path)
    kind = file_kind(path)
    if kind == "json":
        raise GraphFileError(f"graph file {path} is an old JSON graph: import it with "
                             f"`eventkg import-graph {path}` (or `eventkg build ... --graph {path}`)")
    if kind != "sqlite":
        raise GraphFileError(f"graph file {path} is {'empty' if kind == 'empty' else 'not an SQLite database'}, "
                             "not an eventkg graph")
    mode = "rw" if write or os.access(path, os.W_OK) else "ro"
    try:
        db = sqlite3.connect(f"{_uri(path)}?mode={mode}", uri=True, isolation_level=None,
                             timeout=BUSY_TIMEOUT_MS / 1000 if write else 5.0,
                             check_same_thread=False)
    except sqlite3.Error as exc:
        raise GraphFileError(f"cannot open graph file {path}: {exc}") from None
    try:
        check_schema(db, path)
        if write:
            tune_for_writing(db)
    except BaseException:
        db.close()
        raise
    return db


def tune_for_writing(db: sqlite3.Connection) -> None:
    """A bigger page cache for the index updates of a batch; in WAL mode, NORMAL
    synchronisation still keeps every committed batch when the process is killed."""
    db.execute("PRAGMA cache_size = -262144")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA temp_store = MEMORY")


def _uri(path: Path) -> str:
    from urllib.parse import quote

    return "file:" + quote(str(Path(os.path.realpath(path))))


def check_schema(db: sqlite3.Connection, path: Path) -> None:
    try:
        application = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise GraphFileError(f"graph file {path} is damaged or not an eventkg graph: {exc}") from None
    if application != APPLICATION_ID:
        raise GraphFileError(f"graph file {path} is an SQLite database but not an eventkg graph")
    if version > SCHEMA_VERSION:
        raise GraphFileError(f"graph file {path} has graph schema version {version}, this program "
                             f"reads version {SCHEMA_VERSION}: upgrade eventkg")
    if version != SCHEMA_VERSION:
        raise GraphFileError(f"graph file {path} has unknown graph schema version {version} "
                             f"(this program reads version {SCHEMA_VERSION})")
    missing = [t for t in TABLES if t not in tables]
    if missing:
        raise GraphFileError(f"graph file {path} is damaged: table {missing[0]} is missing")


def create(path: Path) -> sqlite3.Connection:
    """A new, empty eventkg database at `path` (which must not exist yet). A write-ahead log
    left beside it by a deleted database is removed first: SQLite would replay it into the new
    file and find it damaged."""
    if not Path(path).exists():
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                         check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("BEGIN IMMEDIATE")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        _create_tables(db)
        db.execute("COMMIT")
    except BaseException:
        db.close()
        raise
    return db


def _create_tables(db: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


@contextmanager
def damage_reported(path: Path | str) -> Iterator[None]:
    """Turn what a damaged or hand-edited database raises into one GraphFileError line."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "disk is full" in text or "disk I/O" in text:
            raise GraphFileError(f"cannot write graph file {path}: {text}") from None
        if "locked" in text or "busy" in text:
            raise GraphFileError(f"graph file {path} is locked by another program: {text}") from None
        if "readonly" in text or "read-only" in text:
            raise GraphFileError(f"graph file {path} is read-only: {text}") from None
        raise GraphFileError(f"graph file {path} is damaged: {text}") from None
    except sqlite3.Error as exc:
        raise GraphFileError(f"graph file {path} is damaged: {exc}") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        raise GraphFileError(f"graph file {path} is damaged: bad stored value "
                             f"({type(exc).__name__}: {str(exc)[:120]})") from None


# -- rows -------------------------------------------------------------------------------------
def block_id(mention: dict) -> str:
    """A short, stable digest of the mention's block key (the unit of re-merge)."""
    key = block_key(mention)
    try:  # tuples of strings, as merge keys are, need no canonical form
        key = orjson.dumps(key) if all(isinstance(part, (str, tuple)) for part in key) else None
    except TypeError:
        key = None
    if key is None:
        key = orjson.dumps(_canonical(block_key(mention)))
    return hashlib.sha1(key).hexdigest()[:16]


def _canonical(value):
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def sort_start(start: str | None) -> str:
    """The graph-order key of an event start (undated events last)."""
    return start or "9999"


def event_row(event: MergedEvent, block: str) -> tuple:
    (id_, plover, mode, cameo, tags, trigger, label, start, end, granularity, status, location,
     location_name, actors, targets, mention_ids, *rest) = event
    dumps = orjson.dumps
    return (id_, block, start or "9999", plover, mode, cameo, dumps(tags).decode(), trigger, label,
            start, end, granularity, status, location, location_name, dumps(actors).decode(),
            dumps(targets).decode(), dumps(mention_ids).decode(), *rest,
            event_type(plover, tags), len(mention_ids))


def event_from_row(row) -> MergedEvent:
    """A `MergedEvent` from an `events` row read as `EVENT_SELECT`."""
    (id_, plover, mode, cameo, tags, trigger, label, start, end, granularity, status, location,
     location_name, actors, targets, mention_ids, evidence_id, evidence, evidence_doc, name) = row
    return MergedEvent(id_, plover, mode, cameo, tuple(orjson.loads(tags)), trigger, label, start,
                       end, granularity, status, location, location_name,
                       tuple(orjson.loads(actors)), tuple(orjson.loads(targets)),
                       tuple(orjson.loads(mention_ids)), evidence_id, evidence, evidence_doc, name)


EVENT_COLUMN_LIST = ", ".join(f'e."{c}"' for c in EVENT_COLUMNS)
EVENT_SELECT = ", ".join(f'e."{name}"' for name in MergedEvent._fields)
INSERT_EVENT = (f"INSERT OR REPLACE INTO events ({', '.join(chr(34) + c + chr(34) for c in EVENT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})")


def mention_actor_rows(mention: dict) -> list[tuple[str, str, str, str]]:
    """(actor, mention, name, kind) for each actor a mention names, first naming kept."""
    rows, seen = [], set()
    for group in (mention["actors"], mention.get("targets") or ()):
        for actor in group:
            if actor["id"] not in seen:
                seen.add(actor["id"])
                rows.append((actor["id"], mention["id"], actor.get("name") or actor["id"],
                             actor.get("kind") or "country"))
    return rows


def document_row(record: dict) -> tuple:
    return (record["id"], record.get("content_hash"), record.get("published"), record.get("title"),
            record.get("url"), record.get("source"), orjson.dumps(record).decode())


def write_events(db: sqlite3.Connection, events: Iterable[MergedEvent], blocks: dict[str, str],
                 rows: dict[str, tuple] | None = None) -> int:
    """Insert merged events with their participation, tags and mention links; `blocks`
    maps a mention id to its block (`rows`: their `event_row`s when the caller has them)."""
    rows_out, roles, tags, links, pairs = [], [], [], [], []
    for event in events:
        rows_out.append(rows[event.id] if rows is not None else event_row(event, blocks[event.mention_ids[0]]))
        for actor in event.actors:
            roles.append((actor, event.id, "actor"))
        for target in event.targets:
            roles.append((target, event.id, "target"))
        tags.extend((tag, event.id, event.start) for tag in set(event.tags))
        people = sorted(set(event.actors) | set(event.targets))
        pairs.extend((event.id, a, b) for i, a in enumerate(people) for b in people[i + 1:])
        links.extend((event.id, mention_id) for mention_id in event.mention_ids)
    db.executemany(INSERT_EVENT, rows_out)
    db.executemany("INSERT OR IGNORE INTO participation VALUES (?, ?, ?)", roles)
    db.executemany("INSERT OR IGNORE INTO event_tags VALUES (?, ?, ?)", tags)
    db.executemany("INSERT OR IGNORE INTO event_pairs VALUES (?, ?, ?)", pairs)
    db.executemany("UPDATE mentions SET event = ? WHERE id = ?", links)
    return len(rows_out)


# -- whole graphs -----------------------------------------------------------------------------
def load(path: Path | str) -> EventGraph:
    """The whole graph in memory; GraphFileError when the file is missing or damaged.

    Reads the SQLite store, and also an old JSON graph file (so older files still load)."""
    path = Path(path)
    if file_kind(path) == "json":
        return load_json(path)
    db = connect(path)
    try:
        with damage_reported(path), collector_paused():
            documents = {row[0]: orjson.loads(row[1]) for row in
                         db.execute("SELECT id, record FROM documents ORDER BY id")}
            mentions = {row[0]: orjson.loads(row[1]) for row in
                        db.execute("SELECT id, data FROM mentions ORDER BY id")}
            events = [event_from_row(row) for row in db.execute(
                f"SELECT {EVENT_SELECT} FROM events e ORDER BY e.sort_start, e.id")]
            actors = {row[0]: {"id": row[0], "name": row[1], "kind": row[2]} for row in
                      db.execute("SELECT id, name, kind FROM actors ORDER BY id")}
    finally:
        db.close()
    return EventGraph(documents, mentions, events, actors)


def save(g: EventGraph, path: Path | str) -> int:
    """Write `g` as a new database that atomically replaces `path`; returns its size in bytes."""
    path = Path(path)
    with replaced_file(path, what="graph file") as temporary:
        Path(temporary).unlink()
        db = create(Path(temporary))
        try:
            with damage_reported(path):
                db.execute("BEGIN IMMEDIATE")
                write_graph(db, g)
                db.execute("COMMIT")
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
        size = os.path.getsize(temporary)
    return size


def write_graph(db: sqlite3.Connection, g: EventGraph) -> None:
    """Every row of `g` into an empty database (inside the caller's transaction)."""
    mentions = g.mentions
    db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (document_row(d) for d in g.documents.values()))
    blocks = {}
    rows, named = [], []
    for mention in mentions.values():
        blocks[mention["id"]] = block = block_id(mention)
        rows.append((mention["id"], mention["doc_id"], block, orjson.dumps(mention).decode()))
        named.extend(mention_actor_rows(mention))
    db.executemany("INSERT OR IGNORE INTO mentions (id, doc_id, block, data) VALUES (?, ?, ?, ?)", rows)
    db.executemany("INSERT OR IGNORE INTO mention_actors VALUES (?, ?, ?, ?)", named)
    events = g.events
    if any(not (e.evidence or e.evidence_doc) for e in events):  # graphs of older files
        events = [e if e.evidence or e.evidence_doc or e.evidence_id not in mentions else
                  e._replace(evidence=mentions[e.evidence_id].get("sentence", ""),
                             evidence_doc=mentions[e.evidence_id].get("doc_id", "")) for e in events]
    try:
        write_events(db, events, blocks)
    except KeyError as exc:
        raise GraphFileError(f"the graph names mention {exc} that it does not hold") from None
    db.executemany("INSERT OR REPLACE INTO actors VALUES (?, ?, ?)",
                   ((a["id"], a.get("name") or a["id"], a.get("kind") or "country") for a in g.actors.values()))


# -- the old JSON-lines file ------------------------------------------------------------------
def to_payload(g: EventGraph) -> dict:
    """The whole graph as plain data (what the old JSON file held, mentions decoded)."""
    return {"format": JSON_FORMAT, "version": JSON_VERSION,
            "documents": list(g.documents.values()), "actors": list(g.actors.values()),
            "events": {"fields": list(MergedEvent._fields), "rows": [tuple(e) for e in g.events]},
            "mentions": list(g.mentions.values())}


def from_payload(payload: object, where: str = "graph", mention_lines: bytes | None = None) -> EventGraph:
    """A graph from `to_payload` data, or from an old file's header plus its mention lines."""
    if not isinstance(payload, dict) or payload.get("format") != JSON_FORMAT:
        raise GraphFileError(f"{where} is not an eventkg graph file")
    if payload.get("version") != JSON_VERSION:
        raise GraphFileError(f"{where} has graph format version {payload.get('version')!r}, "
                             f"this program reads version {JSON_VERSION}")
    try:
        documents = {d["id"]: d for d in payload["documents"]}
        stored = payload["events"]
        fields = list(stored["fields"])
        if fields != list(MergedEvent._fields)[:len(fields)] or len(fields) < 17:
            raise GraphFileError(f"{where} stores events with other fields than this program knows")
        events = [MergedEvent.from_row(list(row)) for row in stored["rows"]]
        actors = {a["id"]: a for a in payload["actors"]}
        mentions = payload["mentions"]
        if mention_lines is not None:
            if not isinstance(mentions, int) or mention_lines.count(b"\n") != mentions:
                raise GraphFileError(f"{where} is damaged: it should hold {mentions!r} mention lines")
            body = mention_lines.strip(b"\n")
            mentions = orjson.loads(b"[" + body.replace(b"\n", b",") + b"]") if body else []
        return EventGraph(documents, {m["id"]: m for m in mentions}, events, actors)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GraphFileError(f"{where} is damaged: missing or malformed field {exc}") from None


def load_json(path: Path | str) -> EventGraph:
    """Read an old JSON-lines graph file (header line, then one mention per line)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GraphFileError(f"cannot read graph file {path}: {exc.strerror}") from None
    header, _, lines = data.partition(b"\n")
    with collector_paused():
        try:
            payload = orjson.loads(header)
        except orjson.JSONDecodeError as exc:
            raise GraphFileError(f"graph file {path} is not valid JSON ({exc})") from None
        return from_payload(payload, f"graph file {path}", lines)


def import_json_graph(source: Path | str, target: Path | str) -> EventGraph:
    """Convert an old JSON graph file into a new database at `target` (atomically)."""
    source, target = Path(source), Path(target)
    if file_kind(source) != "json":
        raise GraphFileError(f"{source} is not an old JSON graph file")
    if target.exists():
        raise GraphFileError(f"{target} exists already: remove it or name another --graph")
    g = load_json(source)
    save(g, target)
    return g


# -- safe replacement of files ----------------------------------------------------------------
TEMPORARY_MARK = ".eventkg-tmp"


def real_target(path: Path) -> Path:
    """Where a write to `path` lands: a symlink is followed to the file it names."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_writable(path: Path, what: str) -> None:
    """GraphFileError-style refusal of a read-only target or folder."""
    error = GraphFileError if what == "graph file" else _export_error
    if path.exists():
        if path.is_dir():
            raise error(f"cannot write {what} {path}: it is a directory")
        mode = path.stat().st_mode
        if not mode & 0o222 or not os.access(path, os.W_OK):
            raise error(f"{what} {path} is read-only: not overwritten (change its mode first)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise error(f"cannot write {what} {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise error(f"cannot write {what} {path}: folder {folder} is not writable")


def _export_error(message: str):
    from .errors import ExportError

    return ExportError(message)


def remove_orphans(path: Path) -> int:
    """Delete temporaries that killed runs left beside `path` (their process is gone)."""
    folder = path.parent if str(path.parent) else Path(".")
    removed = 0
    try:
        candidates = list(folder.glob(f".{path.name}.*{TEMPORARY_MARK}*"))
    except OSError:
        return 0
    for candidate in candidates:
        pid = candidate.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                candidate.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def replaced_file(path: Path | str, what: str = "file") -> Iterator[str]:
    """Yield a temporary file name beside `path`'s real file; on success it replaces the
    target atomically (fsync, rename, directory fsync) keeping the target's mode.

    A read-only target is refused; the temporary is removed on any failure, SIGTERM
    included, and orphans of killed runs are removed first. OSError becomes one line."""
    from .errors import ExportError

    error = GraphFileError if what == "graph file" else ExportError
    target = real_target(Path(path))
    check_writable(target, what)
    remove_orphans(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.",
                                             suffix=TEMPORARY_MARK, dir=folder)
        os.close(handle)
    except OSError as exc:
        raise error(f"cannot write {what} {path}: {exc.strerror}") from None
    try:
        with _terminate_as_exit():
            yield temporary
            mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
            os.chmod(temporary, mode)
            _fsync(temporary)
            os.replace(temporary, target)
        _fsync_directory(folder)
    except OSError as exc:
        raise error(f"cannot write {what} {path}: {_reason(exc)}") from None
    finally:
        for leftover in (temporary, f"{temporary}-wal", f"{temporary}-shm", f"{temporary}-journal"):
            try:
                os.unlink(leftover)
            except OSError:
                pass


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    return exc.strerror or str(exc)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync(name: str) -> None:
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
def _terminate_as_exit() -> Iterator[None]:
    """While a temporary exists, SIGTERM unwinds like Ctrl-C so `finally` removes it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
