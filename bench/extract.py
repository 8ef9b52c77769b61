"""Extraction speed: `eventkg extract` work against plain `nlp.pipe` of the same model,
and the same extraction on one process, `--processes 2` and `--dask local:2`.

All run on the same Wikipedia current-events items, each in its own child process so that
peak memory is its own. Prints words per second, the ratio (ours / plain), and peak RSS;
then words per second end to end (model loads, pool or cluster start included) for one
process, two pool processes and a two-worker LocalCluster, with their ratio to one process,
and whether the events are identical.

    python bench/extract.py [--items 2000] [--corpus wikipedia|reuters] [--skip-parallel] [--learned]
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
REUTERS = ROOT.parent / "shared" / "eval" / "datasets" / "reuters21578"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_plain(texts: list[str], out) -> None:
    from extract.nlp import DEFAULT_MODELS, UNUSED_COMPONENTS
    import spacy

    for name in DEFAULT_MODELS:
        try:  # the same components as the extractor runs
            nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
            break
        except OSError:
            continue
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=128))
    out.put(("plain nlp.pipe", time.perf_counter() - start, tokens, _peak_mb()))


def run_ours(texts: list[str], out, learned: bool | None = None) -> None:
    from datetime import date

    from extract.pipeline import Extractor
    from extract.records import Document

    extractor = Extractor(learned=learned)
    documents = [Document(f"d{i}", t, date(2025, 6, 1)) for i, t in enumerate(texts)]
    sink = io.StringIO()
    start = time.perf_counter()
    events = 0
    for _, found in extractor.extract(documents):
        for event in found:
            sink.write(event.to_json() + "\n")
            events += 1
    out.put((f"eventkg extract ({events} events)", time.perf_counter() - start, 0, _peak_mb()))


def run_parallel(texts: list[str], out, mode: str) -> None:
    """End to end through `extract_documents` (or its Dask twin): what `build` runs."""
    import hashlib
    from datetime import date

    from extract.records import Document

    documents = [Document(f"d{i}", t, date(2025, 6, 1)) for i, t in enumerate(texts)]
    digest = hashlib.sha1()
    start = time.perf_counter()
    cluster = None
    if mode == "dask warm":  # a running cluster whose workers have loaded the model already
        from extract.distributed import LOOPBACK_HTTP, extract_documents_dask
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, scheduler_kwargs=LOOPBACK_HTTP, silence_logs=50)
        list(extract_documents_dask(documents[:20], cluster.scheduler_address))
        start = time.perf_counter()
        pairs = extract_documents_dask(documents, cluster.scheduler_address)
    elif mode.startswith("dask "):
        from extract.distributed import extract_documents_dask

        pairs = extract_documents_dask(documents, mode.split()[1])
    else:
        from extract.pipeline import extract_documents

        pairs = extract_documents(documents, processes=int(mode.split()[1]))
    events = 0
    for _, found in pairs:
        for event in found:
            digest.update(event.to_json().encode() + b"\n")
            events += 1
    seconds = time.perf_counter() - start
    if cluster is not None:
        cluster.close()
    out.put((mode, seconds, events, _peak_mb(), digest.hexdigest()))


def measure(target, texts: list[str], *extra):
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=target, args=(texts, queue, *extra))
    child.start()
    result = queue.get()
    child.join()
    return result


def reuters_texts(count: int) -> list[str]:
    """Whole Reuters-21578 stories (several paragraphs each), read by the project's reader."""
    from extract.reader import read_documents

    files = sorted(REUTERS.glob("reut2-*.sgm"))
    texts: list[str] = []
    for document in read_documents([str(f) for f in files[:3]]):
        if document.text.strip():
            texts.append(document.text)
        if len(texts) >= count:
            break
    return texts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--corpus", choices=("wikipedia", "reuters"), default="wikipedia",
                        help="one-line Wikipedia current-events items, or Reuters-21578 articles")
    parser.add_argument("--skip-parallel", action="store_true",
                        help="only the comparison with plain nlp.pipe")
    parser.add_argument("--learned", action=argparse.BooleanOptionalAction, default=None,
                        help="extraction with or without the learned trigger tagger (default: the package default)")
    args = parser.parse_args()
    texts = reuters_texts(args.items) if args.corpus == "reuters" else \
        [item.text for item in load_items(WIKI)[: args.items]]
    if not texts:
        print(f"error: no {args.corpus} texts under {ROOT.parent / 'shared'}", file=sys.stderr)
        return 2
    words = sum(len(t.split()) for t in texts)
    plain = measure(run_plain, texts)
    ours = measure(run_ours, texts, args.learned)
    print(f"{len(texts)} {args.corpus} texts, {words} words")
    for name, seconds, _, peak in (plain, ours):
        print(f"  {name:40} {seconds:7.2f} s  {words / seconds:9.0f} words/s  peak RSS {peak:6.0f} MB")
    print(f"ratio (ours / plain nlp.pipe): {plain[1] / ours[1]:.2f}")
    if not args.skip_parallel:
        modes = ("processes 1", "processes 2", "dask local:2", "dask warm")
        print_parallel([measure(run_parallel, texts, mode) for mode in modes], words)
    return 0


def print_parallel(results: list[tuple], words: int) -> None:
    """One line per mode, end to end, with the speed ratio to one process."""
    base = results[0][1]
    print("end to end, model loads and worker start included (last line: a running 2-worker cluster"
          " whose workers hold the model already):")
    labels = {"processes 1": "1 process", "processes 2": "--processes 2", "dask local:2": "--dask local:2",
              "dask warm": "dask, warm"}
    for mode, seconds, events, peak, digest in results:
        same = "same events" if digest == results[0][4] else "EVENTS DIFFER"
        print(f"  {labels[mode]:16} {seconds:7.2f} s  {words / seconds:9.0f} words/s  x{base / seconds:4.2f}  "
              f"{events} events, {same}  (parent peak RSS {peak:5.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
