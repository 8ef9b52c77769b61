"""Pictures of query answers: the timeline plot, as PNG, SVG, or an HTML page holding the SVG.

`timeline_lanes` groups timeline rows (`graph.types.EventRow`, from any backend) into lanes,
one per event type (PLOVER category) or per actor pair (`CHN with RUS`, `JPN → CHN`);
`plot_timeline` draws one dot per event at its start date in its lane (a line to its end
for spans, hollow for expected events, bigger for more mentions) with matplotlib and writes
the file atomically (`graph.store.replaced_file`). Nothing here loads a web resource: the
HTML page is the SVG inside a minimal document.
"""
from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from . import store
from .errors import ExportError, GraphError
from .types import EventRow

__all__ = ["PictureError", "TimelineSummary", "LANE_KINDS", "PLOT_SUFFIXES", "check_output",
           "require", "event_date", "timeline_lanes", "plot_timeline", "write_atomically"]

PLOT_SUFFIXES = (".png", ".svg", ".html")
LANE_KINDS = ("type", "pair")
OTHER = "other"
_WHEN = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class PictureError(GraphError):
    """A picture cannot be made: a bad output name, or nothing to draw."""


@dataclass(frozen=True)
class TimelineSummary:
    """What `plot_timeline` drew: dated events, events left out for lack of a date, lanes."""

    drawn: int
    undated: int
    lanes: tuple[str, ...]


def check_output(path: Path | str, suffixes: Sequence[str], what: str) -> Path:
    """`path` if its suffix is one of `suffixes` and its folder can take a new file."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        names = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
        raise PictureError(f"cannot write a {what} to {path.name or path}: use a {names} name")
    store.check_writable(store.real_target(path), what)
    return path


def require(module: str, command: str) -> None:
    """PictureError naming the install command when the optional `module` is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise PictureError(f"{command} needs {module}: pip install 'eventkg[pictures]'")


def event_date(value: str | None) -> date | None:
    """The date a start string names (`YYYY`, `YYYY-MM`, `YYYY-MM-DD...`: its first day)."""
    match = _WHEN.match(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def lane_keys(row: EventRow, by: str) -> tuple[str, ...]:
    """The lanes an event belongs to: its PLOVER category, or each actor pair it joins
    (co-actors `A with B`, actor on target `A → B`, a lone actor by itself)."""
    if by == "type":
        return (row.plover or "unknown",)
    actors, targets = sorted(set(row.actors)), sorted(set(row.targets))
    keys = [f"{a} with {b}" for i, a in enumerate(actors) for b in actors[i + 1:]]
    keys += [f"{a} → {t}" for a in actors for t in targets if a != t]
    if not keys:
        keys = actors or targets or ["no actor"]
    return tuple(dict.fromkeys(keys))


def timeline_lanes(rows: Iterable[EventRow], by: str = "type",
                   top: int = 10) -> list[tuple[str, list[EventRow]]]:
    """(lane name, its dated events) pairs, busiest lane first; past the `top` busiest,
    the rest share one `other` lane. Events without a start date are left out."""
    if by not in LANE_KINDS:
        raise PictureError(f"unknown --by {by!r}: choose one of {', '.join(LANE_KINDS)}")
    lanes: dict[str, list[EventRow]] = {}
    for row in rows:
        if event_date(row.start) is None:
            continue
        for key in lane_keys(row, by):
            lanes.setdefault(key, []).append(row)
    ranked = sorted(lanes.items(), key=lambda item: (-len(item[1]), item[0]))
    if len(ranked) <= top:
        return ranked
    kept, rest = ranked[:top - 1], ranked[top - 1:]
    seen, other = set(), []
    for _, events in rest:
        for row in events:
            if row.id not in seen:
                seen.add(row.id)
                other.append(row)
    other.sort(key=lambda r: (r.start or "", r.id))
    return kept + [(f"{OTHER}: {len(rest)} {'types' if by == 'type' else 'pairs'}", other)]


def plot_timeline(rows: Sequence[EventRow], path: Path | str, by: str = "type", top: int = 10,
                  note: str = "") -> TimelineSummary:
    """Draw the events of `rows` over time, one lane per type or pair, into `path`
    (.png, .svg or .html, by its suffix), titled with the count, the dates and `note`
    (the filters, say). Raises PictureError when no event has a date."""
    path = check_output(path, PLOT_SUFFIXES, "plot")
    require("matplotlib", "plot timeline")
    lanes = timeline_lanes(rows, by, top)
    undated = sum(1 for row in rows if event_date(row.start) is None)
    if not lanes:
        reason = f" ({undated} matching events have no date)" if undated else ""
        raise PictureError(f"nothing to plot: no dated event matches the filters{reason}")
    drawn = len({row.id for _, events in lanes for row in events})
    heading = _heading(lanes, drawn, by) + (f" · {note}" if note else "")
    suffix = path.suffix.lower()
    data = _render(lanes, heading, "png" if suffix == ".png" else "svg")
    if suffix == ".html":
        data = _html_page(heading, data.decode("utf-8"), drawn, undated).encode("utf-8")
    write_atomically(path, data, "plot")
    return TimelineSummary(drawn, undated, tuple(name for name, _ in lanes))


def _heading(lanes, drawn: int, by: str) -> str:
    days = [event_date(row.start) for _, events in lanes for row in events]
    first, last = min(days), max(days)
    return (f"{drawn:,} event{'s' if drawn != 1 else ''} by {by}, "
            f"{first.isoformat()} to {last.isoformat()}")


def _render(lanes, heading: str, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes (matplotlib's object API: no pyplot, no global state)."""
    import matplotlib

    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    names = [name for name, _ in lanes]
    counts = Counter({name: len(events) for name, events in lanes})
    tab10 = matplotlib.colormaps["tab10"]
    palette = [tab10(i) for i in range(tab10.N) if i != 7]  # its grey is the `other` lane's
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "eventkg",
                                "font.size": 10}):
        figure = Figure(figsize=(11, 1.6 + 0.42 * len(lanes)), layout="constrained")
        axes = figure.add_subplot()
        for lane, (name, events) in enumerate(lanes):
            y = len(lanes) - 1 - lane
            colour = "0.55" if name.startswith(OTHER + ":") else palette[lane % len(palette)]
            _draw_lane(axes, mdates, events, y, colour)
        axes.set_yticks(range(len(lanes)))
        axes.set_yticklabels([f"{name} ({counts[name]})" for name in reversed(names)])
        axes.set_ylim(-0.7, len(lanes) - 0.3)
        locator = mdates.AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        axes.grid(axis="x", alpha=0.3)
        axes.set_title(heading, loc="left")
        axes.set_xlabel("event start (hollow: expected; size: mentions)")
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        out = io.BytesIO()
        metadata = {"Software": None} if fmt == "png" else \
            {"Date": None, "Creator": None, "Format": None, "Type": None}
        figure.savefig(out, format=fmt, dpi=110, metadata=metadata)
    return out.getvalue()


def _draw_lane(axes, mdates, events: list[EventRow], y: int, colour) -> None:
    starts = [mdates.date2num(event_date(row.start)) for row in events]
    spans = [(s, mdates.date2num(end)) for s, row in zip(starts, events)
             if (end := event_date(row.end)) is not None and mdates.date2num(end) > s]
    if spans:
        axes.hlines([y] * len(spans), [s for s, _ in spans], [e for _, e in spans],
                    colors=[colour], linewidth=2, alpha=0.35)
    sizes = [18 + 10 * min(row.mentions, 8) for row in events]
    faces = [colour if row.status == "asserted" else "none" for row in events]
    axes.scatter(starts, [y] * len(events), s=sizes, facecolors=faces, edgecolors=[colour],
                 linewidths=1, alpha=0.7, zorder=3)


_SVG_START = re.compile(r"<svg\b")


def _html_page(heading: str, svg: str, drawn: int, undated: int) -> str:
    """A self-contained page: the SVG inline (no XML prolog or DTD), no script, no link."""
    match = _SVG_START.search(svg)
    body = svg[match.start():] if match else svg
    note = f"{drawn:,} events drawn" + (f"; {undated:,} without a date left out" if undated else "")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(heading)}</title>\n"
            "<style>body{font-family:sans-serif;margin:1em}svg{max-width:100%;height:auto}"
            "</style>\n</head>\n<body>\n"
            f"<figure>\n{body}\n<figcaption>{html.escape(note)}</figcaption>\n</figure>\n"
            "</body>\n</html>\n")


def write_atomically(path: Path, data: bytes, what: str) -> None:
    """Write `data` to a temporary beside `path` and rename it over `path`."""
    with store.replaced_file(path, what=what) as temporary:
        try:
            with open(temporary, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise ExportError(f"cannot write {what} {path}: {store._reason(exc)}") from None
