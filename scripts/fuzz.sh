#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan + UBSan), replays the regression inputs
# of tests/fixtures/fuzz/<target>/, then fuzzes each target for SECONDS_PER_TARGET seconds on a
# copy of its seed corpus (fuzz/corpus/<target>/) kept in the build folder.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET (600)] [BUILD_DIR (build-fuzz)]
# Exit 0 when every replay passed and no fuzzer found a crash, leak, timeout or memory blow-up;
# 1 otherwise, with where each input that broke a target is and how to keep it as a fixture.
set -euo pipefail

seconds="${1:-600}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${2:-$root/build-fuzz}"
case "$build_dir" in /*) ;; *) build_dir="$PWD/$build_dir" ;; esac
# The build is slow under the sanitizers; more than two compilers rarely pay off on CI machines.
jobs="${FUZZ_JOBS:-2}"
targets=(load_csv config model_artifact)
declare -A max_len=([load_csv]=65536 [config]=16384 [model_artifact]=65536)
fuzzer_options=(-timeout=10 -rss_limit_mb=2048)

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [BUILD_DIR]" >&2
  exit 2
fi
for tool in clang-14 clang++-14 cmake; do
  if ! command -v "$tool" >/dev/null; then
    echo "fuzz: $tool not found; install the packages with: bash scripts/install-deps.sh" >&2
    exit 2
  fi
done

start=$SECONDS
echo "fuzz: configuring $build_dir"
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build_dir" -DLOADCAST_FUZZ=ON \
  -DLOADCAST_BUILD_TESTS=OFF -DLOADCAST_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "fuzz: building ${targets[*]/%/_fuzz}"
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]/%/_fuzz}" >"$build_dir/fuzz-build.log" 2>&1 || {
  tail -n 40 "$build_dir/fuzz-build.log" >&2
  echo "fuzz: build failed (log: $build_dir/fuzz-build.log)" >&2
  exit 1
}
echo "fuzz: built in $((SECONDS - start)) s"

failed=()

# The inputs that once broke a target run first, without fuzzing: each must now pass.
for target in "${targets[@]}"; do
  fixtures=()
  if [ -d "$root/tests/fixtures/fuzz/$target" ]; then
    mapfile -t fixtures < <(find "$root/tests/fixtures/fuzz/$target" -type f | sort)
  fi
  [ "${#fixtures[@]}" -eq 0 ] && continue
  log="$build_dir/fuzz-run/$target/replay.log"
  mkdir -p "$(dirname "$log")"
  if "$build_dir/fuzz/${target}_fuzz" "${fuzzer_options[@]}" "${fixtures[@]}" >"$log" 2>&1; then
    echo "fuzz: $target: ${#fixtures[@]} regression inputs pass"
  else
    echo "fuzz: $target: a regression input of tests/fixtures/fuzz/$target/ fails again:" >&2
    grep -E '^Running:|ERROR|SUMMARY|runtime error|invariant|exception' "$log" | tail -n 8 >&2 || true
    echo "  (log: $log)" >&2
    failed+=("$target (regression)")
  fi
done

for target in "${targets[@]}"; do
  run_dir="$build_dir/fuzz-run/$target"
  corpus="$run_dir/corpus"
  artifacts="$run_dir/artifacts"
  mkdir -p "$corpus" "$artifacts"
  # The seeds are copied, never fuzzed in place: libFuzzer adds what it finds to the corpus.
  cp "$root/fuzz/corpus/$target/"* "$corpus/"
  rm -f "$artifacts"/*
  dict=()
  [ -f "$root/fuzz/dict/$target.dict" ] && dict=(-dict="$root/fuzz/dict/$target.dict")
  log="$run_dir/fuzz.log"
  echo "fuzz: $target: fuzzing for $seconds s (log: $log)"
  status=0
  "$build_dir/fuzz/${target}_fuzz" "${fuzzer_options[@]}" -max_total_time="$seconds" \
    -max_len="${max_len[$target]}" "${dict[@]}" -artifact_prefix="$artifacts/" \
    -print_final_stats=1 "$corpus" >"$log" 2>&1 || status=$?
  summary="$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 || true)"
  execs="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  echo "fuzz: $target: ${summary:-no progress line} | ${execs:-?} exec/s"
  mapfile -t found < <(find "$artifacts" -type f | sort)
  if [ "$status" -ne 0 ] || [ "${#found[@]}" -gt 0 ]; then
    failed+=("$target")
    echo "fuzz: $target FAILED (exit $status):" >&2
    grep -E 'ERROR|SUMMARY|runtime error|invariant|exception' "$log" | head -n 5 >&2 || true
    for input in "${found[@]}"; do
      case "$target" in load_csv) ext=csv ;; config) ext=yaml ;; model_artifact) ext=json ;; esac
      cat >&2 <<EOF
  input: $input
  reproduce: $build_dir/fuzz/${target}_fuzz $input
  minimise:  $build_dir/fuzz/${target}_fuzz -minimize_crash=1 -runs=100000 \\
               -exact_artifact_path=$input.min $input
  keep it:   fix the bug, then copy the (minimised) input to
             tests/fixtures/fuzz/$target/<what-it-breaks>.$ext; this script replays it first.
EOF
    done
  fi
done

echo "fuzz: done in $((SECONDS - start)) s"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no crash in ${targets[*]}"
