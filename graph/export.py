"""Exports for Gephi and scripts: GraphML, GEXF 1.3 (dynamic), node-link JSON, CSV.

Views: `events` is the stored graph (Actor, Event and Document nodes); `actors` is derived
from it, one weighted edge per pair of actors that took part in asserted events together,
with the first/last date and the event types.
"""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date, datetime, timezone
from itertools import combinations
from pathlib import Path

import networkx as nx
from lxml import etree

from .errors import ExportError
from .model import ACTOR, DOCUMENT, EVENT, EventGraph
from .types import Filters, event_type, row_dict, row_fields, EventRow

VIEWS = ("events", "actors")
FORMATS = (".graphml", ".gexf", ".json", ".csv")
LIST_SEPARATOR = "; "
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
GEXF_NS = "http://gexf.net/1.3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold."""
    return _XML_ILLEGAL.sub("", value)


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


# -- views ----------------------------------------------------------------------------------
def events_view(g: EventGraph) -> nx.MultiDiGraph:
    """The stored graph with a `label` on every node."""
    view = g.to_networkx()
    for node, data in view.nodes(data=True):
        if data["type"] == ACTOR:
            data["label"] = data["name"]
        elif data["type"] == DOCUMENT:
            data["label"] = data.get("title") or data["id"]
        else:
            data["label"] = f"{event_type(data['plover'], data['tags'])} {data.get('start') or ''}".strip()
    return view


def actors_view(g: EventGraph, filters: Filters = Filters()) -> nx.Graph:
    """Actor-actor graph: weight = events together; first/last start date; event types."""
    view = nx.Graph()
    pairs: dict[tuple[str, str], list] = defaultdict(list)
    for event in g.events:
        if filters.status_ok(event.status) and filters.date_ok(event.start) and \
                filters.type_ok(event.plover, event.mode, event.cameo, event.tags):
            for pair in combinations(sorted(event.participants), 2):
                pairs[pair].append(event)
    seen = {a for pair in pairs for a in pair}
    for actor_id in sorted(seen):
        actor = g.actors[actor_id]
        view.add_node(actor_id, id=actor_id, label=actor["name"], name=actor["name"],
                      kind=actor["kind"], type=ACTOR)
    for (a, b), found in sorted(pairs.items()):
        starts = sorted(e.start for e in found if e.start)
        view.add_edge(a, b, weight=len(found), events=len(found),
                      first=starts[0] if starts else None, last=starts[-1] if starts else None,
                      types=sorted({event_type(e.plover, e.tags) for e in found}))
    for node in view:
        dated = [d["first"] for _, _, d in view.edges(node, data=True) if d.get("first")]
        if dated:
            view.nodes[node]["start"] = min(dated)
    return view


def view_graph(g: EventGraph, view: str):
    if view == "events":
        return events_view(g)
    if view == "actors":
        return actors_view(g)
    raise ExportError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")


# -- writers --------------------------------------------------------------------------------
def scalar_graph(view):
    """A copy of `view` whose node, edge and graph attributes are all GraphML scalars."""
    clean = view.__class__()
    for node, data in view.nodes(data=True):
        clean.add_node(xml_text(str(node)), **_scalar_attrs(data))
    if view.is_multigraph():
        # edge keys repeat across node pairs and GraphML writes them as edge ids, which
        # must be unique in the file: number the edges instead
        for number, (u, v, data) in enumerate(view.edges(data=True)):
            clean.add_edge(xml_text(str(u)), xml_text(str(v)), key=f"e{number}", **_scalar_attrs(data))
    else:
        for u, v, data in view.edges(data=True):
            clean.add_edge(xml_text(str(u)), xml_text(str(v)), **_scalar_attrs(data))
    return clean


def write_graphml(view, path: Path) -> None:
    clean = scalar_graph(view)
    _separate_edge_names(clean)
    nx.write_graphml(clean, path, named_key_ids=True, infer_numeric_types=True)


def _separate_edge_names(view) -> None:
    """With named key ids, a name used by nodes and edges alike would give two keys one id:
    such edge attributes become `edge_<name>`."""
    node_names = {k for _, d in view.nodes(data=True) for k in d}
    for *_, data in view.edges(data=True):
        for name in node_names.intersection(data):
            data[f"edge_{name}"] = data.pop(name)


def write_json(view, path: Path) -> None:
    data = nx.node_link_data(view, edges="links")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def write_csv(g: EventGraph, path: Path) -> None:
    from .queries import events

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=row_fields(EventRow))
        writer.writeheader()
        for row in events(g, Filters()):
            writer.writerow({k: (LIST_SEPARATOR.join(v) if isinstance(v, list) else v)
                             for k, v in row_dict(row).items()})


def _gexf_type(values: list) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _gexf_value(value, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    return str(value)


def write_gexf(view, path: Path) -> None:
    """GEXF 1.3, dynamic: `start`/`end` (ISO dates) on nodes and edges that have them."""
    clean = scalar_graph(view)
    reserved = {"start", "end", "label", "weight"}
    gexf = etree.Element(f"{{{GEXF_NS}}}gexf", nsmap={None: GEXF_NS, "xsi": XSI_NS})
    gexf.set(f"{{{XSI_NS}}}schemaLocation", f"{GEXF_NS} {GEXF_NS}/gexf.xsd")
    gexf.set("version", "1.3")
    meta = etree.SubElement(gexf, "meta", lastmodifieddate=datetime.now(timezone.utc).date().isoformat())
    etree.SubElement(meta, "creator").text = "eventkg"
    etree.SubElement(meta, "description").text = "event knowledge graph"
    graph = etree.SubElement(gexf, "graph", mode="dynamic", timeformat="date",
                             defaultedgetype="directed" if clean.is_directed() else "undirected")
    items = {"node": list(clean.nodes(data=True)),
             "edge": [(u, v, d) for u, v, d in clean.edges(data=True)]}
    columns: dict[str, dict[str, tuple[str, str]]] = {}
    for klass, rows in items.items():
        data_rows = [row[-1] for row in rows]
        names = sorted({k for d in data_rows for k in d} - reserved)
        attributes = etree.SubElement(graph, "attributes", {"class": klass, "mode": "static"})
        columns[klass] = {}
        for number, name in enumerate(names):
            kind = _gexf_type([d[name] for d in data_rows if name in d])
            columns[klass][name] = (str(number), kind)
            etree.SubElement(attributes, "attribute", id=str(number), title=name, type=kind)
    nodes = etree.SubElement(graph, "nodes")
    for node, data in items["node"]:
        element = etree.SubElement(nodes, "node", id=node, label=str(data.get("label", node)))
        _dynamic_and_values(element, data, columns["node"])
    edges = etree.SubElement(graph, "edges")
    for number, (u, v, data) in enumerate(items["edge"]):
        element = etree.SubElement(edges, "edge", id=str(number), source=u, target=v)
        if "weight" in data:
            element.set("weight", str(float(data["weight"])))
        _dynamic_and_values(element, data, columns["edge"])
    etree.ElementTree(gexf).write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _dynamic_and_values(element, data: dict, columns: dict[str, tuple[str, str]]) -> None:
    for bound, fallback in (("start", "first"), ("end", None)):
        value = data.get(bound) or (data.get(fallback) if fallback else None)
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            element.set(bound, value)
    present = [(name, spec) for name, spec in columns.items() if name in data]
    if present:
        values = etree.SubElement(element, "attvalues")
        for name, (column, kind) in present:
            etree.SubElement(values, "attvalue", {"for": column, "value": _gexf_value(data[name], kind)})


def export(g: EventGraph, path: Path | str, view: str = "events") -> int:
    """Write `g` to `path` in the format its suffix names; returns the number of nodes."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"cannot export to {path.name}: use a .graphml, .gexf, .json or .csv name")
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")
    try:
        if suffix == ".csv":
            write_csv(g, path)
            return len(g.events)
        graph = view_graph(g, view)
        {".graphml": write_graphml, ".gexf": write_gexf, ".json": write_json}[suffix](graph, path)
        return graph.number_of_nodes()
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
