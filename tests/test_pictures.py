"""`plot timeline` and `view`: the files they write, read back and rendered in headless Chromium.

The browser tests drive the system's Chromium through playwright (no browser is
downloaded); outside CI they are skipped when either is missing, under CI=true they fail.
"""
from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from extract.records import Document
from graph.build import apply_documents, write_documents
from graph.model import EventGraph
from graph.store import save
from graph.synthetic import make_event, synthetic_items

for module in ("matplotlib", "bokeh"):
    if importlib.util.find_spec(module) is None:
        message = f"{module} is not installed: pip install -e '.[pictures]'"
        if os.environ.get("CI") == "true":
            raise RuntimeError(message)
        pytest.skip(message, allow_module_level=True)

runner = CliRunner()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"]
DRILLS = "China and Russia held joint missile drills on Sunday."
ECHO = "The drills this week were defensive, Beijing said."


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    """Six events in three documents; the drills are reported twice, in two documents."""
    drills = make_event("tass", 0, ["CHN", "RUS"], location="RUS", sentence=DRILLS)
    echo = make_event("xinhua", 1, ["CHN", "RUS"], start="2025-12-07", sentence=ECHO)
    pact = make_event("tass", 5, ["CHN", "RUS"], plover="AGREE", mode="", cameo="057",
                      tags=["agreement"], trigger="sign", start="2022-03-01",
                      sentence="Beijing and Moscow signed a pact in 2022.")
    worry = make_event("kyodo", 2, ["JPN"], targets=["CHN"], plover="ACCUSE", mode="disapprove",
                       cameo="112", tags=["statement"], trigger="express", start="2025-12-08",
                       sentence="Japan expressed worry about China's navy.")
    future = make_event("tass", 9, ["CHN", "RUS"], start="2026-06-08", status="future",
                        sentence="Training will continue next year.")
    old = make_event("tass", 11, ["CHN", "IND"], start="2019-05-01",
                     sentence="China and India drilled in 2019.")
    undated = make_event("kyodo", 4, ["JPN", "KOR"], plover="CONSULT", mode="", cameo="040",
                         tags=["meeting"], trigger="meet", start=None,
                         sentence="Japan and South Korea met.")

    def document(doc_id, title):
        return Document(doc_id, f"text of {doc_id}", date(2025, 12, 8), title=title,
                        url=f"https://news.example/{doc_id}")

    g = apply_documents(EventGraph(), [
        (document("tass", "TASS: drills in the Sea of Japan"), [drills, pact, future, old]),
        (document("xinhua", "Xinhua: defensive drills"), [echo]),
        (document("kyodo", "Kyodo: Tokyo worried"), [worry, undated])])
    path = tmp_path_factory.mktemp("pictures") / "g.db"
    save(g, path)
    return path


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory) -> Path:
    """A synthetic graph of more than 1,000 events among 20 countries."""
    path = tmp_path_factory.mktemp("pictures-big") / "big.db"
    write_documents(path, synthetic_items(1500))
    return path


@pytest.fixture(scope="module")
def big_page(big_graph, tmp_path_factory):
    """`view` of 1,000 of the synthetic events, and what the command printed."""
    out = tmp_path_factory.mktemp("pictures-page") / "big.html"
    result = run("view", "-o", str(out), "--max-events", "1000", "--graph", str(big_graph))
    assert result.exit_code == 0, result.output
    return out, result.stderr


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element (matplotlib writes labels as text, not paths)."""
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]


def lane_labels(svg: str) -> list[str]:
    """Lane labels, top lane first (matplotlib writes the ticks from the bottom up)."""
    return [t for t in svg_texts(svg) if re.search(r"\(\d+\)$", t)][::-1]


def dark_pixels(picture, below: int = 200) -> int:
    """Pixels of a greyscale image darker than `below` (not background)."""
    return sum(picture.histogram()[:below])


def page_evidence(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="eventkg-evidence">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))["events"]


def timeline_ids(graph_file, *args: str) -> set[str]:
    result = run("timeline", *args, "--graph", str(graph_file), "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["id"] for row in json.loads(result.stdout)}


EXTERNAL_LOAD = re.compile(r"""<(?:script|link|img|iframe|source|object|embed)\b[^>]*?\b(?:src|href|data)\s*=\s*["']?(?:https?:)?//""", re.I)


# -- files --------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_plot_timeline_writes_each_format(graph_file, tmp_path, suffix):
    out = tmp_path / f"timeline{suffix}"
    result = run("plot", "timeline", "-o", str(out), "--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (4 events in 3 lanes, 1 without a date left out)" in result.stderr
    data = out.read_bytes()
    if suffix == ".png":
        from PIL import Image

        picture = Image.open(io.BytesIO(data)).convert("L")
        assert picture.width > 800 and picture.height > 200
        assert dark_pixels(picture) > 2000  # axes, labels and dots, not a blank canvas
        return
    text = data.decode("utf-8")
    assert lane_labels(text) == ["COOPERATE (2)", "ACCUSE (1)", "AGREE (1)"]
    if suffix == ".html":
        assert text.startswith("<!DOCTYPE html>") and "<svg" in text and "<?xml" not in text
        assert "<script" not in text and not EXTERNAL_LOAD.search(text)
        assert "4 events drawn; 1 without a date left out" in text


def test_plot_timeline_by_pair_names_directed_and_joint_lanes(graph_file, tmp_path):
    out = tmp_path / "pairs.svg"
    result = run("plot", "timeline", "-o", str(out), "--by", "pair", "--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    assert sorted(lane_labels(out.read_text())) == ["CHN with IND (1)", "CHN with RUS (2)", "JPN → CHN (1)"]


def test_plot_timeline_filters_and_actors(graph_file, tmp_path):
    out = tmp_path / "drills.svg"
    result = run("plot", "timeline", "china", "--did", "exercise", "--since", "2022",
                 "--include-future", "-o", str(out), "--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    expected = timeline_ids(graph_file, "china", "--did", "exercise", "--since", "2022", "--include-future")
    assert len(expected) == 2
    assert lane_labels(out.read_text()) == ["COOPERATE (2)"]
    title = "2 events by type, 2025-12-07 to 2026-06-08 · with china · did exercise · since 2022"
    assert title in svg_texts(out.read_text())
    out2 = tmp_path / "japan.svg"
    assert run("plot", "timeline", "--actor", "JPN", "-o", str(out2), "--graph", str(graph_file)).exit_code == 0
    assert lane_labels(out2.read_text()) == ["ACCUSE (1)"]


def test_plot_timeline_counts_undated_events(graph_file, tmp_path):
    out = tmp_path / "korea.png"
    result = run("plot", "timeline", "KOR", "-o", str(out), "--graph", str(graph_file))
    assert_one_line_error(result, "nothing to plot", "1 matching events have no date")
    assert not out.exists()


def test_plot_lanes_past_top_share_one_other_lane(big_graph, tmp_path):
    out = tmp_path / "pairs.svg"
    result = run("plot", "timeline", "--by", "pair", "--top", "5", "-o", str(out), "--graph", str(big_graph))
    assert result.exit_code == 0, result.output
    labels = lane_labels(out.read_text())
    assert len(labels) == 5 and re.match(r"other: \d+ pairs \(\d+\)$", labels[-1])
    counts = [int(re.search(r"\((\d+)\)$", label).group(1)) for label in labels[:-1]]
    assert counts == sorted(counts, reverse=True)


def test_view_page_holds_filtered_events_with_every_report(graph_file, tmp_path):
    out = tmp_path / "view.html"
    result = run("view", "-o", str(out), "--did", "exercise", "--since", "2022", "--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (1 event, 2 actors, " in result.stderr
    page = out.read_text(encoding="utf-8")
    events = page_evidence(page)
    assert set(events) == timeline_ids(graph_file, "--did", "exercise", "--since", "2022")
    [merged] = events.values()
    assert [s["sentence"] for s in merged["sources"]] == [DRILLS, ECHO]
    assert [s["title"] for s in merged["sources"]] == ["TASS: drills in the Sea of Japan", "Xinhua: defensive drills"]
    assert merged["who"] == "CHN, RUS" and merged["when"] == "2025-12-07"
    assert not EXTERNAL_LOAD.search(page)


def test_view_of_1000_events_is_under_5_mb(big_page):
    out, stderr = big_page
    assert "drawing the 1000 most reported" in stderr
    assert len(page_evidence(out.read_text(encoding="utf-8"))) == 1000
    assert out.stat().st_size < 5_000_000


@pytest.mark.parametrize("command", [["plot", "timeline"], ["view"]])
@pytest.mark.parametrize("case", ["suffix", "empty", "folder", "read-only", "directory"])
def test_bad_output_is_one_error_line(graph_file, tmp_path, command, case):
    good = ".png" if command[0] == "plot" else ".html"
    target = {"suffix": tmp_path / "picture.jpg", "empty": tmp_path / f"p{good}",
              "folder": tmp_path / "missing" / f"p{good}", "read-only": tmp_path / f"ro{good}",
              "directory": tmp_path / f"dir{good}"}[case]
    extra = ["--since", "2030"] if case == "empty" else []
    if case == "read-only":
        target.write_text("kept")
        target.chmod(0o444)
    if case == "directory":
        target.mkdir()
    result = run(*command, "-o", str(target), *extra, "--graph", str(graph_file))
    fragment = {"suffix": "use a", "empty": "no", "folder": "does not exist",
                "read-only": "read-only", "directory": "is a directory"}[case]
    assert_one_line_error(result, fragment)
    if case == "read-only":
        assert target.read_text() == "kept"
    elif case != "directory":
        assert not target.exists()
    assert not [p for p in tmp_path.rglob("*") if ".tmp" in p.name or p.name.startswith(".")]


@pytest.mark.parametrize("command,name", [(["plot", "timeline"], "t.svg"), (["view"], "v.html")])
def test_writes_replace_the_target_whole(graph_file, tmp_path, command, name):
    """The new file is renamed over the old one: a reader holding the old file still reads
    it whole, and nothing is left beside the target."""
    target = tmp_path / name
    target.write_text("old picture")
    with open(target) as held:
        result = run(*command, "-o", str(target), "--graph", str(graph_file))
        assert result.exit_code == 0, result.output
        assert held.read() == "old picture"
    assert "<svg" in target.read_text() or "eventkg-evidence" in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_unknown_actor_is_one_error_line(graph_file, tmp_path):
    assert_one_line_error(run("view", "-o", str(tmp_path / "v.html"), "--actor", "Atlantis",
                              "--graph", str(graph_file)), "Atlantis")


# -- in the browser -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    reason = None
    if importlib.util.find_spec("playwright") is None:
        reason = "playwright is not installed: pip install -e '.[browser]'"
    elif not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM}: apt-get install chromium"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run under CI=true: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Opened:
    """A page opened from a file, with every network request it tried and every JS error."""

    def __init__(self, browser, path: Path, width: int = 1400, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.external: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.route(re.compile(r"^(https?|wss?|ftp):"), lambda route: route.abort())
        self.page.goto(path.resolve().as_uri())

    def _request(self, request) -> None:
        if not request.url.startswith(("file:", "data:", "blob:", "about:")):
            self.external.append(request.url)

    def non_blank_pixels(self, selector: str, shot: Path) -> int:
        """Pixels that are not near-white in a screenshot of the element."""
        from PIL import Image

        self.page.locator(selector).screenshot(path=str(shot))
        return dark_pixels(Image.open(shot).convert("L"), 235)

    def close(self) -> None:
        self.page.close()


NODE_XY = """(name) => {
  const view = Object.values(Bokeh.index)[0];
  const source = Bokeh.documents[0].get_model_by_name(name);
  const box = view.canvas_view.el.getBoundingClientRect();
  return source.data.id.map((id, i) => [id,
    box.left + view.frame.x_scale.compute(source.data.x[i]),
    box.top + view.frame.y_scale.compute(source.data.y[i])]);
}"""


def test_view_renders_nodes_and_a_click_shows_evidence(browser, graph_file, tmp_path):
    out = tmp_path / "view.html"
    assert run("view", "-o", str(out), "--include-future", "--graph", str(graph_file)).exit_code == 0
    events = page_evidence(out.read_text(encoding="utf-8"))
    opened = Opened(browser, out)
    try:
        page = opened.page
        page.wait_for_function("() => window.Bokeh && Bokeh.documents.length && Object.keys(Bokeh.index).length")
        page.wait_for_selector("#evidence .hint")
        assert page.evaluate("() => Bokeh.documents[0].get_model_by_name('events').data.id.length") == len(events) == 6
        assert page.evaluate("() => Bokeh.documents[0].get_model_by_name('actors').data.id.length") == 5
        assert opened.non_blank_pixels("#graph", tmp_path / "graph.png") > 5000
        nodes = page.evaluate(NODE_XY, "events")
        merged = next(event_id for event_id, e in events.items() if len(e["sources"]) == 2)
        _, x, y = next(n for n in nodes if n[0] == merged)
        page.mouse.click(x, y)
        page.wait_for_selector("#evidence blockquote")
        panel = page.inner_text("#evidence")
        assert DRILLS in panel and ECHO in panel and "2 reports" in panel
        assert "TASS: drills in the Sea of Japan" in panel and "Xinhua: defensive drills" in panel
        assert page.get_attribute("#evidence a >> nth=0", "href") == "https://news.example/tass"
        links = page.evaluate("""() => { const d = Bokeh.documents[0].get_model_by_name('links').data;
                                         return Array.from(d.event, (e, i) => [e, d.alpha[i]]); }""")
        assert sorted(a for e, a in links if e == merged) == [0.95, 0.95]  # CHN and RUS
        assert {a for e, a in links if e != merged} == {0.06}
        page.screenshot(path=str(tmp_path / "clicked.png"))
        assert opened.external == [] and opened.errors == []
    finally:
        opened.close()


def test_view_of_1000_events_renders_offline(browser, big_page, tmp_path):
    out, _ = big_page
    opened = Opened(browser, out)
    try:
        page = opened.page
        page.wait_for_function("() => window.Bokeh && Bokeh.documents.length && Object.keys(Bokeh.index).length")
        assert page.evaluate("() => Bokeh.documents[0].get_model_by_name('events').data.id.length") == 1000
        assert opened.non_blank_pixels("#graph", tmp_path / "big.png") > 50_000
        _, x, y = page.evaluate(NODE_XY, "actors")[0]  # an actor: no evidence, the hint stays
        page.mouse.click(x, y)
        page.wait_for_timeout(100)
        assert "Click an event" in page.inner_text("#evidence")
        assert opened.external == [] and opened.errors == []
    finally:
        opened.close()


def test_timeline_page_renders_the_svg(browser, graph_file, tmp_path):
    out = tmp_path / "timeline.html"
    assert run("plot", "timeline", "-o", str(out), "--by", "pair", "--graph", str(graph_file)).exit_code == 0
    opened = Opened(browser, out)
    try:
        box = opened.page.locator("svg").bounding_box()
        assert box["width"] > 600 and box["height"] > 150
        assert opened.non_blank_pixels("svg", tmp_path / "timeline.png") > 3000
        assert "CHN with RUS (2)" in opened.page.text_content("svg")
        assert opened.external == [] and opened.errors == []
    finally:
        opened.close()


# -- the same pictures from Neo4j -----------------------------------------------------------
@pytest.mark.neo4j
def test_pictures_from_neo4j_match_the_embedded_ones(graph_file, neo4j_driver, neo4j_settings,
                                                      tmp_path, monkeypatch):
    from graph.backend import EmbeddedBackend
    from graph.neo4j.load import clear, load

    clear(neo4j_driver, neo4j_settings.database)
    load(neo4j_driver, EmbeddedBackend(graph_file).graph, neo4j_settings.database)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)
    pages, lanes = {}, {}
    for backend in ("embedded", "neo4j"):
        page, plot = tmp_path / f"{backend}.html", tmp_path / f"{backend}.svg"
        result = run("view", "-o", str(page), "--include-future", "--graph", str(graph_file),
                     "--backend", backend)
        assert result.exit_code == 0, result.output
        pages[backend] = page_evidence(page.read_text(encoding="utf-8"))
        result = run("plot", "timeline", "-o", str(plot), "--by", "pair", "--graph", str(graph_file),
                     "--backend", backend)
        assert result.exit_code == 0, result.output
        lanes[backend] = lane_labels(plot.read_text(encoding="utf-8"))
    assert len(pages["embedded"]) == 6
    assert pages["neo4j"] == pages["embedded"]
    merged = [e for e in pages["neo4j"].values() if len(e["sources"]) == 2]
    assert [s["sentence"] for s in merged[0]["sources"]] == [DRILLS, ECHO]
    assert lanes["neo4j"] == lanes["embedded"] == ["CHN with RUS (2)", "CHN with IND (1)", "JPN → CHN (1)"]


@pytest.mark.parametrize("command", [["plot"], ["plot", "timeline"], ["view"]])
def test_picture_commands_have_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    expected = "timeline" if command == ["plot"] else "Examples:"
    assert expected in result.stdout


def test_layout_places_many_actors_the_same_way_every_time():
    """Past the spring layout's few hundred actors the rest sit beside a partner (or on an
    outer ring): every actor and event gets a finite place, identical on a second run."""
    import math
    import random

    from graph.types import EventRow
    from graph.view import SPRING_ACTORS, layout

    rng = random.Random(5)
    rows = []
    for number in range(1500):
        a, b = sorted(rng.sample(range(SPRING_ACTORS * 3), 2))
        rows.append(EventRow(f"e{number}", "2024-01-01", None, "day", "CONSULT", "", "040", ("meeting",),
                             (f"A{a}",), (f"A{b}",) if number % 3 else (), "asserted", None, 1, "meet", "s", "d"))
    actors, events = layout(rows)
    assert len(actors) > SPRING_ACTORS * 2 and len(events) == 1500
    assert all(math.isfinite(v) for xy in [*actors.values(), *events.values()] for v in xy)
    assert layout(list(reversed(rows))) == (actors, events)


@pytest.mark.parametrize("view_args,timeline_args", [
    (["--actor", "japan"], ["japan"]),
    (["--actor", "CHN", "--actor", "RUS", "--include-future"], ["CHN", "RUS", "--include-future"]),
    (["--until", "2022"], ["--until", "2022"]),
    (["--did", "AGREE"], ["--did", "AGREE"]),
    (["--since", "2025-12", "--include-future"], ["--since", "2025-12", "--include-future"]),
])
def test_view_keeps_the_events_timeline_keeps(graph_file, tmp_path, view_args, timeline_args):
    out = tmp_path / "view.html"
    result = run("view", "-o", str(out), *view_args, "--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    expected = timeline_ids(graph_file, *timeline_args)
    assert expected and set(page_evidence(out.read_text(encoding="utf-8"))) == expected
