#!/usr/bin/env bash
# Counts the server's instructions per request under callgrind, each request sent one at a
# time: static file, item read and save, or the kinds named (start, submit, report, item-page
# and report-page too). Instruction counts repeat from run to run on the same binary, unlike
# CPU seconds on a shared machine.
#
#   bench/load/callgrind.sh [--database-url URL] [COUNT [KIND...]]
#   bench/load/callgrind.sh 200 static submit report
#
# Needs valgrind. Each kind's profile is kept as callgrind-<kind>.out in the directory it is
# run from (read it with callgrind_annotate).
set -euo pipefail
out=$(pwd)
cd "$(dirname "$0")/../.."

source bench/load/server.sh
count="${1:-1500}"
shift || true
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(static item save)

cargo build --release -q -p getmycert -p getmycert-load
port=18090
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/callgrind.out" \
  "${GETMYCERT_BIN:-target/release/getmycert}" --addr "127.0.0.1:$port" --database-url "$url" --log-level warn \
  > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.5
done
for kind in "${kinds[@]}"; do
  mkfifo "$work/go"
  target/release/getmycert-load --url "http://127.0.0.1:$port" --pid "$server" \
    one-by-one --kind "$kind" --count "$count" < "$work/go" > "$work/$kind.log" &
  harness=$!
  exec 3> "$work/go"
  until grep -q ready "$work/$kind.log" 2>/dev/null; do
    kill -0 "$harness" 2>/dev/null || { cat "$work/$kind.log"; exit 1; }
    sleep 0.2
  done
  callgrind_control -z "$server" >/dev/null 2>&1
  callgrind_control -i on "$server" >/dev/null 2>&1
  echo >&3
  wait "$harness"
  exec 3>&-
  rm "$work/go"
  callgrind_control -d "$kind" "$server" >/dev/null 2>&1
  callgrind_control -i off "$server" >/dev/null 2>&1
  dump=$(ls -t "$work"/callgrind.out.* | head -1)
  mv "$dump" "$out/callgrind-$kind.out"
  total=$(callgrind_annotate "$out/callgrind-$kind.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  printf '%-7s %8d instructions per request\n' "$kind" "$((total / count))"
done
