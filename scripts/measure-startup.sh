#!/usr/bin/env bash
# Time from process start until /healthz answers 200 (content loaded and validated, database
# migrated, catalog and bank synced, listener bound).
#
#   cargo build --release
#   cargo run --release -p getmycert-content --example generate_bank -- /tmp/bank 1000
#   cp -r content/catalog content/guides /tmp/bank/
#   scripts/measure-startup.sh target/release/getmycert /tmp/bank sqlite:///tmp/m/db.sqlite 8201
#
# Run it twice against the same database to see a start with nothing to sync.
set -u
bin=$1; content=$2; db=$3; port=${4:-8201}
start=$(date +%s.%N)
$bin --addr 127.0.0.1:$port --content-dir "$content" --database-url "$db" --log-level warn >/tmp/measure.log 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  kill -0 $pid 2>/dev/null || { echo "the server exited:"; cat /tmp/measure.log; exit 1; }
  sleep 0.01
done
end=$(date +%s.%N)
kill -TERM $pid; wait $pid
echo "ready after $(echo "$end - $start" | bc) s"
