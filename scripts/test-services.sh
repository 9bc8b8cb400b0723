#!/usr/bin/env bash
# Throwaway servers for the tests of the production backends: a PostgreSQL cluster (initdb in a
# temporary folder) and an S3-compatible server (s3rver from tests/s3), both on loopback ports
# that were free, both owned by this script.
#
#   eval "$(scripts/test-services.sh start)"   # prints the exports the tests read
#   scripts/test-services.sh stop              # stops both and removes their folders
#
# The exports: LOADCAST_TEST_POSTGRES_URL (a superuser URL to create test databases from),
# LOADCAST_TEST_S3_ENDPOINT (with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for it) and
# LOADCAST_TEST_SERVICES (the folder holding both, for `stop`).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state_file="${TMPDIR:-/tmp}/loadcast-test-services.path"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] || { echo "test-services: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

# Runs a PostgreSQL program as an unprivileged user: the server refuses to run as root.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir bin pg_port s3_port
  dir="$(mktemp -d "${TMPDIR:-/tmp}/loadcast-services.XXXXXX")"
  chmod 755 "$dir"
  echo "$dir" > "$state_file"
  bin="$(pg_bin)"

  mkdir -p "$dir/pg"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir/pg"; fi
  as_pg_user "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 ||
    { cat "$dir/pg/initdb.log" >&2; exit 1; }
  pg_port="$(free_port)"
  as_pg_user "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/pg/server.log" >&2; exit 1; }

  [ -d "$root/tests/s3/node_modules/s3rver" ] || npm ci --prefix "$root/tests/s3" --no-audit --no-fund >&2
  mkdir -p "$dir/s3"
  s3_port="$(free_port)"
  # --openssl-legacy-provider: s3rver 3.7 pages listings with DES tokens, which OpenSSL 3 hides.
  setsid node --openssl-legacy-provider "$root/tests/s3/node_modules/s3rver/bin/s3rver.js" -d "$dir/s3/data" \
    -a 127.0.0.1 -p "$s3_port" --no-vhost-buckets --silent \
    --configure-bucket loadcast-test >"$dir/s3/server.log" 2>&1 &
  echo $! > "$dir/s3/pid"
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$s3_port/"; then break; fi
    sleep 0.1
  done
  curl -s -o /dev/null "http://127.0.0.1:$s3_port/" ||
    { echo "test-services: s3rver did not start:" >&2; cat "$dir/s3/server.log" >&2; exit 1; }

  echo "export LOADCAST_TEST_SERVICES='$dir'"
  echo "export LOADCAST_TEST_POSTGRES_URL='postgresql://postgres@127.0.0.1:$pg_port/postgres'"
  echo "export LOADCAST_TEST_S3_ENDPOINT='http://127.0.0.1:$s3_port'"
  echo "export LOADCAST_TEST_S3_BUCKET='loadcast-test'"
  echo "export AWS_ACCESS_KEY_ID='S3RVER' AWS_SECRET_ACCESS_KEY='S3RVER'"
  echo "test-services: PostgreSQL on 127.0.0.1:$pg_port, s3rver on 127.0.0.1:$s3_port ($dir)" >&2
}

stop() {
  local dir="${LOADCAST_TEST_SERVICES:-}"
  [ -n "$dir" ] || dir="$(cat "$state_file" 2>/dev/null || true)"
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  if [ -f "$dir/pg/data/postmaster.pid" ]; then
    as_pg_user "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/s3/pid" ]; then
    kill -- "-$(cat "$dir/s3/pid")" 2>/dev/null || kill "$(cat "$dir/s3/pid")" 2>/dev/null || true
  fi
  rm -rf "$dir" "$state_file"
  echo "test-services: stopped" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
