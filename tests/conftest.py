"""Fixtures shared by the whole test suite."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from graph.neo4j import Neo4jError, Neo4jSettings, connect
from graph.neo4j.load import clear
from neo4j_server_control import PID_FILE, server_script, settings_from_env, unavailable

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The `shared` folder beside the checkout.

    Tests that need it are skipped when it is absent, except under CI=true,
    where its absence is a failure.
    """
    if not SHARED_DIR.is_dir():
        message = f"shared data folder not found at {SHARED_DIR}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DIR


@pytest.fixture(scope="session")
def extractor():
    """One real-model extractor for the whole run (loading spaCy takes about a second)."""
    from extract.pipeline import Extractor

    return Extractor()


# -- Neo4j: a real server (see neo4j_server_control), and graphs to load into it ---------
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

    examples = Path(__file__).resolve().parents[1] / "examples"
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
