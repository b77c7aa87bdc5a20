#!/usr/bin/env bash
# Runs the load harness against a fresh server pinned to one core.
#
#   bench/load/run.sh [--database-url URL] SCENARIO [ARGS...]
#
#   bench/load/run.sh costs --sittings 40
#   bench/load/run.sh rush --guests 10000 --window 60 --think 1
#   bench/load/run.sh --database-url postgres://postgres@127.0.0.1/loadtest rush --guests 1000
#
# The server runs on core 0 (taskset), the harness on the others; the database is a new SQLite
# file unless --database-url names one (a PostgreSQL database is dropped and created first).
set -euo pipefail
cd "$(dirname "$0")/../.."

source bench/load/server.sh

cargo build --release -q -p getmycert -p getmycert-load
port=18080
ulimit -n 65536 2>/dev/null || true
taskset -c 0 "${GETMYCERT_BIN:-target/release/getmycert}" --addr "127.0.0.1:$port" --database-url "$url" \
  --log-level warn > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done
cores=$(nproc)
others="1-$((cores - 1))"
[ "$cores" -gt 1 ] || others=0
taskset -c "$others" target/release/getmycert-load --url "http://127.0.0.1:$port" --pid "$server" "$@"
