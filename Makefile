# telltale: `make run` starts the server on the embedded store, `make test` runs every test.
# Each target installs what is missing first (scripts/install-deps.sh), so both work on a fresh machine.

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
CMAKE_FLAGS ?=

.PHONY: all deps build build-asan build-tsan run test unit-test asan-test tsan-test cli-test web-test fuzz-test lint bench bench-micro bench-check bench-profile bench-ingest bench-actuals bench-sdk bench-alerts bench-web clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > /dev/null
	@cmake --build build -j $(JOBS)
	@scripts/build-web.sh

# One clang build serves the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer and the
# libFuzzer targets (the same sanitizers, plus coverage for the fuzzers). Sanitizer builds use
# -O1 with line tables only (-g1): reports name file and line, and the build takes less time.
SANITIZER_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DTELLTALE_BENCH=OFF
build-asan: deps
	@CXX=clang++ cmake -S . -B build-asan -G Ninja $(SANITIZER_FLAGS) -DTELLTALE_SANITIZE=ON -DTELLTALE_FUZZ=ON > /dev/null
	@cmake --build build-asan -j $(JOBS) --target telltale_tests telltale_fuzzers

# ThreadSanitizer needs only the concurrent core: ingestion, live windows and the store.
build-tsan: deps
	@cmake -S . -B build-tsan -G Ninja $(SANITIZER_FLAGS) -DTELLTALE_TSAN=ON > /dev/null
	@cmake --build build-tsan -j $(JOBS) --target telltale_ingest_tests

# The server on the embedded store under ./telltale-data (TELLTALE_* variables and a --config file
# change its settings; docs/server.md). The first start prints the admin key and writes it to
# telltale-data/admin.key. Ctrl-C stops it cleanly.
DATA_DIR ?= ./telltale-data
# On an empty data directory the demo model is loaded, so the UI has something to show.
run: build
	@echo "starting telltale serve on http://127.0.0.1:8080 (web UI at /, REST API under /api/v1; data in $(DATA_DIR))"
	@echo "sign in to the UI with the admin key: cat $(DATA_DIR)/admin.key"
	@exec build/telltale serve --demo --data-dir $(DATA_DIR)

test: unit-test asan-test tsan-test cli-test web-test fuzz-test lint
	@echo "make test: every suite passed"

unit-test: build
	@cd build && ctest --output-on-failure -j $(JOBS)

asan-test: build-asan
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

# The concurrent parts (ingestion, live windows, the data store) under ThreadSanitizer.
tsan-test: build-tsan
	@TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/scripts/tsan.supp" build-tsan/telltale_ingest_tests

cli-test: build
	@TELLTALE_BIN=$(CURDIR)/build/telltale .venv/bin/python -m pytest -q tests

# The web UI: Vitest on its data transforms, then Playwright driving Debian's Chromium through
# the main flows against a real server loaded with the demo (screenshots in web/e2e/artifacts).
web-test: build
	@cd web && npx vitest run
	@cd web && TELLTALE_BIN=$(CURDIR)/build/telltale node e2e/run.mjs

fuzz-test: build-asan
	@scripts/run-fuzzers.sh build-asan $(FUZZ_SECONDS)

lint: build
	@scripts/lint.sh build

# Benchmarks (not part of `make test`): micro-benchmarks, then telltale against Evidently and
# whylogs on 1,000,000-row files (BENCH_ROWS), the peers installed into bench/.venv from PyPI.
BENCH_ROWS ?= 1000000
BENCH_PYTHON := bench/.venv/bin/python

bench: bench-micro bench-check bench-profile bench-ingest bench-actuals bench-sdk bench-alerts bench-web

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

# telltale serve: sustained durable ingestion vs the in-process parse ceiling, latency at half load,
# RSS after 10M rows, and a 30-day drift query (bench/ingest/run.py; BENCH_SECONDS per phase).
BENCH_SECONDS ?= 30
bench-ingest: build
	@.venv/bin/python bench/ingest/run.py --seconds $(BENCH_SECONDS)

# Actuals joined to 10M indexed predictions, the index's bytes per prediction, a 90-day F1 series.
bench-actuals: build
	@.venv/bin/python bench/actuals/run.py

# The Python SDK: caller-thread overhead and end-to-end rate of logging a 1,000,000-row frame into a
# real server, and telltale.profile against whylogs (bench/sdk/run.py). The SDK is installed into
# the bench environment from python/ on every run, so it is the checkout's.
# A year of traffic, clean and with incidents, replayed through the default monitors.
bench-alerts: build
	@.venv/bin/python bench/alert-quality/run.py

# The web UI: bundle size and first meaningful paint of each page in headless Chromium, on a model
# with 100 features and 90 days of hourly data (bench/web/run.mjs).
bench-web: build
	@node bench/web/run.mjs

bench-sdk: build $(BENCH_PYTHON)
	@bench/.venv/bin/pip install -q ./python
	@$(BENCH_PYTHON) bench/sdk/run.py --rows $(BENCH_ROWS)

clean:
	rm -rf build build-asan build-tsan
