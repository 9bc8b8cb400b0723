#!/usr/bin/env bash
# The whole test suite, twice over the backends:
#   1. every test, with the embedded defaults (SQLite, local folder); the database and S3 unit
#      tests also run against the throwaway PostgreSQL and S3 servers started here;
#   2. the integration tests (the real binary, end to end) again with PostgreSQL and S3 as the
#      backends of every loadcast process they start (LOADCAST_TEST_BACKENDS=remote).
# Both servers are stopped at the end, whatever happened.
# Usage: scripts/run-tests.sh BUILD_DIR [ctest arguments...]
set -euo pipefail

build_dir="$1"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"

cleanup() { "$root/scripts/test-services.sh" stop || true; }
trap cleanup EXIT INT TERM
eval "$("$root/scripts/test-services.sh" start)"

echo "== tests on SQLite and a local folder (PostgreSQL and S3 DAO tests included)"
ctest --test-dir "$build_dir" --output-on-failure "$@"

echo "== integration tests on PostgreSQL and S3"
# The lost-update tests play 50 rounds there (200 on the embedded backends above).
LOADCAST_TEST_ROUNDS="${LOADCAST_TEST_ROUNDS:-50}" LOADCAST_TEST_BACKENDS=remote ctest --test-dir "$build_dir" --output-on-failure -L integration "$@"
