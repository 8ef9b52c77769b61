"""The local Neo4j server (neo4j/server.sh) and the fixtures the other Neo4j tests share.

Tests that need Neo4j use a real server: NEO4J_URI (default bolt://127.0.0.1:7687),
NEO4J_USER (neo4j), NEO4J_PASSWORD (eventkg-test, what neo4j/server.sh sets). When it is
not reachable they are skipped with the reason, except under CI=true, where they fail.
Community edition has one user database, so each test starts from an empty graph.
"""
from __future__ import annotations

import os
import subprocess
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from graph.neo4j_backend import Neo4jError, Neo4jSettings, connect
from graph.neo4j_load import NODE_LABELS, clear, ensure_constraints

REPO = Path(__file__).resolve().parents[1]
SERVER_SCRIPT = REPO / "neo4j" / "server.sh"
PID_FILE = REPO / "neo4j" / "run" / "neo4j.pid"
TEST_PASSWORD = "eventkg-test"

pytestmark = pytest.mark.neo4j


def unavailable(reason: str):
    """Skip, or fail under CI=true, where Neo4j must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"Neo4j is required under CI=true: {reason}")
    pytest.skip(reason)


def settings_from_env() -> Neo4jSettings:
    return Neo4jSettings.from_env(password=os.environ.get("NEO4J_PASSWORD", TEST_PASSWORD))


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    return settings_from_env()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings):
    try:
        driver = connect(neo4j_settings)
    except Neo4jError as exc:
        unavailable(f"no Neo4j server to test against ({exc}); start one with neo4j/server.sh start")
    yield driver
    driver.close()


@pytest.fixture
def empty_neo4j(neo4j_driver, neo4j_settings):
    """The driver, on a database holding no eventkg nodes."""
    clear(neo4j_driver, neo4j_settings.database)
    return neo4j_driver


def server_script(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(SERVER_SCRIPT), *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture
def managed_server(neo4j_driver):
    """The server must be the one neo4j/server.sh runs, so a test may kill and restart it."""
    if not PID_FILE.exists():
        unavailable("the Neo4j server was not started by neo4j/server.sh, so it cannot be restarted")
    yield
    if server_script("status").returncode != 0:  # leave a running server behind
        server_script("start")


# -- seed and examples graphs, built once per run -----------------------------------------
@pytest.fixture(scope="session")
def seed_graph_path(shared_dir, tmp_path_factory) -> Path:
    from graph.build import build

    path = tmp_path_factory.mktemp("seed") / "seed.json"
    build([str(shared_dir / "seed" / "article.txt")], path, published=date(2025, 12, 8))
    return path


@pytest.fixture(scope="session")
def examples_graph_path(tmp_path_factory) -> Path:
    from graph.build import build

    examples = REPO / "examples"
    if not any(examples.glob("*.txt")) and not any(examples.glob("*.jsonl")):
        pytest.skip("examples/ holds no articles yet")
    path = tmp_path_factory.mktemp("examples") / "examples.json"
    build([str(examples)], path)
    return path


@pytest.fixture(scope="session")
def seed_graph(seed_graph_path):
    from graph.store import load

    return load(seed_graph_path)


@pytest.fixture(scope="session")
def examples_graph(examples_graph_path):
    from graph.store import load

    return load(examples_graph_path)


# -- tests of the server itself ------------------------------------------------------------
def test_server_answers_cypher_as_community_5_26(neo4j_driver, neo4j_settings):
    records, _, _ = neo4j_driver.execute_query("CALL dbms.components() YIELD versions, edition "
                                               "RETURN versions[0] AS version, edition",
                                               database_=neo4j_settings.database)
    assert records[0]["version"].startswith("5.26")
    assert records[0]["edition"] == "community"


def test_script_reports_the_running_server(managed_server):
    result = server_script("status", timeout=30)
    assert result.returncode == 0, result.stderr
    assert "running" in result.stderr


def test_browser_is_served_over_http_on_loopback(managed_server):
    port = os.environ.get("NEO4J_HTTP_PORT", "7474")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/browser/", timeout=10) as response:
        page = response.read().decode("utf-8", "replace")
    assert response.status == 200
    assert "Neo4j Browser" in page


def test_uniqueness_constraints_exist_for_every_label(empty_neo4j, neo4j_settings):
    ensure_constraints(empty_neo4j, neo4j_settings.database)
    records, _, _ = empty_neo4j.execute_query(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties",
        database_=neo4j_settings.database)
    found = {r["label"]: r["properties"] for r in records}
    assert {label: found.get(label) for label in NODE_LABELS} == {
        label: ["id"] for label in NODE_LABELS}
