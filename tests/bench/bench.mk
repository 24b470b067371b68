# Benchmarks: make bench, make bench-deps, make bench-hunt (included by the
# main Makefile).
#
#   make bench-deps                  install DuckDB's Node client into $(BENCH_DIR)/node
#   make bench                       Q1-Q5 + throughput lines, vpcflow vs the peers present
#   make bench BENCH_ROWS=1000000    a quicker, smaller run
#   make bench-hunt                  sql/hunt.sql on generated days of 1, 2, 4, 10 M
#                                    records, realistic and random-address: records/s,
#                                    wall, peak RSS, every phase, issue #12's targets
#   make bench-hunt BENCH_HUNT_SIZES=100000    the quick, CI-sized check (a few s)
#   make bench-hunt BENCH_HUNT_SIZES=100000000 BENCH_HUNT_KINDS=realistic   the 100 M day
#   (tests/bench/README.md has the details)
#
# Variables:
#   BENCH_ROWS   rows of the v2 file (default 10000000; the v5 file has 1/5 of it)
#   BENCH_DIR    scratch directory for data, the SQLite import and npm packages;
#                data already there with the right size is reused
#   BENCH_RUNS   timed runs per query and engine; the median is shown (default 3)
#   BENCH_PEERS  "sqlite duckdb" (default), "sqlite", "duckdb" or "none"
#   BENCH_DUCKDB_VERSION   npm version of @duckdb/node-api for bench-deps
#   BENCH_S3     1 (default): the S3 section, the .gz and .parquet read from a
#                local S3 server (s3rver, installed by make s3-check) beside
#                the disk, with the bytes fetched; 0: skip it
# Timings are informative only: no target here fails because of a number.
# A wrong answer (engines disagreeing) is printed as MISMATCH and makes
# `make bench` exit non-zero.
#
# bench-hunt variables (tests/bench/hunt.sh):
#   BENCH_HUNT_DIR    generated days, kept and reused (default /work/benchdata)
#   BENCH_HUNT_SIZES  records per day (default 1000000 2000000 4000000 10000000)
#   BENCH_HUNT_KINDS  realistic and/or random (default both)
#   BENCH_HUNT_SETS   instead of the grid: "realistic:1000000 random:200000 ..."
#   BENCH_HUNT_BASE   git revision of the baseline hunt, built in
#                     $(BENCH_HUNT_DIR)/base-REV (default: 7b80dfa, the hunt
#                     before issue #12); "none" for no baseline
#   BENCH_HUNT_BASE_SETS  datasets the baseline also runs on (default: the
#                     smallest realistic one of the run, realistic:1000000 by
#                     default, since the old hunt needs ~15 min at 10 M)
#   BENCH_HUNT_TIMEOUT  seconds before one hunt is stopped (default 1800)
#   BENCH_HUNT_RUNS   hunts per dataset and tree, alternating the trees; the
#                     median wall is the result (default 1)
#   BENCH_HUNT_CMD    the hunt command, if it changes: the one place is
#                     HUNT_CMD_DEFAULT in tests/bench/hunt.sh (README's "Hunt")
# No timing fails bench-hunt; a hunt that errors, miscounts the records or
# misses an injected attack makes it exit 1.

BENCH_ROWS   ?= 10000000
BENCH_DIR    ?= /tmp/vpcflow-bench
BENCH_RUNS   ?= 3
BENCH_PEERS  ?= sqlite duckdb
BENCH_DUCKDB_VERSION ?= 1.5.6-r.1
BENCH_S3     ?= 1

BENCH_HUNT_DIR   ?= /work/benchdata
BENCH_HUNT_SIZES ?= 1000000 2000000 4000000 10000000
BENCH_HUNT_KINDS ?= realistic random
BENCH_HUNT_SETS  ?=
BENCH_HUNT_BASE  ?= 7b80dfac17313a12f51b943769d5db536a4a0973
BENCH_HUNT_BASE_SETS ?=
BENCH_HUNT_TIMEOUT ?= 1800
BENCH_HUNT_RUNS ?= 1

BENCH_GEN = $(BUILD)/bench/gen
HUNTGEN   = $(BUILD)/bench/huntgen

.PHONY: bench bench-deps bench-hunt

$(HUNTGEN): tests/bench/huntgen.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $< -lz -lm

bench-hunt: deps vpcflow.so $(BENCH_GEN) $(HUNTGEN)
	@BENCH_HUNT_DIR='$(BENCH_HUNT_DIR)' BENCH_HUNT_SIZES='$(BENCH_HUNT_SIZES)' \
	  BENCH_HUNT_KINDS='$(BENCH_HUNT_KINDS)' BENCH_HUNT_SETS='$(BENCH_HUNT_SETS)' \
	  BENCH_HUNT_BASE='$(BENCH_HUNT_BASE)' BENCH_HUNT_BASE_SETS='$(BENCH_HUNT_BASE_SETS)' \
	  BENCH_HUNT_TIMEOUT='$(BENCH_HUNT_TIMEOUT)' BENCH_HUNT_RUNS='$(BENCH_HUNT_RUNS)' \
	  HUNTGEN='$(CURDIR)/$(HUNTGEN)' BENCH_GEN='$(CURDIR)/$(BENCH_GEN)' \
	  BENCH_SO='$(CURDIR)/vpcflow.so' \
	  bash tests/bench/hunt.sh

$(BENCH_GEN): tests/bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

bench: deps vpcflow.so $(BENCH_GEN)
	@BENCH_ROWS='$(BENCH_ROWS)' BENCH_DIR='$(BENCH_DIR)' BENCH_RUNS='$(BENCH_RUNS)' \
	  BENCH_PEERS='$(BENCH_PEERS)' BENCH_GEN='$(CURDIR)/$(BENCH_GEN)' \
	  BENCH_SO='$(CURDIR)/vpcflow.so' BENCH_S3='$(BENCH_S3)' \
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
