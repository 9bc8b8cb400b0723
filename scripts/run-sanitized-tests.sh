#!/usr/bin/env bash
# The unit and integration tests under AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer:
#   1. configures and builds the sanitizer build (LOADCAST_SANITIZE=ON, no benchmarks);
#   2. starts the throwaway PostgreSQL and S3 servers (scripts/test-services.sh; the database and
#      S3 unit tests use them) and runs the tests labelled unit or integration on the embedded
#      backends; with LOADCAST_SANITIZE_REMOTE=1, the integration tests run a second time on
#      PostgreSQL and S3, as in scripts/run-tests.sh;
#   3. stops the servers, whatever happened, and fails when a test failed or any sanitizer
#      reported something, printing the reports.
# Every process of the tests (test binaries and the loadcast processes they start) writes its
# ASan and LSan reports to BUILD_DIR/sanitizer-logs/asan.<pid> and exits with code 86. UBSan
# reports go to the process's standard error (GCC's separate UBSan runtime ignores log_path), so
# the tests' output is searched for them as well.
# Usage: scripts/run-sanitized-tests.sh [BUILD_DIR] [ctest arguments...]
#   BUILD_DIR defaults to build-sanitize (relative to the current folder); JOBS sets the build's
#   parallelism (default: the number of processors).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="build-sanitize"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  build_dir="$1"
  shift
fi
mkdir -p "$build_dir"
build_dir="$(cd "$build_dir" && pwd)"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

# The loadcast processes change folder, so every path here is absolute.
logs="$build_dir/sanitizer-logs"
supp="$root/scripts/sanitizers"
rm -rf "$logs" "$build_dir"/ctest-sanitized-*.log
mkdir -p "$logs"
# exitcode 86: a sanitizer's exit can never be mistaken for one of loadcast's own exit codes.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86\
:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1\
:log_path=$logs/asan"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
# The build makes every UBSan check fatal (-fno-sanitize-recover=undefined), so UBSan takes no
# suppressions: a suppressed check would still end the process, without a report.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"

# The dashboard load test checks that the server's memory stays flat; under ASan it cannot
# (freed memory waits in the quarantine, every thread has its fake stack for
# detect_stack_use_after_return, allocation stacks are kept), so here it only checks that the
# sanitized server holds the clients without errors and stops cleanly, for a shorter while.
export LOADCAST_LOAD_MAX_GROWTH_MB="${LOADCAST_LOAD_MAX_GROWTH_MB:-100000}"
export LOADCAST_LOAD_SECONDS="${LOADCAST_LOAD_SECONDS:-10}"
# The lost-update tests check for lost changes, which the release build's run does in full: here
# a few rounds exercise the same code under the sanitizers.
export LOADCAST_TEST_ROUNDS="${LOADCAST_TEST_ROUNDS:-20}"

seconds() { date +%s; }
t0="$(seconds)"
echo "== configure $build_dir"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DLOADCAST_SANITIZE=ON \
  -DLOADCAST_BUILD_BENCH=OFF -DLOADCAST_BUILD_TESTS=ON >/dev/null
t1="$(seconds)"
echo "== build $build_dir (-j $jobs)"
cmake --build "$build_dir" -j "$jobs"
t2="$(seconds)"

# The servers' state lives in a folder of this run, so that other runs of the servers on the
# same machine neither see nor stop them.
services_tmp="$(mktemp -d "${TMPDIR:-/tmp}/loadcast-sanitize.XXXXXX")"
chmod 755 "$services_tmp"
services() { TMPDIR="$services_tmp" "$root/scripts/test-services.sh" "$@"; }
cleanup() {
  services stop || true
  rm -rf "$services_tmp"
}
trap cleanup EXIT INT TERM
eval "$(services start)"

status=0
passes=(local)
[ "${LOADCAST_SANITIZE_REMOTE:-0}" = 1 ] && passes+=(remote)
for pass in "${passes[@]}"; do
  if [ "$pass" = local ]; then
    echo "== unit and integration tests on SQLite and a local folder, sanitized"
    ctest --test-dir "$build_dir" --output-on-failure -L 'unit|integration' "$@" || status=1
  else
    echo "== integration tests on PostgreSQL and S3, sanitized"
    LOADCAST_TEST_BACKENDS=remote ctest --test-dir "$build_dir" --output-on-failure \
      -L integration "$@" || status=1
  fi
  # The whole output of every test, passed or failed, for the UBSan reports.
  cp "$build_dir/Testing/Temporary/LastTest.log" "$build_dir/ctest-sanitized-$pass.log" 2>/dev/null || true
done
t3="$(seconds)"

found=0
for report in "$logs"/*; do
  [ -e "$report" ] || continue
  found=1
  echo "== sanitizer report $report"
  cat "$report"
done
pattern='runtime error:|ERROR: (AddressSanitizer|LeakSanitizer)|SUMMARY: UndefinedBehaviorSanitizer'
for log in "$build_dir"/ctest-sanitized-*.log; do
  [ -e "$log" ] || continue
  if grep -Eq "$pattern" "$log"; then
    found=1
    echo "== sanitizer reports in the output of the tests ($log)"
    grep -En -B2 -A25 "$pattern" "$log" | head -400
  fi
done

echo "== configure $((t1 - t0)) s, build $((t2 - t1)) s, tests $((t3 - t2)) s"
if [ "$found" -ne 0 ]; then
  echo "run-sanitized-tests: the sanitizers reported errors (above)" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "run-sanitized-tests: tests failed" >&2
  exit 1
fi
echo "run-sanitized-tests: no test failed and no sanitizer reported anything"
