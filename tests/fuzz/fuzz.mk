# tests/fuzz/fuzz.mk - libFuzzer harnesses of vpcflow (included by the
# main Makefile).
#
#   make fuzz            build every harness, replay the crash regressions,
#                        then run each harness FUZZ_SECONDS (20) seconds
#   make fuzz-long       the same, FUZZ_SECONDS=600 each unless given
#   make fuzz-regress    build and replay tests/fuzz/regress/ only (fast)
#
#   make fuzz-long FUZZ_SECONDS=3600 FUZZ_NAMES="sql reader"
#
# Harnesses (tests/fuzz/fuzz_NAME.c): parse (the line parser), format (the
# ${field} format parser and header detection), reader (plain and gzip
# files), sql (the vpcflow table, vpcflow_errors and the functions) and
# parquet (the Parquet reader), addr (IP address and CIDR text against
# inet_pton) and s3 (a ListObjectsV2 page, an S3 glob against a key).
# A harness uses tests/fuzz/NAME.dict if
# there is one, else tests/fuzz/vpcflow.dict.
#
# Each run starts from tests/fuzz/corpus/NAME/, copied into
# build/fuzz/corpus/NAME/ where the corpus grows (the committed seeds are
# never written to; rm -rf build/fuzz/corpus to start over). A crash, leak,
# timeout or failed check stops the run, fails make and leaves the input
# in build/fuzz/crash/NAME/; minimise it with
#   build/fuzz/fuzz_NAME -minimize_crash=1 -runs=10000 CRASH_FILE
# and keep the result in tests/fuzz/regress/NAME/ once it is fixed.
#
# The harnesses need clang with libFuzzer: on Debian 12 the packages
# clang-14 and libclang-rt-14-dev (the sanitizer and fuzzer runtimes).
# Harnesses run one after another, one process each: set FUZZ_JOBS=N to
# give each N worker processes (libFuzzer -fork=N) on a bigger machine.

FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 20
FUZZ_JOBS    ?= 1
FUZZ_NAMES   ?= parse format reader sql parquet addr s3
FUZZ_FLAGS   ?=

FUZZ_DIR  = tests/fuzz
FUZZ_OUT  = $(BUILD)/fuzz
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer
# Harness code must be warning-free; ext/ code is compiled with the main
# Makefile's -Werror by gcc already, and clang may warn about other things.
FUZZ_CFLAGS = -std=gnu11 -g -O1 -Wall -Wextra $(FUZZ_SAN) -DSQLITE_CORE -Iext
FUZZ_EXT_OBJ = $(patsubst ext/%.c,$(FUZZ_OUT)/obj/%.o,$(EXT_SRC))
FUZZ_BIN  = $(patsubst %,$(FUZZ_OUT)/fuzz_%,$(FUZZ_NAMES))

# -timeout: an input running 25 s is a hang. -rss_limit_mb: the reader
# keeps about 400 KiB per file; 2 GiB means a leak or runaway growth.
FUZZ_RUN_FLAGS = -max_total_time=$(FUZZ_SECONDS) -timeout=25 \
                 -rss_limit_mb=2048 -print_final_stats=1 \
                 $(if $(filter-out 1,$(FUZZ_JOBS)),-fork=$(FUZZ_JOBS)) \
                 $(FUZZ_FLAGS)

.PHONY: fuzz fuzz-long fuzz-build fuzz-regress

# Keep the objects between builds (make would delete them as intermediate).
.SECONDARY: $(FUZZ_EXT_OBJ)

$(FUZZ_OUT)/obj/%.o: ext/%.c $(FEATURES_FILE)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
-include $(FUZZ_EXT_OBJ:.o=.d)

$(FUZZ_OUT)/fuzz_%: $(FUZZ_DIR)/fuzz_%.c $(FUZZ_DIR)/fuzz_utf8.h $(FUZZ_EXT_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< \
	  $(FUZZ_EXT_OBJ) -lsqlite3 $(LIBS)

fuzz-build: $(FUZZ_BIN)

# Replay every kept crash input: each must now run clean. All harnesses
# are replayed; make fails at the end if any input still fails.
fuzz-regress: fuzz-build
	@bad=""; for h in $(FUZZ_NAMES); do \
	  files=$$(find $(FUZZ_DIR)/regress/$$h -type f 2>/dev/null | sort); \
	  if [ -z "$$files" ]; then echo "fuzz-regress $$h: no inputs"; continue; fi; \
	  n=$$(echo "$$files" | wc -l); log=$(FUZZ_OUT)/regress-$$h.log; \
	  if $(FUZZ_OUT)/fuzz_$$h $$files > $$log 2>&1; then \
	    echo "fuzz-regress $$h: $$n inputs ok"; \
	  else \
	    grep -E 'check failed|ERROR:|runtime error|^SUMMARY|Running:' $$log | tail -n 8; \
	    echo "fuzz-regress $$h: FAILED (log: $$log)"; bad="$$bad $$h"; \
	  fi; \
	done; \
	if [ -n "$$bad" ]; then echo "fuzz-regress: failing:$$bad"; exit 1; fi

# Fuzz each harness in turn; print runs, exec/s and coverage of each.
fuzz: fuzz-regress
	@set -e; for h in $(FUZZ_NAMES); do \
	  corp=$(FUZZ_OUT)/corpus/$$h; crash=$(FUZZ_OUT)/crash/$$h; \
	  log=$(FUZZ_OUT)/log/$$h.log; \
	  mkdir -p $$corp $$crash $(FUZZ_OUT)/log; \
	  cp -n $(FUZZ_DIR)/corpus/$$h/* $$corp/ 2>/dev/null || true; \
	  dict=$(FUZZ_DIR)/$$h.dict; \
	  [ -f $$dict ] || dict=$(FUZZ_DIR)/vpcflow.dict; \
	  echo "fuzz $$h: $(FUZZ_SECONDS) s ..."; \
	  if ! $(FUZZ_OUT)/fuzz_$$h $(FUZZ_RUN_FLAGS) -dict=$$dict \
	       -artifact_prefix=$$crash/ $$corp > $$log 2>&1; then \
	    tail -n 60 $$log; \
	    echo "fuzz $$h: FAILED, input kept in $$crash/ (log: $$log)"; \
	    exit 1; \
	  fi; \
	  awk -v h=$$h '/^#[0-9]+/ && / cov: / { last = $$0 } \
	    /stat::number_of_executed_units/ { runs = $$2 } \
	    /stat::average_exec_per_sec/ { eps = $$2 } \
	    /stat::peak_rss_mb/ { rss = $$2 } \
	    END { n = split(last, f, " "); cov = ft = corp = "?"; \
	      for (i = 1; i < n; i++) { if (f[i] == "cov:") cov = f[i+1]; \
	        if (f[i] == "ft:") ft = f[i+1]; \
	        if (f[i] == "corp:") corp = f[i+1] } \
	      printf "fuzz %s: ok: %s runs, %s exec/s, cov %s, ft %s, " \
	             "corpus %s, rss %s MB\n", h, runs, eps, cov, ft, corp, rss }' \
	    $$log; \
	done

fuzz-long: FUZZ_SECONDS = 600
fuzz-long: fuzz
