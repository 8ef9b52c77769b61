"""Screenshot of Neo4j Browser showing the loaded event graph, taken with headless Chromium.

    python scripts/browser_screenshot.py --out /tmp/browser.png

Opens http://127.0.0.1:7474/browser/, logs in over Bolt, applies the eventkg GraSS style
(neo4j/eventkg.grass) and runs a query that draws actors, events and documents. Needs the
`playwright` Python package (it drives the system's Chromium; no browser is downloaded):
    pip install 'eventkg[browser]'   and   apt-get install chromium
Password from NEO4J_PASSWORD (else the test server's, see neo4j/server.sh) or --password.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# The most reported events with every actor and document around them: a connected picture
# of actors, events and the articles behind them (not the first 300 nodes of a scan).
DEFAULT_QUERY = (
    "MATCH (e:Event) WITH e ORDER BY e.mentions DESC, e.start DESC, e.id LIMIT $limit "
    "MATCH p = (:Actor)-[:PARTICIPATED_IN]->(e)-[:REPORTED_IN]->(:Document) RETURN p"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser-url", default="http://127.0.0.1:7474/browser/")
    parser.add_argument("--bolt", default="bolt://127.0.0.1:7687")
    parser.add_argument("--user", default=os.environ.get("NEO4J_USER", "neo4j"))
    parser.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD", "eventkg-test"))
    parser.add_argument("--style", type=Path, default=REPO / "neo4j" / "eventkg.grass")
    parser.add_argument("--query", default=DEFAULT_QUERY)
    parser.add_argument("--limit", type=int, default=20,
                        help="events of the default query (the most reported ones)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=Path("/tmp/browser.png"))
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    return parser.parse_args(argv)


def one_line_grass(path: Path) -> str:
    """GraSS without line breaks, so it can be typed after `:style` in the editor."""
    return " ".join(path.read_text(encoding="utf-8").split())


def run_command(page, command: str, settle_ms: int = 2500) -> None:
    page.click(".monaco-editor >> nth=0")
    page.keyboard.insert_text(command)
    page.click("[data-testid=editor-Run] >> nth=0")
    page.wait_for_timeout(settle_ms)


def take_screenshot(args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    scheme, _, address = args.bolt.partition("://")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=args.chromium, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": args.width, "height": args.height})
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(f"{args.browser_url}?dbms={scheme}://{address}", wait_until="networkidle")
            page.wait_for_selector("[data-testid=connect]", timeout=30_000)
            page.select_option("[data-testid=authenticationMethod]", "NATIVE")
            page.fill("[data-testid=username]", args.user)
            page.fill("[data-testid=password]", args.password)
            page.click("[data-testid=connect]")
            page.wait_for_selector("text=You are connected", timeout=30_000)
            run_command(page, ":style " + one_line_grass(args.style))
            run_command(page, ":clear", settle_ms=500)
            query = args.query.replace("$limit", str(int(args.limit)))
            run_command(page, query, settle_ms=6000)
            page.wait_for_selector("svg .node", timeout=30_000)
            page.screenshot(path=str(args.out))
        finally:
            context.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        print("error: needs the playwright package: pip install 'eventkg[browser]'", file=sys.stderr)
        return 1
    if not Path(args.chromium).exists():
        print(f"error: no Chromium at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 1
    try:
        take_screenshot(args)
    except Exception as exc:  # one line for the terminal, whatever the page did
        print(f"error: screenshot failed: {type(exc).__name__}: {str(exc).splitlines()[0]}",
              file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
