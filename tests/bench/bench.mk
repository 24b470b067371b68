# Benchmarks: make bench, make bench-deps (included by the main Makefile).
#
#   make bench-deps                  install DuckDB's Node client into $(BENCH_DIR)/node
#   make bench                       Q1-Q5 + throughput lines, vpcflow vs the peers present
#   make bench BENCH_ROWS=1000000    a quicker, smaller run
#
# Variables:
#   BENCH_ROWS   rows of the v2 file (default 10000000; the v5 file has 1/5 of it)
#   BENCH_DIR    scratch directory for data, the SQLite import and npm packages;
#                data already there with the right size is reused
#   BENCH_RUNS   timed runs per query and engine; the median is shown (default 3)
#   BENCH_PEERS  "sqlite duckdb" (default), "sqlite", "duckdb" or "none"
#   BENCH_DUCKDB_VERSION   npm version of @duckdb/node-api for bench-deps
# Timings are informative only: no target here fails because of a number.
# A wrong answer (engines disagreeing) is printed as MISMATCH and makes
# `make bench` exit non-zero.

BENCH_ROWS   ?= 10000000
BENCH_DIR    ?= /tmp/vpcflow-bench
BENCH_RUNS   ?= 3
BENCH_PEERS  ?= sqlite duckdb
BENCH_DUCKDB_VERSION ?= 1.5.6-r.1

BENCH_GEN = $(BUILD)/bench/gen

.PHONY: bench bench-deps

$(BENCH_GEN): tests/bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

bench: deps vpcflow.so $(BENCH_GEN)
	@BENCH_ROWS='$(BENCH_ROWS)' BENCH_DIR='$(BENCH_DIR)' BENCH_RUNS='$(BENCH_RUNS)' \
	  BENCH_PEERS='$(BENCH_PEERS)' BENCH_GEN='$(CURDIR)/$(BENCH_GEN)' \
	  BENCH_SO='$(CURDIR)/vpcflow.so' \
	  bash tests/bench/bench.sh

bench-deps: deps
	@command -v /usr/bin/time >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; \
	  else echo "bench needs GNU time: sudo apt-get install -y time" >&2; exit 1; fi; }
	@command -v npm >/dev/null 2>&1 || { \
	  echo "bench-deps needs node and npm (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }
	@mkdir -p '$(BENCH_DIR)/node'
	npm install --prefix '$(BENCH_DIR)/node' --no-audit --no-fund --loglevel=error \
	  '@duckdb/node-api@$(BENCH_DUCKDB_VERSION)'
	@node -e "require('$(BENCH_DIR)/node/node_modules/@duckdb/node-api')" && \
	  echo "bench-deps: @duckdb/node-api $(BENCH_DUCKDB_VERSION) in $(BENCH_DIR)/node"
