"""Extraction on a Dask cluster (`dask.distributed`): documents in, (document, events) out.

`extract_documents_dask` gives exactly what `extract.pipeline.extract_documents` gives,
in the same order, but runs the extractor on the workers of a Dask scheduler:

- `address` is a scheduler address (`tcp://10.0.0.5:8786`, `10.0.0.5:8786`) or
  `local:N`, which starts a `LocalCluster` of N worker processes with one thread each
  on 127.0.0.1 for the length of the run (`local` alone: one worker per CPU);
- each worker loads the spaCy model and dictionaries once, when the worker plugin is
  registered (and again only when a worker restarts or joins later; later runs with the
  same options on the same cluster reuse it);
- documents travel in partitions of `partition_size`; a bounded number of partitions
  is in flight at a time, and results are handed back partition by partition in input
  order, so memory stays bounded and output streams while the cluster works.

Extraction of a document depends only on that document (the discourse context is per
document), so the events are the same, byte for byte, as in one process.

Workers on a user's own cluster need eventkg installed (the same version), plus any
`--actors`/`--triggers` files at the same paths.
"""
from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .pipeline import ExtractionError, Extractor
from .records import Document, Event

try:  # an optional extra: without it, --dask names the install command
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - exercised only on an install without the extra
    _WorkerPlugin = object

__all__ = ["DaskError", "DOCS_PER_PARTITION", "LOOPBACK_HTTP", "extract_documents_dask", "parse_address"]

DOCS_PER_PARTITION = 16
PARTITIONS_PER_WORKER = 3  # in flight at once: enough to keep every worker busy
CONNECT_TIMEOUT = "15s"
INSTALL_HINT = "pip install 'eventkg[dask]'"
# No dashboard; the scheduler's small HTTP server (health checks) on any free loopback port.
LOOPBACK_HTTP = {"dashboard_address": "127.0.0.1:0"}


class DaskError(ExtractionError):
    """The Dask cluster cannot be reached, set up or used for extraction."""


def parse_address(address: str) -> tuple[str, int | None]:
    """("local", workers) for `local:N` or `local`, else ("remote", None); DaskError if malformed."""
    text = address.strip()
    if text == "local":
        return "local", os.cpu_count() or 1
    if text.startswith("local:"):
        count = text[len("local:"):]
        if not count.isdigit() or int(count) < 1:
            raise DaskError(f"invalid --dask {address!r}: expected local:N with N >= 1 workers")
        return "local", int(count)
    if not text or any(c.isspace() for c in text):
        raise DaskError(f"invalid --dask {address!r}: expected a scheduler address or local:N")
    return "remote", None


def extract_documents_dask(documents: Iterable[Document], address: str, *, model: str | None = None,
                           processes: int = 1, actor_files: Sequence[Path] = (),
                           trigger_files: Sequence[Path] = (),
                           partition_size: int = DOCS_PER_PARTITION
                           ) -> Iterator[tuple[Document, list[Event]]]:
    """(document, events) pairs in input order, extracted on the Dask cluster at `address`.

    Takes the options of `extract_documents`; `processes` is accepted for the same call
    shape and ignored (the cluster's workers are the processes).
    """
    kind, workers = parse_address(address)
    options = {"model": model, "actor_files": tuple(str(p) for p in actor_files),
               "trigger_files": tuple(str(p) for p in trigger_files)}
    client, cluster = _connect(kind, workers, address)
    try:
        plugin = ExtractorPlugin(options)
        try:
            client.register_plugin(plugin, name=plugin.name)
        except Exception as exc:  # raised on a worker; its type is the worker's business
            raise DaskError(f"Dask workers could not load the extractor: {_reason(exc)}") from None
        window = PARTITIONS_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque = deque()
        docs = iter(documents)
        while part := list(islice(docs, max(1, partition_size))):
            pending.append(client.submit(_extract_partition, part, plugin.name, pure=False))
            if len(pending) >= window:
                yield from _result(pending.popleft())
        while pending:
            yield from _result(pending.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class ExtractorPlugin(_WorkerPlugin):
    """Worker plugin: one `Extractor` per worker process, built when the worker sets up.

    The name carries a digest of the options, and the plugin is idempotent: a second run
    with the same options on a long-lived cluster reuses the extractors already loaded.
    """

    idempotent = True

    def __init__(self, options: dict) -> None:
        self.options = options
        digest = hashlib.sha1(repr(sorted(options.items())).encode("utf-8")).hexdigest()[:12]
        self.name = f"eventkg-extractor-{digest}"
        self.extractor: Extractor | None = None
        self.error = ""

    def setup(self, worker) -> None:
        try:
            self.extractor = Extractor(self.options["model"],
                                       tuple(map(Path, self.options["actor_files"])),
                                       tuple(map(Path, self.options["trigger_files"])))
        except ExtractionError as exc:  # reported by the first task, as one line, not a worker log
            self.error = str(exc)

    def teardown(self, worker) -> None:
        self.extractor = None


def _extract_partition(documents: list[Document], plugin_name: str) -> list[tuple[Document, list[Event]]]:
    """Runs on a worker: the partition through that worker's extractor."""
    from distributed import get_worker

    plugin = get_worker().plugins[plugin_name]
    if plugin.extractor is None and not plugin.error:  # torn down: build it again, once
        plugin.setup(None)
    if plugin.extractor is None:
        raise ExtractionError(plugin.error)
    return list(plugin.extractor.extract(documents))


def _result(future) -> list[tuple[Document, list[Event]]]:
    try:
        return future.result()
    except ExtractionError as exc:  # the workers could not build the extractor
        raise DaskError(f"Dask workers could not load the extractor: {_reason(exc)}") from None
    except Exception as exc:  # a worker died or the task failed remotely
        raise DaskError(f"extraction failed on the Dask cluster: {_reason(exc)}") from None


def _connect(kind: str, workers: int | None, address: str):
    """A client and, for `local:N`, the LocalCluster it owns."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskError(f"--dask needs dask.distributed: {INSTALL_HINT}") from None
    logging.getLogger("distributed").setLevel(logging.ERROR)  # our errors are one line each
    if kind == "local":
        try:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None,
                                   scheduler_kwargs=LOOPBACK_HTTP, silence_logs=logging.CRITICAL)
        except Exception as exc:
            raise DaskError(f"cannot start a local Dask cluster of {workers} workers: "
                            f"{_reason(exc)}") from None
        return Client(cluster), cluster
    try:
        return Client(address, timeout=CONNECT_TIMEOUT), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise DaskError(f"cannot reach the Dask scheduler at {address}: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
