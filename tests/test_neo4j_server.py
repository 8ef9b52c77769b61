"""The local Neo4j server (neo4j/server.sh); its fixtures are in conftest.py.

Tests that need Neo4j use a real server: NEO4J_URI (default bolt://127.0.0.1:7687),
NEO4J_USER (neo4j), NEO4J_PASSWORD (eventkg-test, what neo4j/server.sh sets). When it is
not reachable they are skipped with the reason, except under CI=true, where they fail.
Community edition has one user database, so each test starts from an empty graph.
"""
from __future__ import annotations

import os
import urllib.request

import pytest

from graph.neo4j.load import NODE_LABELS, ensure_constraints
from neo4j_server_control import server_script

pytestmark = pytest.mark.neo4j



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
