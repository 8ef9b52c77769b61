"""Control of the local Neo4j test server (neo4j/server.sh), shared by the Neo4j tests.

Tests that need Neo4j use a real server: NEO4J_URI (default bolt://127.0.0.1:7687),
NEO4J_USER (neo4j), NEO4J_PASSWORD (eventkg-test, what neo4j/server.sh sets). When it is
not reachable they are skipped with the reason, except under CI=true, where they fail.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from graph.neo4j import Neo4jSettings

REPO = Path(__file__).resolve().parents[1]
SERVER_SCRIPT = REPO / "neo4j" / "server.sh"
PID_FILE = REPO / "neo4j" / "run" / "neo4j.pid"
TEST_PASSWORD = "eventkg-test"


def unavailable(reason: str):
    """Skip, or fail under CI=true, where Neo4j must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"Neo4j is required under CI=true: {reason}")
    pytest.skip(reason)


def settings_from_env() -> Neo4jSettings:
    return Neo4jSettings.from_env(password=os.environ.get("NEO4J_PASSWORD", TEST_PASSWORD))


def server_script(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(SERVER_SCRIPT), *args], capture_output=True, text=True,
                          timeout=timeout, check=False)
