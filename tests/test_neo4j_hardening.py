"""Neo4j hardening: no secret in any message, a password kept out of `ps`, quiet driver
logs, Ctrl-C during a load, a placeholder-only .env.example, and `--replace`."""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from graph.neo4j import Neo4jSettings, connect, mask_uri
from graph.neo4j.connection import Neo4jUnavailable
from graph.neo4j.load import clear, counts
from neo4j_server_control import REPO, server_script

runner = CliRunner()
SECRET = "s3cret-Pa55word"


@pytest.mark.parametrize("uri, shown", [
    (f"bolt://neo4j:{SECRET}@127.0.0.1:7687", "bolt://***@127.0.0.1:7687"),
    (f"neo4j+s://admin:{SECRET}@db.example.org", "neo4j+s://***@db.example.org"),
    (f"bolt://{SECRET}@host", "bolt://***@host"),
    ("bolt://127.0.0.1:7687", "bolt://127.0.0.1:7687"),
])
def test_uri_user_information_is_masked(uri, shown):
    assert mask_uri(uri) == shown
    assert SECRET not in repr(Neo4jSettings(uri=uri, password=SECRET))


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("uri", [
    f"bolt://neo4j:{SECRET}@127.0.0.1:{{port}}",
    f"bolt://neo4j:{SECRET}@127.0.0.1:{{port}}/path?x=1",
    f"nosuchscheme://neo4j:{SECRET}@127.0.0.1:{{port}}",
])
def test_no_message_shows_the_password(seed_graph_path, uri, monkeypatch):
    uri = uri.format(port=closed_port())
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    for command in (["neo4j", "load"], ["who", "--backend", "neo4j"]):
        result = runner.invoke(app, [*command, "--graph", str(seed_graph_path), "--uri", uri])
        assert result.exit_code == 1
        assert SECRET not in result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "***@" in lines[0]
    with pytest.raises(Neo4jUnavailable) as caught:
        connect(Neo4jSettings(uri=uri, password=SECRET), timeout=2)
    assert SECRET not in str(caught.value)


def test_help_names_the_ways_to_keep_the_password_out_of_ps():
    result = runner.invoke(app, ["neo4j", "load", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.stdout.split())
    assert "--password-stdin" in text and "process list" in text
    assert "--replace" in text


def test_env_example_ships_no_usable_password_and_compose_refuses_it():
    values = dict(line.split("=", 1) for line in (REPO / ".env.example").read_text().splitlines()
                  if line and not line.startswith("#"))
    assert values["NEO4J_PASSWORD"] == "" and values["NEO4J_AUTH"] == ""
    compose = (REPO / "docker-compose.yml").read_text()
    assert re.search(r"NEO4J_AUTH: \$\{NEO4J_AUTH:\?", compose)  # `:?` refuses empty and unset


def test_the_test_server_locks_a_user_after_failed_logins():
    script = (REPO / "neo4j" / "server.sh").read_text()
    lock = re.search(r"^dbms\.security\.auth_lock_time=(\d+)s$", script, re.M)
    attempts = re.search(r"^dbms\.security\.auth_max_failed_attempts=(\d+)$", script, re.M)
    assert lock and int(lock[1]) >= 30
    assert attempts and 1 <= int(attempts[1]) <= 5


# -- against the server ----------------------------------------------------------------
def saved_graph(path: Path, mentions: int) -> Path:
    from graph.model import build_graph
    from graph.store import save
    from graph.synthetic import synthetic_documents, synthetic_mentions

    found = synthetic_mentions(mentions, seed=3)
    save(build_graph(synthetic_documents(found), found), path)
    return path


def environment(settings: Neo4jSettings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return {**env, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
            "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database,
            "PYTHONPATH": str(REPO)}


def start_load(graph: Path, settings: Neo4jSettings) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli", "neo4j", "load", "--graph", str(graph),
                             "--batch-size", "200"], cwd=REPO, env=environment(settings),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_writing(driver, process: subprocess.Popen, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        records, _, _ = driver.execute_query("MATCH (e:Event) RETURN count(e) AS n")
        if records[0]["n"] > 0:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory) -> Path:
    return saved_graph(tmp_path_factory.mktemp("sigint") / "g.json", 6000)


@pytest.mark.neo4j
def test_ctrl_c_during_a_load_is_exit_130_and_one_line_and_a_rerun_is_exact(
        neo4j_driver, neo4j_settings, big_graph):
    from graph.store import load

    rng = random.Random(7)
    interrupted = 0
    for trial in range(10):
        clear(neo4j_driver, neo4j_settings.database)
        process = start_load(big_graph, neo4j_settings)
        assert wait_until_writing(neo4j_driver, process), process.communicate()
        time.sleep(rng.uniform(0, 0.8))
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert "Traceback" not in err and "Exception" not in err, err
        if process.returncode == 0:
            continue  # it finished before the signal came
        interrupted += 1
        assert process.returncode == 130, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: interrupted"), err
    assert interrupted >= 7
    rerun = start_load(big_graph, neo4j_settings)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    view = load(big_graph).to_networkx()
    assert counts(neo4j_driver, neo4j_settings.database) == (view.number_of_nodes(),
                                                              view.number_of_edges())


@pytest.mark.neo4j
def test_a_server_killed_mid_load_is_one_line_without_driver_logs(
        neo4j_driver, neo4j_settings, big_graph, managed_server):
    clear(neo4j_driver, neo4j_settings.database)
    process = start_load(big_graph, neo4j_settings)
    assert wait_until_writing(neo4j_driver, process), process.communicate()
    assert server_script("kill", timeout=60).returncode == 0
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert server_script("start").returncode == 0


@pytest.mark.neo4j
def test_password_from_stdin_and_replace_with_a_warning_for_another_graph(
        empty_neo4j, neo4j_settings, seed_graph_path, tmp_path, monkeypatch):
    other = saved_graph(tmp_path / "other.json", 30)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    base = ["neo4j", "load", "--password-stdin"]
    first = runner.invoke(app, [*base, "--graph", str(other)], input=neo4j_settings.password + "\n")
    assert first.exit_code == 0, first.output
    assert neo4j_settings.password not in first.output

    second = runner.invoke(app, [*base, "--graph", str(seed_graph_path)],
                           input=neo4j_settings.password + "\n")
    assert second.exit_code == 0, second.output
    assert "warning: database 'neo4j' also holds 3 documents" in second.stderr

    third = runner.invoke(app, [*base, "--graph", str(seed_graph_path), "--replace"],
                          input=neo4j_settings.password + "\n")
    assert third.exit_code == 0, third.output
    assert "warning" not in third.stderr
    from graph.store import load

    view = load(seed_graph_path).to_networkx()
    assert counts(empty_neo4j) == (view.number_of_nodes(), view.number_of_edges())


@pytest.mark.neo4j
def test_an_over_long_document_id_is_one_line_and_nothing_is_written(empty_neo4j, neo4j_settings,
                                                                     tmp_path, monkeypatch):
    from extract.records import MAX_DOCUMENT_ID_CHARS
    from graph.model import build_graph
    from graph.store import save
    from graph.synthetic import make_event

    long_id = "x" * (MAX_DOCUMENT_ID_CHARS * 200)
    graph = build_graph({long_id: {"id": long_id, "title": "t"}},
                        [make_event(long_id, 0, ("CHN", "RUS")).to_dict()])
    save(graph, tmp_path / "long.json")
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    result = runner.invoke(app, ["neo4j", "load", "--graph", str(tmp_path / "long.json")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"limit of {MAX_DOCUMENT_ID_CHARS}" in lines[0]
    assert counts(empty_neo4j) == (0, 0)
