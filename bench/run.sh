#!/usr/bin/env bash
# Runs telltale's micro-benchmarks, five repetitions each, and reports their median (the machine's
# speed varies from run to run). Usage: bench/run.sh [google-benchmark flags] (after `make build`).
set -euo pipefail
cd "$(dirname "$0")/.."
build/telltale_micro_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true "$@"
