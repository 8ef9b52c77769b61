"""Extraction on Dask: a LocalCluster of two worker processes gives, byte for byte, the events
of one process, in input order; `--dask` on `extract` and `build`; errors are one line."""
from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed")

from cli import app  # noqa: E402
from extract.distributed import LOOPBACK_HTTP, DaskError, extract_documents_dask, parse_address  # noqa: E402
from extract.pipeline import extract_documents  # noqa: E402
from extract.records import Document  # noqa: E402

pytestmark = pytest.mark.model
runner = CliRunner()

SENTENCES = [
    "China and Russia held joint naval drills in the Sea of Japan on Sunday.",
    "Japan protested the exercise on Monday and summoned the Russian ambassador.",
    "India and France signed a defence agreement in New Delhi last week.",
    "The United States imposed sanctions on Iran on Tuesday.",
    "Xi Jinping met Vladimir Putin in Moscow in March 2023.",
    "The weather stayed mild and the markets were calm.",
    "North Korea fired two ballistic missiles into the sea, South Korea said.",
    "Turkey and Greece agreed to resume talks next month.",
]


def corpus(count: int = 41) -> list[Document]:
    """Documents of one to four sentences, so partitions hold uneven work."""
    documents = []
    for i in range(count):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 4))
        documents.append(Document(f"doc-{i:02d}", text, date(2025, 1 + i % 12, 1 + i % 28)))
    return documents


def serialised(pairs) -> list[tuple[str, list[str]]]:
    return [(document.id, [event.to_json() for event in events]) for document, events in pairs]


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two single-threaded worker processes on loopback; its address."""
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, scheduler_kwargs=LOOPBACK_HTTP,
                           silence_logs=logging.CRITICAL)
    yield cluster.scheduler_address
    cluster.close()


def test_two_workers_give_the_events_of_one_process(scheduler):
    documents = corpus()
    one = serialised(extract_documents(documents))
    assert sum(len(events) for _, events in one) >= 30
    on_dask = serialised(extract_documents_dask(iter(documents), scheduler, partition_size=3))
    assert on_dask == one  # same documents, same order, same bytes


def test_results_stream_before_the_input_is_exhausted(scheduler):
    drawn = []

    def documents():
        for document in corpus(60):
            drawn.append(document.id)
            yield document

    stream = extract_documents_dask(documents(), scheduler, partition_size=2)
    first, _ = next(stream)
    assert first.id == "doc-00" and len(drawn) < 60  # a bounded number of partitions in flight
    stream.close()


def test_cli_extract_on_dask_prints_the_same_lines(tmp_path, scheduler):
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps({"id": d.id, "text": d.text, "published": d.published.isoformat()}) + "\n"
                            for d in corpus(12)))
    plain = runner.invoke(app, ["extract", str(path)])
    on_dask = runner.invoke(app, ["extract", str(path), "--dask", scheduler])
    assert plain.exit_code == 0 and on_dask.exit_code == 0, on_dask.stderr
    assert on_dask.stdout == plain.stdout and plain.stdout.count("\n") >= 10


def test_cli_build_with_a_local_cluster_gives_the_same_graph(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps({"id": d.id, "text": d.text, "published": d.published.isoformat()}) + "\n"
                            for d in corpus(10)))
    plain = runner.invoke(app, ["build", str(path), "--graph", str(tmp_path / "plain.json")])
    on_dask = runner.invoke(app, ["build", str(path), "--graph", str(tmp_path / "dask.json"),
                                  "--dask", "local:2"])
    assert plain.exit_code == 0 and on_dask.exit_code == 0, on_dask.stderr
    assert "Traceback" not in on_dask.stderr
    assert (tmp_path / "dask.json").read_bytes() == (tmp_path / "plain.json").read_bytes()


def test_unreachable_scheduler_is_one_error_line(tmp_path, monkeypatch):
    import extract.distributed

    monkeypatch.setattr(extract.distributed, "CONNECT_TIMEOUT", "1s")
    (tmp_path / "a.txt").write_text("China and Russia held joint drills on Sunday.")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_workers_without_the_model_are_one_error(scheduler):
    with pytest.raises(DaskError, match="could not load the extractor.*no_such_model"):
        list(extract_documents_dask(corpus(2), scheduler, model="no_such_model"))


@pytest.mark.parametrize("address, expected", [
    ("local:3", ("local", 3)), ("tcp://10.0.0.5:8786", ("remote", None)), ("10.0.0.5:8786", ("remote", None)),
])
def test_addresses(address, expected):
    assert parse_address(address) == expected


@pytest.mark.parametrize("address", ["local:0", "local:two", "", "tcp://a b"])
def test_bad_addresses(address):
    with pytest.raises(DaskError, match="invalid --dask"):
        parse_address(address)


def test_each_worker_loads_the_model_once_across_runs(scheduler):
    from distributed import Client

    from extract.distributed import ExtractorPlugin

    name = ExtractorPlugin({"model": None, "actor_files": (), "trigger_files": ()}).name

    def extractor_ids(client):
        return client.run(lambda dask_worker: id(dask_worker.plugins[name].extractor))

    list(extract_documents_dask(corpus(4), scheduler))
    with Client(scheduler) as client:
        before = extractor_ids(client)
        list(extract_documents_dask(corpus(8), scheduler, partition_size=1))
        after = extractor_ids(client)
    assert len(before) == 2 and before == after
