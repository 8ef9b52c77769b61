"""Extraction speed: `eventkg extract` work against plain `nlp.pipe` of the same model.

Both run on the same Wikipedia current-events items, each in its own child process so that
peak memory is its own. Prints words per second, the ratio (ours / plain), and peak RSS.

    python bench/extract.py [--items 2000]
"""
from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.wikipedia import load_items  # noqa: E402

WIKI = ROOT.parent / "shared" / "eval" / "datasets" / "wikipedia-current-events"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_plain(texts: list[str], out) -> None:
    from extract.nlp import DEFAULT_MODELS
    import spacy

    for name in DEFAULT_MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=128))
    out.put(("plain nlp.pipe", time.perf_counter() - start, tokens, _peak_mb()))


def run_ours(texts: list[str], out) -> None:
    from datetime import date

    from extract.pipeline import Extractor
    from extract.records import Document

    extractor = Extractor()
    documents = [Document(f"d{i}", t, date(2025, 6, 1)) for i, t in enumerate(texts)]
    sink = io.StringIO()
    start = time.perf_counter()
    events = 0
    for _, found in extractor.extract(documents):
        for event in found:
            sink.write(event.to_json() + "\n")
            events += 1
    out.put((f"eventkg extract ({events} events)", time.perf_counter() - start, 0, _peak_mb()))


def measure(target, texts: list[str]):
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=target, args=(texts, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    items = load_items(WIKI)[: args.items]
    if not items:
        print(f"error: no Wikipedia items under {WIKI}", file=sys.stderr)
        return 2
    texts = [item.text for item in items]
    words = sum(len(t.split()) for t in texts)
    plain = measure(run_plain, texts)
    ours = measure(run_ours, texts)
    print(f"{len(texts)} items, {words} words")
    for name, seconds, _, peak in (plain, ours):
        print(f"  {name:40} {seconds:7.2f} s  {words / seconds:9.0f} words/s  peak RSS {peak:6.0f} MB")
    print(f"ratio (ours / plain nlp.pipe): {plain[1] / ours[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
