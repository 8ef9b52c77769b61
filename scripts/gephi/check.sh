#!/usr/bin/env bash
# Import GraphML/GEXF files with the Gephi Toolkit (headless) and print what Gephi sees.
#   scripts/gephi/check.sh graph.graphml graph.gexf
# The toolkit jars come from Maven Central into neo4j/target/gephi-lib (cached in ~/.m2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LIB_DIR="$ROOT/neo4j/target/gephi-lib"
if [[ ! -f "$LIB_DIR/.complete" || "$ROOT/neo4j/pom.xml" -nt "$LIB_DIR/.complete" ]]; then
  echo "gephi: copying Gephi Toolkit jars with Maven into $LIB_DIR" >&2
  rm -rf "$LIB_DIR"
  mvn -B -q -Dstyle.color=never -f "$ROOT/neo4j/pom.xml" -P 'gephi,!server' \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB_DIR" >&2
  touch "$LIB_DIR/.complete"
fi
if [[ "${1:-}" == "fetch" ]]; then
  exit 0
fi
exec java -Djava.awt.headless=true -Xmx512m -cp "$LIB_DIR/*" "$ROOT/scripts/gephi/GephiCheck.java" "$@"
