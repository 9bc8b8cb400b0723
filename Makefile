# Entry points: `make demo` and `make test` work on a fresh Debian 12 machine (root, apt reachable).
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?=

.PHONY: all deps configure build demo test bench check-layers format clean

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

bench: build
	$(BUILD_DIR)/bench/loadcast_bench

check-layers:
	bash scripts/check-layers.sh src

format:
	find src tests -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
