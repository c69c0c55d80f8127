# telltale: `make run` starts telltale on a bundled example, `make test` runs every test.
# Each target installs what is missing first (scripts/install-deps.sh), so both work on a fresh machine.

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
CMAKE_FLAGS ?=

.PHONY: all deps build build-asan build-fuzz run test unit-test asan-test cli-test fuzz-test lint bench bench-micro bench-check bench-profile clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > /dev/null
	@cmake --build build -j $(JOBS)

build-asan: deps
	@cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELLTALE_SANITIZE=ON > /dev/null
	@cmake --build build-asan -j $(JOBS) --target telltale_tests

build-fuzz: deps
	@CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTELLTALE_FUZZ=ON -DTELLTALE_BENCH=OFF > /dev/null
	@cmake --build build-fuzz -j $(JOBS)

# Until the server exists, `make run` checks the bundled example pair and prints the report.
run: build
	@echo "telltale check --reference examples/reference.csv --current examples/current.csv"
	@build/telltale check --reference examples/reference.csv --current examples/current.csv; \
	  status=$$?; echo; echo "exit code $$status (0 = no drift, 1 = drift or a failed integrity check)"

test: unit-test asan-test cli-test fuzz-test lint
	@echo "make test: every suite passed"

unit-test: build
	@cd build && ctest --output-on-failure -j $(JOBS)

asan-test: build-asan
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

cli-test: build
	@TELLTALE_BIN=$(CURDIR)/build/telltale .venv/bin/python -m pytest -q tests

fuzz-test: build-fuzz
	@scripts/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS)

lint: build
	@scripts/lint.sh build

# Benchmarks (not part of `make test`): micro-benchmarks, then telltale against Evidently and
# whylogs on 1,000,000-row files (BENCH_ROWS), the peers installed into bench/.venv from PyPI.
BENCH_ROWS ?= 1000000
BENCH_PYTHON := bench/.venv/bin/python

bench: bench-micro bench-check bench-profile

bench-micro: build
	@bench/run.sh

$(BENCH_PYTHON): bench/requirements.txt
	@python3 -m venv bench/.venv
	@bench/.venv/bin/pip install -q -r bench/requirements.txt
	@touch $(BENCH_PYTHON)

bench-check: build $(BENCH_PYTHON)
	@$(BENCH_PYTHON) bench/check/run.py --rows $(BENCH_ROWS)

bench-profile: build $(BENCH_PYTHON)
	@$(BENCH_PYTHON) bench/profile/run.py --rows $(BENCH_ROWS)

clean:
	rm -rf build build-asan build-fuzz
