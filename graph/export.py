"""Exports for Gephi and scripts: GraphML, GEXF 1.3 (dynamic), node-link JSON, CSV.

Views: `events` is the stored graph (Actor, Event and Document nodes, PARTICIPATED_IN and
REPORTED_IN edges); `actors` is derived from it, one weighted edge per pair of actors that
took part in matching events together, with the first/last date and the event types.

Exports read the SQLite store and stream: elements come from SQL a row at a time and are
written as they come (GraphML, GEXF and JSON make two passes, the first only to learn
which attributes occur and their types), so memory stays flat whatever the graph's size.
Only the standard library writes XML. Every file is written to a temporary beside the
target and renamed over it (`graph.store.replaced_file`).

Cleaning: XML 1.0 cannot hold some characters. Attribute values lose them; node ids
instead escape them (and the backslash) as `\\xHH`/`\\uHHHH`/`\\\\`, so two ids that differ
only there (`dup`, `dup\\x01`) stay two nodes. CSV cells that a spreadsheet would run as
a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`.
"""
from __future__ import annotations

import csv
import json
import re
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx
import orjson

from . import store
from .errors import ExportError
from .model import ACTOR, DOCUMENT, EVENT, PARTICIPATED_IN, REPORTED_IN, EventGraph
from .types import EventRow, Filters, csv_cell, event_type, row_dict, row_fields

VIEWS = ("events", "actors")
FORMATS = (".graphml", ".gexf", ".json", ".csv")
LIST_SEPARATOR = "; "
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ID_ESCAPE = re.compile("[\\\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Node = tuple[str, dict]
Edge = tuple[str, str, str, dict]  # source, target, key, attributes


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold."""
    return _XML_ILLEGAL.sub("", value)


def xml_id(value: str) -> str:
    """`value` with the characters XML cannot hold escaped, injectively (ids stay distinct)."""
    if not _ID_ESCAPE.search(value):
        return value

    def escape(match: re.Match) -> str:
        char = match.group()
        if char == "\\":
            return "\\\\"
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _ID_ESCAPE.sub(escape, value)


def scalar(value):
    """A GraphML/GEXF-safe value: bool/int/float/str, dates as ISO, lists joined, None dropped."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return xml_text(LIST_SEPARATOR.join(str(scalar(v)) for v in items if v is not None))
    return xml_text(str(value))


def _scalar_attrs(data: dict) -> dict:
    out = {}
    for name, value in data.items():
        clean = scalar(value)
        if clean is not None:
            out["entity_id" if name == "id" else name] = clean
    return out


# -- elements from the store ------------------------------------------------------------------
class Elements:
    """One view of a graph as re-iterable node and edge streams (raw attribute values)."""

    def __init__(self, directed: bool, multigraph: bool, nodes: Callable[[], Iterator[Node]],
                 edges: Callable[[], Iterator[Edge]]) -> None:
        self.directed, self.multigraph = directed, multigraph
        self.nodes, self.edges = nodes, edges

    def to_networkx(self):
        graph = (nx.MultiDiGraph() if self.multigraph else nx.DiGraph()) if self.directed else \
            (nx.MultiGraph() if self.multigraph else nx.Graph())
        for node, data in self.nodes():
            graph.add_node(node, **data)
        for u, v, key, data in self.edges():
            if self.multigraph:
                graph.add_edge(u, v, key=key, **data)
            else:
                graph.add_edge(u, v, **data)
        return graph


def _chosen(db: sqlite3.Connection, filters: Filters, any_status: bool) -> None:
    """Fill the temporary table `chosen` with the ids of the events to export."""
    from .backend import event_filter

    where, params = event_filter(filters, any_status=any_status)
    db.execute("CREATE TEMP TABLE IF NOT EXISTS chosen (id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM chosen")
    db.execute(f"INSERT OR IGNORE INTO chosen SELECT e.id FROM events e WHERE {where}", params)


def events_elements(db: sqlite3.Connection, filters: Filters = Filters()) -> Elements:
    """The stored graph: actors and documents of the chosen events, the events, and one
    edge per participation and per mention (documents without events are left out)."""
    _chosen(db, filters, any_status=True)
    corrected = _corrected_events(db)

    def nodes() -> Iterator[Node]:
        for actor_id, name, kind in db.execute(
                "SELECT a.id, a.name, a.kind FROM actors a WHERE a.id IN (SELECT p.actor FROM "
                "participation p JOIN chosen c ON c.id = p.event) ORDER BY a.id"):
            yield f"actor:{actor_id}", {"type": ACTOR, "id": actor_id, "name": name, "kind": kind,
                                        "label": name}
        for doc_id, title, url, published in db.execute(
                "SELECT d.id, d.title, d.url, d.published FROM documents d WHERE d.id IN (SELECT "
                "m.doc_id FROM mentions m JOIN chosen c ON c.id = m.event) ORDER BY d.id"):
            yield f"doc:{doc_id}", {"type": DOCUMENT, "id": doc_id, "title": title or "", "url": url or "",
                                    "published": published, "label": title or doc_id}
        for row in db.execute(
                'SELECT e.id, e.plover, e.mode, e.cameo, e.tags, e.trigger, e.start, e."end", '
                "e.granularity, e.status, e.location, e.mentions, e.name FROM events e "
                "JOIN chosen c ON c.id = e.id ORDER BY e.sort_start, e.id"):
            (event_id, plover, mode, cameo, tags, trigger, start, end, granularity, status,
             location, mentions, name) = row
            tags = orjson.loads(tags)
            yield f"event:{event_id}", {
                "type": EVENT, "id": event_id, "plover": plover, "mode": mode, "cameo": cameo,
                "tags": tags, "trigger": trigger,
                "label": f"{event_type(plover, tags)} {start or ''}".strip(), "start": start,
                "end": end, "granularity": granularity, "status": status, "location": location,
                "mentions": mentions, "name": name, "correction": corrected.get(event_id, "")}

    def edges() -> Iterator[Edge]:
        for actor_id, event_id, role in db.execute(
                "SELECT p.actor, p.event, p.role FROM participation p JOIN chosen c ON c.id = p.event "
                "ORDER BY p.event, p.role, p.actor"):
            yield (f"actor:{actor_id}", f"event:{event_id}", f"{PARTICIPATED_IN}:{role}:{actor_id}",
                   {"relation": PARTICIPATED_IN, "role": role})
        for event_id, doc_id, mention_id, index, sentence, span in db.execute(
                "SELECT m.event, m.doc_id, m.id, json_extract(m.data, '$.sentence_index'), "
                "json_extract(m.data, '$.sentence'), json_extract(m.data, '$.span') FROM mentions m "
                "JOIN chosen c ON c.id = m.event ORDER BY m.event, m.id"):
            yield (f"event:{event_id}", f"doc:{doc_id}", f"{REPORTED_IN}:{mention_id}",
                   {"relation": REPORTED_IN, "sentence_index": index, "sentence": sentence,
                    "span": orjson.loads(span) if span else []})

    return Elements(True, True, nodes, edges)


def _corrected_events(db: sqlite3.Connection) -> dict[str, str]:
    """Event id -> "added" / "fixed" for events an analyst's corrections touched (see
    `graph.corrections`)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'corrections_applied'").fetchone() is None:
        return {}
    found: dict[str, set[str]] = {}
    for event_id, mark in db.execute(
            "SELECT m.event, json_extract(m.data, '$.correction') FROM mentions m "
            "JOIN corrections_applied c ON c.mention = m.id WHERE m.event IS NOT NULL"):
        if mark:
            found.setdefault(event_id, set()).add(mark)
    return {event_id: ",".join(sorted(marks)) for event_id, marks in found.items()}


def actors_elements(db: sqlite3.Connection, filters: Filters = Filters(), where: Path | str = "graph") -> Elements:
    """Actor-actor graph: weight = events together; first/last start date; event types.

    Small (one row per pair), so it is computed once and held."""
    from .backend import EmbeddedBackend

    backend = EmbeddedBackend.on(db, where)
    pairs = sorted(backend._pairs(filters, tuple(filters.actors)))
    names = backend._names({x for row in pairs for x in row[:2]})
    kinds = dict(db.execute("SELECT id, kind FROM actors"))
    starts: dict[str, str] = {}
    edge_rows = []
    for a, b, count, first, last, types, _, _ in pairs:
        edge_rows.append((a, b, "", {"weight": count, "events": count, "first": first, "last": last,
                                     "types": sorted(set((types or "").split(",")))}))
        for actor in (a, b):
            if first and (actor not in starts or first < starts[actor]):
                starts[actor] = first
    node_rows = []
    for actor_id in sorted(names):
        data = {"id": actor_id, "label": names[actor_id], "name": names[actor_id],
                "kind": kinds.get(actor_id, "country"), "type": ACTOR}
        if actor_id in starts:
            data["start"] = starts[actor_id]
        node_rows.append((actor_id, data))
    return Elements(False, False, lambda: iter(node_rows), lambda: iter(edge_rows))


def graph_elements(graph) -> Elements:
    """Elements of any networkx graph (the writers' input for hand-made graphs)."""
    multigraph = graph.is_multigraph()

    def edges() -> Iterator[Edge]:
        if multigraph:
            for u, v, key, data in graph.edges(keys=True, data=True):
                yield str(u), str(v), str(key), data
        else:
            for u, v, data in graph.edges(data=True):
                yield str(u), str(v), "", data

    return Elements(graph.is_directed(), multigraph,
                    lambda: ((str(n), d) for n, d in graph.nodes(data=True)), edges)


@contextmanager
def memory_store(g: EventGraph) -> Iterator[sqlite3.Connection]:
    """An in-memory database holding `g` (so in-memory graphs export the same way)."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        store._create_tables(db)
        db.execute("BEGIN")
        store.write_graph(db, g)
        db.execute("COMMIT")
        yield db
    finally:
        db.close()


def _elements(db, view: str, filters: Filters, where) -> Elements:
    if view == "events":
        return events_elements(db, filters)
    if view == "actors":
        return actors_elements(db, filters, where)
    raise ExportError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")


def view_graph(g: EventGraph, view: str, filters: Filters = Filters()):
    """The view as a networkx graph (in memory: for tests and small graphs)."""
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")
    with memory_store(g) as db:
        return _elements(db, view, filters, "graph").to_networkx()


def events_view(g: EventGraph):
    return view_graph(g, "events")


def actors_view(g: EventGraph, filters: Filters = Filters()):
    return view_graph(g, "actors", filters)


def scalar_graph(view):
    """A copy of `view` whose node, edge and graph attributes are all GraphML scalars."""
    clean = view.__class__()
    for node, data in view.nodes(data=True):
        clean.add_node(xml_id(str(node)), **_scalar_attrs(data))
    if view.is_multigraph():
        for number, (u, v, data) in enumerate(view.edges(data=True)):
            clean.add_edge(xml_id(str(u)), xml_id(str(v)), key=f"e{number}", **_scalar_attrs(data))
    else:
        for u, v, data in view.edges(data=True):
            clean.add_edge(xml_id(str(u)), xml_id(str(v)), **_scalar_attrs(data))
    return clean


# -- writers ----------------------------------------------------------------------------------
def _kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _widen(kinds: dict[str, str], data: dict) -> None:
    for name, value in data.items():
        kind, held = _kind(value), kinds.get(name)
        if held is None or held == kind:
            kinds[name] = kind
        elif {held, kind} == {"long", "double"}:
            kinds[name] = "double"
        else:
            kinds[name] = "string"


def _attribute_kinds(elements: Elements, skip: set[str] = frozenset()) -> tuple[dict, dict]:
    """First pass: the scalar attributes that nodes and edges carry, with their types."""
    node_kinds: dict[str, str] = {}
    edge_kinds: dict[str, str] = {}
    for _, data in elements.nodes():
        _widen(node_kinds, {k: v for k, v in _scalar_attrs(data).items() if k not in skip})
    for *_, data in elements.edges():
        _widen(edge_kinds, {k: v for k, v in _scalar_attrs(data).items() if k not in skip})
    return node_kinds, edge_kinds


def _attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _value_text(value, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double" and isinstance(value, bool):
        return str(float(value))
    return str(value)


def _coerce(value, kind: str):
    """A value as the declared kind (a column widened to string or double)."""
    if kind == "string":
        return "true" if value is True else "false" if value is False else str(value)
    return value


def write_graphml_elements(elements: Elements, out) -> int:
    """GraphML with named key ids (an edge attribute named like a node one becomes
    `edge_<name>`); returns the number of nodes."""
    node_kinds, edge_kinds = _attribute_kinds(elements)
    renamed = {name: f"edge_{name}" for name in edge_kinds if name in node_kinds}
    edge_kinds = {renamed.get(name, name): kind for name, kind in edge_kinds.items()}
    out.write("<?xml version='1.0' encoding='utf-8'?>\n")
    out.write(f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GRAPHML_NS} '
              f'{GRAPHML_NS}/1.0/graphml.xsd">\n')
    for klass, kinds in (("node", node_kinds), ("edge", edge_kinds)):
        for name in sorted(kinds):
            out.write(f'  <key id="{_attr(name)}" for="{klass}" attr.name="{_attr(name)}" '
                      f'attr.type="{kinds[name]}" />\n')
    out.write(f'  <graph edgedefault="{"directed" if elements.directed else "undirected"}">\n')
    count = 0
    for node, data in elements.nodes():
        count += 1
        out.write(f'    <node id="{_attr(xml_id(node))}">')
        for name, value in _scalar_attrs(data).items():
            kind = node_kinds[name]
            out.write(f'<data key="{_attr(name)}">{_text(_value_text(_coerce(value, kind), kind))}</data>')
        out.write("</node>\n")
    for number, (u, v, _, data) in enumerate(elements.edges()):
        out.write(f'    <edge source="{_attr(xml_id(u))}" target="{_attr(xml_id(v))}" id="e{number}">')
        for name, value in _scalar_attrs(data).items():
            name = renamed.get(name, name)
            kind = edge_kinds[name]
            out.write(f'<data key="{_attr(name)}">{_text(_value_text(_coerce(value, kind), kind))}</data>')
        out.write("</edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return count


def write_gexf_elements(elements: Elements, out) -> int:
    """GEXF 1.3, dynamic: `start`/`end` (ISO dates) on nodes and edges that have them."""
    reserved = {"start", "end", "label", "weight"}
    node_kinds, edge_kinds = _attribute_kinds(elements, reserved)
    columns = {klass: {name: (str(number), kinds[name]) for number, name in enumerate(sorted(kinds))}
               for klass, kinds in (("node", node_kinds), ("edge", edge_kinds))}
    today = datetime.now(timezone.utc).date().isoformat()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<gexf xmlns="{GEXF_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{GEXF_NS} '
              f'{GEXF_NS}/gexf.xsd" version="1.3">\n')
    out.write(f'  <meta lastmodifieddate="{today}">\n    <creator>eventkg</creator>\n'
              "    <description>event knowledge graph</description>\n  </meta>\n")
    out.write(f'  <graph mode="dynamic" timeformat="date" defaultedgetype='
              f'"{"directed" if elements.directed else "undirected"}">\n')
    for klass in ("node", "edge"):
        out.write(f'    <attributes class="{klass}" mode="static">\n')
        for name, (column, kind) in columns[klass].items():
            out.write(f'      <attribute id="{column}" title="{_attr(name)}" type="{kind}" />\n')
        out.write("    </attributes>\n")
    out.write("    <nodes>\n")
    count = 0
    for node, data in elements.nodes():
        count += 1
        clean = _scalar_attrs(data)
        node_id = xml_id(node)
        out.write(f'      <node id="{_attr(node_id)}" label="{_attr(str(clean.get("label", node_id)))}"'
                  f'{_bounds(clean)}>')
        _attvalues(out, clean, columns["node"])
        out.write("</node>\n")
    out.write("    </nodes>\n    <edges>\n")
    for number, (u, v, _, data) in enumerate(elements.edges()):
        clean = _scalar_attrs(data)
        weight = f' weight="{float(clean["weight"])}"' if isinstance(clean.get("weight"), (int, float)) else ""
        out.write(f'      <edge id="{number}" source="{_attr(xml_id(u))}" target="{_attr(xml_id(v))}"'
                  f'{weight}{_bounds(clean)}>')
        _attvalues(out, clean, columns["edge"])
        out.write("</edge>\n")
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    return count


# Granularities whose end the text gave (a multi-day exercise, "from May 3 to 9"); other
# ends only widen a vague date to its month or year.
SPAN_GRANULARITIES = ("range", "week")
MAX_SPAN_DAYS = 92  # a longer span (an accord "until 2040") is a mis-reading or a term, not a happening


def timeline_bounds(data: dict) -> tuple[str | None, str | None]:
    """The GEXF `start`/`end` of an element: its own start (an actor edge: its first
    event) and, only for a real span of days, its end."""
    start = data.get("start") or data.get("first")
    if not (isinstance(start, str) and _ISO_DAY.fullmatch(start)):
        return None, None
    end = data.get("end")
    if (isinstance(end, str) and _ISO_DAY.fullmatch(end) and end > start
            and data.get("granularity") in SPAN_GRANULARITIES):
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days
        if days <= MAX_SPAN_DAYS:
            return start, end
    return start, None


def _bounds(data: dict) -> str:
    start, end = timeline_bounds(data)
    return (f' start="{start}"' if start else "") + (f' end="{end}"' if end else "")


def _attvalues(out, data: dict, columns: dict[str, tuple[str, str]]) -> None:
    present = [(name, spec) for name, spec in columns.items() if name in data]
    if present:
        out.write("<attvalues>")
        for name, (column, kind) in present:
            value = _value_text(_coerce(data[name], kind), kind)
            out.write(f'<attvalue for="{column}" value="{_attr(value)}" />')
        out.write("</attvalues>")


def _json(value) -> bytes:
    try:
        return orjson.dumps(value, default=str)
    except TypeError:  # text orjson refuses (lone surrogates): escaped by the standard library
        return json.dumps(value, default=str).encode()


def write_json_elements(elements: Elements, out) -> int:
    """Node-link JSON as `networkx.node_link_data(graph, edges="links")` gives it."""
    out.write(b'{"directed": %s, "multigraph": %s, "graph": {}, "nodes": [' % (
        b"true" if elements.directed else b"false", b"true" if elements.multigraph else b"false"))
    count = 0
    for node, data in elements.nodes():
        out.write(b"\n" if count == 0 else b",\n")
        out.write(_json({**data, "id": node}))
        count += 1
    out.write(b'\n], "links": [')
    first = True
    for u, v, key, data in elements.edges():
        out.write(b"\n" if first else b",\n")
        link = {**data, "source": u, "target": v}
        if elements.multigraph:
            link["key"] = key
        out.write(_json(link))
        first = False
    out.write(b"\n]}\n")
    return count


def write_csv_rows(rows: Iterable, out, row_type=EventRow) -> int:
    """One row per event (or per `row_type` row), always with a header; formula-like
    cells neutralised."""
    writer = csv.writer(out)
    names = row_fields(row_type)
    writer.writerow(names)
    count = 0
    for row in rows:
        values = row_dict(row)
        writer.writerow([csv_cell(LIST_SEPARATOR.join(map(str, v)) if isinstance(v, list) else
                                  ("" if v is None else v)) for v in (values[n] for n in names)])
        count += 1
    return count


# networkx-graph entry points (hand-made graphs and the views above)
def write_graphml(view, path: Path) -> None:
    _write(path, lambda out: write_graphml_elements(graph_elements(view), out), text=True)


def write_gexf(view, path: Path) -> None:
    _write(path, lambda out: write_gexf_elements(graph_elements(view), out), text=True)


def write_json(view, path: Path) -> None:
    _write(path, lambda out: write_json_elements(graph_elements(view), out), text=False)


def _write(path: Path | str, writer, text: bool, newline: str | None = None) -> int:
    """Run `writer(out)` into a temporary beside `path`, then rename it over `path`."""
    path = Path(path)
    with store.replaced_file(path, what="export") as temporary:
        try:
            if text:
                with open(temporary, "w", encoding="utf-8", errors="replace", newline=newline) as out:
                    result = writer(out)
            else:
                with open(temporary, "wb") as out:
                    result = writer(out)
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {store._reason(exc)}") from None
    return result


def _check(path: Path, view: str) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"cannot export to {path.name}: use a .graphml, .gexf, .json or .csv name")
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")
    return suffix


def export_db(db: sqlite3.Connection, path: Path | str, view: str = "events",
              filters: Filters = Filters(), where: Path | str = "graph") -> int:
    """Write the graph in `db` to `path` in the format its suffix names; returns the
    number of nodes (events for CSV)."""
    path = Path(path)
    suffix = _check(path, view)
    with store.damage_reported(where):
        if suffix == ".csv":
            from .backend import EmbeddedBackend
            from .types import PairRow

            backend = EmbeddedBackend.on(db, where)
            if view == "actors":  # one row per pair and relation, as `who` gives them
                return _write(path, lambda out: write_csv_rows(backend.who(filters), out, PairRow),
                              text=True, newline="")
            return _write(path, lambda out: write_csv_rows(backend.events(filters), out), text=True, newline="")
        elements = _elements(db, view, filters, where)
        writer = {".graphml": write_graphml_elements, ".gexf": write_gexf_elements,
                  ".json": write_json_elements}[suffix]
        return _write(path, lambda out: writer(elements, out), text=suffix != ".json")


def export(g: EventGraph | Path | str, path: Path | str, view: str = "events",
           filters: Filters = Filters()) -> int:
    """Write a graph (in memory, or the database file `g` names) to `path`."""
    _check(Path(path), view)
    if isinstance(g, EventGraph):
        with memory_store(g) as db:
            return export_db(db, path, view, filters)
    db = store.connect(g)
    try:
        return export_db(db, path, view, filters, g)
    finally:
        db.close()
