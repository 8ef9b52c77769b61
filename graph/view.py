"""`eventkg view`: one self-contained HTML page of the actor–event graph.

Actors are labelled circles, events small squares coloured by PLOVER category, joined by a
grey line to each actor and a red one to each target. Clicking an event lists, beside the
graph, every sentence that reported it with its document (title, date, link). The page is
drawn by Bokeh with its JavaScript inlined (`bokeh.resources.INLINE`): opening it makes no
network request. Evidence travels as one JSON block read by a small script of ours that
fills the panel with text nodes only (a sentence cannot inject markup).

Layout: actors by a seeded spring layout of the actor–actor graph (unweighted, so a busy
pair is not drawn on top of itself), each event at the centre of its participants, events that share participants
spread on a sunflower spiral around that centre; so the picture is the same every time.

Rows come from the query layer (`GraphBackend.timeline`), the sentences and documents
from `event_sources`, which reads the embedded store or a Neo4j server.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import GraphFileError
from . import store
from .plot import PictureError, check_output, require, write_atomically
from .types import EventRow

__all__ = ["Source", "ViewSummary", "VIEW_SUFFIXES", "event_sources", "actor_names",
           "layout", "most_reported", "view_html", "view_from", "write_view"]

VIEW_SUFFIXES = (".html",)
MAX_SOURCES = 20  # sentences listed per event in the panel; the count says how many more
CATEGORY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)


@dataclass(frozen=True)
class Source:
    """One sentence that reported an event, and the document it is in."""

    doc_id: str
    sentence_index: int
    sentence: str
    title: str
    url: str
    published: str


@dataclass(frozen=True)
class ViewSummary:
    events: int
    actors: int
    links: int
    size: int


# -- reading: sentences, documents and names through the backend -------------------------------
def event_sources(backend, event_ids: Sequence[str]) -> dict[str, tuple[Source, ...]]:
    """id -> every (document, sentence) that reported the event, by date, document, sentence."""
    ids = sorted(set(event_ids))
    if backend.name == "neo4j":
        found = _neo4j_sources(backend, ids)
    else:
        found = _embedded_sources(backend, ids)
    return {event: tuple(sorted(set(rows), key=lambda s: (s.published, s.doc_id, s.sentence_index)))
            for event, rows in found.items()}


def actor_names(backend, actor_ids: Sequence[str]) -> dict[str, str]:
    """id -> the actor's name (its id when it has none)."""
    ids = sorted(set(actor_ids))
    if backend.name == "neo4j":
        names = _neo4j_names(backend, ids)
    else:
        names = {}
        for part in _chunks(ids):
            names.update(_sql(backend, f"SELECT id, name FROM actors WHERE id IN "
                                       f"({', '.join('?' * len(part))})", part))
    return {actor: str(names.get(actor) or actor) for actor in ids}


def _chunks(ids: list[str], size: int = 500):
    for offset in range(0, len(ids), size):
        yield ids[offset:offset + size]


def _sql(backend, query: str, params) -> list:
    """Rows of `query` on the embedded store; damaged data becomes one GraphFileError."""
    with store.damage_reported(backend.graph_path):
        return backend.db.execute(query, params).fetchall()


def _embedded_sources(backend, ids: list[str]) -> dict[str, list[Source]]:
    import orjson

    found: dict[str, list[Source]] = {}
    for part in _chunks(ids):
        sql = ("SELECT m.event, m.doc_id, m.data, d.title, d.url, d.published FROM mentions m "
               "LEFT JOIN documents d ON d.id = m.doc_id "
               f"WHERE m.event IN ({', '.join('?' * len(part))})")
        for event, doc, data, title, url, published in _sql(backend, sql, part):
            try:
                mention = orjson.loads(data)
                index, sentence = int(mention["sentence_index"]), str(mention["sentence"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                raise GraphFileError(f"graph file {backend.graph_path} is damaged: mention of "
                                     f"event {event!r} is not a readable record") from None
            found.setdefault(event, []).append(
                Source(doc, index, sentence, title or "", url or "", published or ""))
    return found


NEO4J_SOURCES = (
    "UNWIND $ids AS id MATCH (e:Event {id: id})-[r:REPORTED_IN]->(d:Document) "
    "RETURN e.id AS event, d.id AS doc, r.sentence_index AS sentence_index, "
    "r.sentence AS sentence, d.title AS title, d.url AS url, d.published AS published")
NEO4J_NAMES = "UNWIND $ids AS id MATCH (a:Actor {id: id}) RETURN a.id AS id, a.name AS name"


def _neo4j_run(backend, query: str, ids: list[str]) -> list:
    from .neo4j.connection import session_errors

    records = []
    for part in _chunks(ids, 2000):
        with session_errors():
            found, _, _ = backend.driver.execute_query(query, {"ids": part}, database_=backend.database)
        records.extend(found)
    return records


def _neo4j_sources(backend, ids: list[str]) -> dict[str, list[Source]]:
    found: dict[str, list[Source]] = {}
    for r in _neo4j_run(backend, NEO4J_SOURCES, ids):
        found.setdefault(r["event"], []).append(Source(
            r["doc"], int(r["sentence_index"] or 0), r["sentence"] or "", r["title"] or "",
            r["url"] or "", str(r["published"] or "")))
    return found


def _neo4j_names(backend, ids: list[str]) -> dict[str, str]:
    return {r["id"]: r["name"] for r in _neo4j_run(backend, NEO4J_NAMES, ids)}


# -- layout ---------------------------------------------------------------------------------
def participants(row: EventRow) -> tuple[str, ...]:
    return tuple(sorted(set(row.actors) | set(row.targets)))


GOLDEN_ANGLE = 2.399963  # successive points at this angle fill a disc evenly: a sunflower
SPRING_ACTORS = 300  # actors placed by the spring layout; the rest beside a busier partner


def layout(rows: Sequence[EventRow], seed: int = 7) -> tuple[dict[str, tuple[float, float]],
                                                               dict[str, tuple[float, float]]]:
    """(actor positions, event positions), both in about [-1, 1]², the same on every run."""
    actors = _actor_layout(_actor_pairs(rows), seed)
    return actors, _event_layout(rows, actors)


def _actor_pairs(rows: Sequence[EventRow]):
    """The actor–actor graph: an edge per pair of participants, weighted by their events."""
    import networkx as nx

    pairs = nx.Graph()
    for row in sorted(rows, key=lambda r: r.id):
        people = participants(row)
        pairs.add_nodes_from(people)
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                weight = pairs.get_edge_data(a, b, {"weight": 0})["weight"]
                pairs.add_edge(a, b, weight=weight + 1)
    return pairs


def _actor_layout(pairs, seed: int) -> dict[str, tuple[float, float]]:
    """A seeded spring layout of the busiest actors (unweighted, so that a busy pair is not
    drawn on top of itself); each other actor beside its strongest placed partner, or on an
    outer ring when it has none."""
    import networkx as nx

    ranked = sorted(pairs.nodes, key=lambda a: (-pairs.degree(a, weight="weight"), a))
    core = nx.Graph()
    core.add_nodes_from(sorted(ranked[:SPRING_ACTORS]))
    core.add_edges_from(sorted((min(a, b), max(a, b)) for a, b in pairs.subgraph(core.nodes).edges))
    if len(core) <= 1:
        placed = {a: (0.0, 0.0) for a in core}
    else:
        spread = nx.spring_layout(core, seed=seed, k=2.2 / math.sqrt(len(core)))
        placed = {a: (float(x), float(y)) for a, (x, y) in spread.items()}
    satellites: dict[str, int] = {}
    for number, actor in enumerate(ranked[SPRING_ACTORS:]):
        partners = [b for b in pairs[actor] if b in placed]
        if partners:
            anchor = max(partners, key=lambda b: (pairs[actor][b]["weight"], b))
            n = satellites[anchor] = satellites.get(anchor, 0) + 1
            x, y = placed[anchor]
            radius, angle = 0.06 * math.sqrt(n), n * GOLDEN_ANGLE
        else:
            x = y = 0.0
            radius, angle = 1.25, number * GOLDEN_ANGLE
        placed[actor] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    return placed


def _event_layout(rows: Sequence[EventRow], actors: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Each event at the centre of its participants; events that share the same
    participants on a sunflower spiral around that centre."""
    step = 0.035 if len(actors) > 1 else 0.06
    groups: dict[tuple[str, ...], int] = {}
    events = {}
    for row in sorted(rows, key=lambda r: (r.start or "", r.id)):
        people = participants(row)
        n = groups[people] = groups.get(people, -1) + 1
        cx = sum(actors[a][0] for a in people) / max(1, len(people))
        cy = sum(actors[a][1] for a in people) / max(1, len(people))
        radius = step * math.sqrt(n + (1 if len(people) > 1 else 2))
        angle = n * GOLDEN_ANGLE + (len(people) > 1) * 0.5
        events[row.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return events


# -- the page -------------------------------------------------------------------------------
PANEL_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById("eventkg-evidence").textContent);
  var panel = document.getElementById("evidence");
  function add(parent, tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  }
  window.eventkgShow = function (id) {
    var e = data.events[id];
    panel.replaceChildren();
    if (!e) { add(panel, "p", "Click an event (a square) to see its evidence.", "hint"); return; }
    add(panel, "h2", e.label);
    add(panel, "p", e.when + " \\u00b7 " + e.type + " \\u00b7 " + e.status + " \\u00b7 event " + id, "meta");
    add(panel, "p", e.who, "who");
    add(panel, "h3", e.sources.length + (e.more ? " of " + (e.sources.length + e.more) : "") +
        (e.sources.length + e.more === 1 ? " report" : " reports"));
    var list = add(panel, "ol", undefined, "sources");
    e.sources.forEach(function (s) {
      var item = add(list, "li");
      add(item, "blockquote", s.sentence, "sentence");
      var doc = add(item, "p", undefined, "doc");
      if (s.url) {
        var link = add(doc, "a", s.title || s.doc);
        link.href = s.url; link.target = "_blank"; link.rel = "noopener noreferrer";
      } else { add(doc, "span", s.title || s.doc); }
      add(doc, "span", " \\u2014 " + s.doc + ", sentence " + s.index + (s.published ? ", " + s.published : ""), "where");
    });
  };
  window.eventkgShow(null);
})();
"""

LINK_ALPHA = 0.25
ACTOR_LINK, TARGET_LINK = "#999999", "#d62728"
# What a click on an event does in the graph: show its evidence, bring out its links.
SELECT_SCRIPT = """
const chosen = source.selected.indices;
const id = chosen.length ? source.data.id[chosen[chosen.length - 1]] : null;
window.eventkgShow(id);
const events = links.data.event;
links.data.alpha = events.map((e) => id === null ? %(alpha)s : (e === id ? 0.95 : 0.06));
links.data.width = events.map((e) => e === id ? 2.5 : 1.0);
links.change.emit();
""" % {"alpha": LINK_ALPHA}

PAGE_CSS = """
body { font-family: system-ui, sans-serif; margin: 0; }
#page { display: flex; height: 100vh; }
#graph { flex: 1 1 auto; min-width: 0; }
#evidence { flex: 0 0 26rem; overflow-y: auto; padding: 0.5rem 1rem; border-left: 1px solid #ccc;
            font-size: 0.9rem; }
#evidence h2 { font-size: 1.1rem; margin: 0.5rem 0; }
#evidence .meta, #evidence .where, #evidence .hint { color: #555; }
#evidence blockquote { margin: 0.2rem 0; padding-left: 0.5rem; border-left: 3px solid #1f77b4; }
#evidence .doc { margin: 0 0 0.7rem 0; }
"""

TEMPLATE = """{% extends base %}
{% block postamble %}<style>{{ page_css }}</style>
<script type="application/json" id="eventkg-evidence">{{ evidence_json }}</script>{% endblock %}
{% block contents %}<div id="page"><div id="graph">{{ super() }}</div>
<aside id="evidence" aria-live="polite"></aside></div>
<script>{{ panel_script }}</script>{% endblock %}
"""


def _when(row: EventRow) -> str:
    if not row.start:
        return "date unknown"
    return row.start if not row.end or row.end == row.start else f"{row.start} to {row.end}"


def _who(row: EventRow, names: dict[str, str]) -> str:
    named = lambda ids: ", ".join(  # noqa: E731
        a if names.get(a, a) == a else f"{names[a]} ({a})" for a in ids)
    text = named(row.actors) or "no actor"
    return f"{text} → {named(row.targets)}" if row.targets else text


def evidence_data(rows: Sequence[EventRow], sources: dict[str, tuple[Source, ...]],
                  names: dict[str, str]) -> dict:
    """What the panel shows for each event, keyed by event id."""
    events = {}
    for row in rows:
        found = sources.get(row.id, ())
        if not found and row.evidence:
            found = (Source(row.doc_id, 0, row.evidence, "", "", ""),)
        events[row.id] = {
            "label": row.label or row.plover, "when": _when(row),
            "type": row.plover + (f":{row.mode}" if row.mode else "") +
                    (f" ({', '.join(row.tags)})" if row.tags else ""),
            "status": row.status, "who": _who(row, names),
            "sources": [{"doc": s.doc_id, "index": s.sentence_index, "sentence": s.sentence,
                         "title": s.title, "url": _safe_url(s.url), "published": s.published}
                        for s in found[:MAX_SOURCES]],
            "more": max(0, len(found) - MAX_SOURCES)}
    return {"events": events}


def _safe_url(url: str) -> str:
    """Only http(s) links are made clickable (never javascript: or data:)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def _script_json(value) -> str:
    """JSON that a <script> element cannot be closed from (`<` escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def view_html(rows: Sequence[EventRow], sources: dict[str, tuple[Source, ...]],
              names: dict[str, str], title: str = "eventkg view") -> tuple[str, int]:
    """The page, and how many actor–event links it draws."""
    from bokeh.embed import file_html
    from bokeh.models import (ColumnDataSource, CustomJS, HoverTool, LabelSet, Legend,
                              LegendItem, TapTool)
    from bokeh.plotting import figure
    from bokeh.resources import INLINE
    from jinja2 import Template

    actor_xy, event_xy = layout(rows)
    plot = figure(title=title, sizing_mode="stretch_both", tools="pan,wheel_zoom,box_zoom,reset,save",
                  active_scroll="wheel_zoom", match_aspect=True, toolbar_location="above")
    plot.axis.visible = False
    plot.grid.visible = False

    link_data = {"x0": [], "y0": [], "x1": [], "y1": [], "event": [], "colour": []}
    for row in rows:
        ex, ey = event_xy[row.id]
        for colour, ids in ((ACTOR_LINK, row.actors), (TARGET_LINK, row.targets)):
            for a in sorted(set(ids)):
                for column, value in zip(link_data, (*actor_xy[a], ex, ey, row.id, colour)):
                    link_data[column].append(value)
    link_count = len(link_data["event"])
    link_data["alpha"] = [LINK_ALPHA] * link_count
    link_data["width"] = [1.0] * link_count
    link_source = ColumnDataSource(link_data, name="links")
    plot.segment("x0", "y0", "x1", "y1", source=link_source, line_color="colour",
                 line_alpha="alpha", line_width="width")

    categories = sorted({row.plover for row in rows})
    colour_of = {c: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, c in enumerate(categories)}
    event_source = ColumnDataSource({
        "id": [row.id for row in rows],
        "x": [event_xy[row.id][0] for row in rows], "y": [event_xy[row.id][1] for row in rows],
        "label": [row.label or row.plover for row in rows], "when": [_when(row) for row in rows],
        "category": [row.plover for row in rows],
        "mentions": [row.mentions for row in rows],
        "size": [7 + 2 * math.sqrt(min(row.mentions, 25)) for row in rows],
        "colour": [colour_of[row.plover] for row in rows],
        "fill_alpha": [0.85 if row.status == "asserted" else 0.15 for row in rows],
    }, name="events")
    event_glyphs = plot.scatter("x", "y", source=event_source, marker="square", size="size",
                                fill_color="colour", line_color="colour", fill_alpha="fill_alpha",
                                name="event-nodes",
                                selection_line_color="black", selection_line_width=2,
                                nonselection_alpha=0.35)

    degree: dict[str, int] = {}
    for row in rows:
        for a in participants(row):
            degree[a] = degree.get(a, 0) + 1
    actor_ids = sorted(actor_xy)
    actor_source = ColumnDataSource({
        "id": actor_ids, "name": [names.get(a, a) for a in actor_ids],
        "x": [actor_xy[a][0] for a in actor_ids], "y": [actor_xy[a][1] for a in actor_ids],
        "events": [degree.get(a, 0) for a in actor_ids],
        "size": [min(60.0, max(24 + 2 * math.sqrt(degree.get(a, 0)), 7 * len(a) + 8)) for a in actor_ids],
    }, name="actors")
    actor_glyphs = plot.scatter("x", "y", source=actor_source, marker="circle", size="size",
                                fill_color="#f5f5f5", line_color="#333333", line_width=2,
                                name="actor-nodes")
    plot.add_layout(LabelSet(x="x", y="y", text="id", source=actor_source, text_align="center",
                             text_baseline="middle", text_font_size="8pt", text_font_style="bold"))

    legend = Legend(items=[LegendItem(label=c, renderers=[event_glyphs],
                                      index=next(i for i, r in enumerate(rows) if r.plover == c))
                           for c in categories], location="top_left", title="event type")
    plot.add_layout(legend, "right")
    plot.add_tools(
        HoverTool(renderers=[event_glyphs], tooltips=[("event", "@label"), ("when", "@when"),
                                                     ("type", "@category"), ("mentions", "@mentions")]),
        HoverTool(renderers=[actor_glyphs], tooltips=[("actor", "@name (@id)"), ("events", "@events")]),
        TapTool(renderers=[event_glyphs]))
    event_source.selected.js_on_change("indices", CustomJS(
        args={"source": event_source, "links": link_source}, code=SELECT_SCRIPT))

    template = Template(TEMPLATE)
    page = file_html(plot, INLINE, title, template=template, template_variables={
        "page_css": PAGE_CSS, "panel_script": PANEL_SCRIPT,
        "evidence_json": _script_json(evidence_data(rows, sources, names))})
    return page, link_count


def most_reported(rows: Sequence[EventRow], limit: int) -> list[EventRow]:
    """The `limit` events with the most mentions (ties by id), in their original order."""
    kept = {r.id for r in sorted(rows, key=lambda r: (-r.mentions, r.id))[:limit]}
    return [r for r in rows if r.id in kept]


def view_from(backend, rows: Sequence[EventRow], path: Path | str,
              title: str = "eventkg view") -> ViewSummary:
    """`write_view` with the sentences, documents and names read through `backend`."""
    sources = event_sources(backend, [r.id for r in rows])
    names = actor_names(backend, [a for r in rows for a in participants(r)])
    return write_view(rows, sources, names, path, title)


def write_view(rows: Sequence[EventRow], sources: dict[str, tuple[Source, ...]],
               names: dict[str, str], path: Path | str, title: str = "eventkg view") -> ViewSummary:
    """Write the page for `rows` to `path` (an .html name), atomically."""
    path = check_output(path, VIEW_SUFFIXES, "view")
    require("bokeh", "view")
    if not rows:
        raise PictureError("nothing to show: no event matches the filters")
    page, link_count = view_html(rows, sources, names, title)
    data = page.encode("utf-8")
    write_atomically(path, data, "view")
    actors = {a for row in rows for a in participants(row)}
    return ViewSummary(len(rows), len(actors), link_count, len(data))
