#!/usr/bin/env bash
# A local Neo4j Community server for development, tests and CI, run from Maven jars.
#
#   neo4j/server.sh fetch     copy the server jars into neo4j/target/lib (Maven, cached in ~/.m2)
#   neo4j/server.sh start     write neo4j/run/home/conf/neo4j.conf, set the password, start, wait for Bolt
#   neo4j/server.sh wait      poll Bolt until it answers (NEO4J_WAIT_SECONDS, default 120)
#   neo4j/server.sh status    exit 0 when the server process is alive and Bolt answers
#   neo4j/server.sh stop      stop cleanly (SIGTERM, then SIGKILL after 60 s)
#   neo4j/server.sh kill      SIGKILL the server at once (fault tests)
#   neo4j/server.sh reset     stop and delete the database files under neo4j/run/
#
# Settings (environment): NEO4J_PASSWORD (default eventkg-test), NEO4J_BOLT_PORT (7687),
# NEO4J_HTTP_PORT (7474), NEO4J_HEAP (1g), NEO4J_PAGECACHE (512m: enough for 1M
# mentions; raise it towards the size of neo4j/run/home/data for bigger graphs), JAVA (java), and
# NEO4J_RUN_DIR (neo4j/run: database, logs, pid file) to run a second, separate server.
# The server listens on 127.0.0.1 only; Neo4j Browser is at http://127.0.0.1:7474/browser/.
set -euo pipefail

NEO4J_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB_DIR="$NEO4J_DIR/target/lib"
RUN_DIR="${NEO4J_RUN_DIR:-$NEO4J_DIR/run}"
HOME_DIR="$RUN_DIR/home"
CONF_DIR="$HOME_DIR/conf"
PID_FILE="$RUN_DIR/neo4j.pid"
CONSOLE_LOG="$RUN_DIR/console.log"

PASSWORD="${NEO4J_PASSWORD:-eventkg-test}"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-512m}"
WAIT_SECONDS="${NEO4J_WAIT_SECONDS:-120}"
JAVA="${JAVA:-java}"

# The JVM flags the stock server launcher adds, so the kernel may use its direct buffers.
JVM_OPENS=(
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
)

say() { echo "neo4j: $*" >&2; }

fetch() {
  if [[ -f "$LIB_DIR/.complete" && "$LIB_DIR/.complete" -nt "$NEO4J_DIR/pom.xml" ]]; then
    return 0
  fi
  say "copying server jars with Maven into $LIB_DIR"
  rm -rf "$LIB_DIR"
  mvn -B -q -Dstyle.color=never -f "$NEO4J_DIR/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB_DIR" >&2
  touch "$LIB_DIR/.complete"
}

write_conf() {
  mkdir -p "$CONF_DIR" "$HOME_DIR/data" "$HOME_DIR/logs" "$HOME_DIR/plugins" "$HOME_DIR/import" "$HOME_DIR/run"
  cat > "$CONF_DIR/neo4j.conf" <<CONF
# Written by neo4j/server.sh; edits are overwritten on the next start.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$BOLT_PORT
server.bolt.tls_level=DISABLED
server.http.enabled=true
server.http.listen_address=127.0.0.1:$HTTP_PORT
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
# Three wrong passwords lock the user for a minute: guessing gets ~4 tries a minute.
dbms.security.auth_max_failed_attempts=3
dbms.security.auth_lock_time=60s
client.allow_telemetry=false
server.memory.heap.initial_size=$HEAP
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE
dbms.memory.transaction.total.max=256m
server.directories.data=$HOME_DIR/data
server.directories.logs=$HOME_DIR/logs
server.directories.plugins=$HOME_DIR/plugins
server.directories.import=$HOME_DIR/import
server.directories.run=$HOME_DIR/run
server.directories.lib=$LIB_DIR
initial.dbms.default_database=neo4j
CONF
}

classpath() { echo "$LIB_DIR/*"; }

set_initial_password() {
  # Only possible before the first start: the auth file lives in the system database.
  if [[ -d "$HOME_DIR/data/databases/system" ]]; then
    return 0
  fi
  say "setting the initial password"
  NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$CONF_DIR" \
    "$JAVA" -Xmx256m "${JVM_OPENS[@]}" -cp "$(classpath)" org.neo4j.cli.AdminTool \
    dbms set-initial-password "$PASSWORD" >>"$CONSOLE_LOG" 2>&1 || {
      say "setting the password failed; see $CONSOLE_LOG"; return 1; }
}

server_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Bolt handshake: magic preamble plus four proposed versions; a live server answers with
# the chosen version (4 bytes). An open port alone is not enough.
bolt_answers() {
  python3 - "$BOLT_PORT" <<'PY' 2>/dev/null
import socket, sys
port = int(sys.argv[1])
with socket.create_connection(("127.0.0.1", port), timeout=3) as conn:
    conn.sendall(bytes.fromhex("6060b017" "00000805" "00000404" "00000004" "00000003"))
    reply = conn.recv(4)
sys.exit(0 if len(reply) == 4 and reply != b"\x00\x00\x00\x00" else 1)
PY
}

wait_for_bolt() {
  local waited=0
  while ! bolt_answers; do
    if ! server_pid >/dev/null; then
      say "server exited during start-up; last lines of $CONSOLE_LOG:"
      tail -n 20 "$CONSOLE_LOG" >&2 || true
      return 1
    fi
    if (( waited >= WAIT_SECONDS )); then
      say "Bolt did not answer on 127.0.0.1:$BOLT_PORT within ${WAIT_SECONDS}s"
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "Bolt answers on bolt://127.0.0.1:$BOLT_PORT (browser: http://127.0.0.1:$HTTP_PORT/browser/)"
}

start() {
  if server_pid >/dev/null; then
    say "already running (pid $(server_pid))"
    wait_for_bolt
    return
  fi
  fetch
  mkdir -p "$RUN_DIR"
  write_conf
  set_initial_password
  say "starting (heap $HEAP, page cache $PAGECACHE), log: $CONSOLE_LOG"
  nohup setsid "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    "${JVM_OPENS[@]}" -Dfile.encoding=UTF-8 -Dlog4j2.disable.jmx=true \
    -cp "$(classpath)" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$HOME_DIR" --config-dir="$CONF_DIR" \
    >>"$CONSOLE_LOG" 2>&1 </dev/null &
  echo $! > "$PID_FILE"
  wait_for_bolt
}

stop() {
  local pid
  if ! pid="$(server_pid)"; then
    say "not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; say "stopped"; return 0; }
    sleep 1
  done
  say "no clean stop within 60 s; killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

kill_now() {
  local pid
  if pid="$(server_pid)"; then
    kill -KILL "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    say "killed pid $pid"
  fi
  rm -f "$PID_FILE"
}

status() {
  local pid
  if pid="$(server_pid)" && bolt_answers; then
    say "running (pid $pid), Bolt answers on 127.0.0.1:$BOLT_PORT"
    return 0
  fi
  say "not answering"
  return 1
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  wait) wait_for_bolt ;;
  status) status ;;
  stop) stop ;;
  kill) kill_now ;;
  reset) stop; rm -rf "$HOME_DIR" "$CONSOLE_LOG" ;;
  *) echo "usage: $0 fetch|start|wait|status|stop|kill|reset" >&2; exit 2 ;;
esac
