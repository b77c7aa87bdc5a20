# Shared by run.sh and callgrind.sh (sourced): takes `--database-url URL` off the arguments,
# makes a scratch directory ($work) and the database ($url): a new SQLite file, or the named
# PostgreSQL database dropped and created.
url=""
if [ "${1:-}" = "--database-url" ]; then url="$2"; shift 2; fi
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "$url" ]; then
  url="sqlite://$work/load.db"
elif [[ "$url" == postgres* ]]; then
  db="${url##*/}"; admin="${url%/*}/postgres"
  psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
fi
