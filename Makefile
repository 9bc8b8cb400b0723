# Entry points: `make demo` and `make test` work on a fresh Debian 12 machine (root, apt reachable).
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?=

.PHONY: all deps configure build demo test test-sanitize bench check-layers format clean

all: build

deps:
	bash scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	bash scripts/demo.sh $(BUILD_DIR)/loadcast

# Starts throwaway PostgreSQL and S3 servers, runs every test, then the integration tests again
# on those backends, and stops the servers (scripts/run-tests.sh).
test: build
	bash scripts/run-tests.sh $(BUILD_DIR) -j $(JOBS) $(CTEST_ARGS)

# The unit and integration tests under ASan, LSan and UBSan, in their own build folder
# (build-sanitize): configures, builds and runs them (scripts/run-sanitized-tests.sh).
test-sanitize: deps
	JOBS=$(JOBS) bash scripts/run-sanitized-tests.sh build-sanitize -j $(JOBS) $(CTEST_ARGS)

# The hot paths, then the whole commands in child processes beside the Python reference
# (docs/performance.md). BENCH_ARGS go to both, e.g. BENCH_ARGS=--benchmark_filter=run_.
BENCH_ARGS ?=
bench: build
	$(BUILD_DIR)/bench/loadcast_micro_bench $(BENCH_ARGS)
	$(BUILD_DIR)/bench/loadcast_macro_bench $(BENCH_ARGS)

check-layers:
	bash scripts/check-layers.sh src

format:
	find src tests -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)

# libFuzzer runs of the CSV, config and model artifact parsers (clang; scripts/fuzz.sh), after
# replaying the inputs of tests/fixtures/fuzz/. fuzz-smoke is the short run for CI.
FUZZ_SECONDS ?= 600
.PHONY: fuzz fuzz-smoke

fuzz: deps
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke: deps
	bash scripts/fuzz.sh 60

# What CI runs (.ci/run): the tests on both backends, the unit and integration tests again under
# the sanitizers, and a minute of fuzzing per parser.
.PHONY: check stress
check: test test-sanitize fuzz-smoke

# The long checks CI leaves out (docs/reliability.md): the 200 MB input, the dashboard under load
# for STRESS_LOAD_SECONDS, and FUZZ_SECONDS of fuzzing per parser.
STRESS_LOAD_SECONDS ?= 300
stress: build
	LOADCAST_STRESS=1 LOADCAST_LOAD_SECONDS=$(STRESS_LOAD_SECONDS) ctest --test-dir $(BUILD_DIR) \
	  --output-on-failure -R 'A200Megabyte|DashboardLoad'
	bash scripts/fuzz.sh $(FUZZ_SECONDS)
