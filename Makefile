# vpcflow - a SQLite extension that reads AWS VPC Flow Logs as tables.
#
#   make            build ./vpcflow.so
#   make demo       install what is missing (as root), build, run the hunt
#                   over the bundled scenario
#   make test       install what is missing (as root), then every suite: unit
#                   (cmocka), shell, python, progress, ASan+UBSan, TSan,
#                   valgrind, install-check
#   make check      the quick loop: unit and shell tests (under a minute)
#   make install    copy vpcflow.so where `.load vpcflow` finds it, the SQL
#                   library to $(SQLDIR), the command vpcflow-hunt to $(BINDIR)
#
# HOW THE BUILD WORKS
#
# (1) Packages first. The goals that need Debian packages (demo, test,
#     check, ...) run tests/deps.sh while this Makefile is being READ,
#     before anything below probes the system. A probe evaluated before
#     the packages arrive (ISA-L's header, say) would link the extension
#     without the library its objects then use: `.load` would fail with
#     "undefined symbol: isal_inflate" on a fresh machine's first run.
#     As another user, deps.sh prints the `sudo apt-get install` line and
#     make stops before building anything.
# (2) ext/ is compiled once per build kind into $(BUILD)/obj/KIND/*.o with
#     -MMD header dependencies; every binary of that kind links the same
#     objects. Kinds: so (the loadable extension), core (SQLITE_CORE, for
#     the unit tests), asan-so, asan-core, tsan-core (clang-14), cov-so,
#     cov-core; fuzz builds its own in tests/fuzz/fuzz.mk. A one-file edit
#     recompiles that file once per kind in use and relinks.
# (3) The optional libraries found (ISA-L, zstd, libcurl) are written to
#     $(BUILD)/features, rewritten only when the answer changes; every
#     object depends on it, so installing or removing a library rebuilds
#     what it affects instead of linking stale objects.

# `make` alone builds vpcflow.so: the objects' .d files are included
# before `all:`, and their first rule would otherwise be the default goal.
.DEFAULT_GOAL := all

CC      ?= cc
OPT     ?= -O2
WARN     = -Wall -Wextra -Werror
CFLAGS_ALL = -std=gnu11 -g $(OPT) $(WARN) -fPIC $(CFLAGS)
BUILD    = build

# --- (1) Debian packages, before any probe --------------------------------
# DEPS_SH is the package step; tests/fresh_check.sh replaces it to prove
# the ordering on a machine where the packages are already installed.
DEPS_SH ?= sh tests/deps.sh
BUILD_DEPS_GOALS = all demo tour bench bench-hunt install vpcflow.so
TEST_DEPS_GOALS  = test check unit shell asan asan-unit asan-shell python \
                   progress hunt-diff tsan valgrind coverage fuzz fuzz-long fuzz-build \
                   fuzz-regress install-check soak athena-check s3-check test-build
GOALS = $(or $(MAKECMDGOALS),all)
ifneq ($(filter $(TEST_DEPS_GOALS),$(GOALS)),)
  DEPS_KIND = test
else ifneq ($(filter $(BUILD_DEPS_GOALS),$(GOALS)),)
  DEPS_KIND = build
endif
# Sub-makes (make test runs make install ...) inherit the answer.
ifeq ($(VPCFLOW_DEPS_CHECKED),$(DEPS_KIND))
  DEPS_KIND =
endif
ifdef DEPS_KIND
  DEPS_RC := $(shell $(DEPS_SH) $(DEPS_KIND) >&2; echo $$?)
  ifneq ($(DEPS_RC),0)
    $(error the Debian packages above are needed first (tests/deps.sh $(DEPS_KIND)))
  endif
  export VPCFLOW_DEPS_CHECKED = $(DEPS_KIND)
endif

# --- (3) optional libraries ------------------------------------------------
have_header = $(shell printf '\043include <$(1)>\n' | $(CC) $(CFLAGS) -E -x c - >/dev/null 2>&1 && echo yes)
ifeq ($(findstring VPCFLOW_ZLIB,$(CFLAGS)),)
  HAVE_ISAL := $(call have_header,isa-l/igzip_lib.h)
endif
HAVE_ZSTD := $(call have_header,zstd.h)
# libcurl: s3:// paths (ext/s3.c); CFLAGS=-DVF_NO_CURL builds without it
ifeq ($(findstring VF_NO_CURL,$(CFLAGS)),)
  HAVE_CURL := $(call have_header,curl/curl.h)
endif
FEATURES := $(if $(HAVE_ISAL),isal) $(if $(HAVE_ZSTD),zstd) $(if $(HAVE_CURL),curl)
LIBS := -lz -lpthread -lm $(if $(HAVE_ISAL),-lisal) $(if $(HAVE_ZSTD),-lzstd) $(if $(HAVE_CURL),-lcurl)
FEATURES_FILE = $(BUILD)/features
$(shell mkdir -p $(BUILD) && { [ "$$(cat $(FEATURES_FILE) 2>/dev/null)" = "$(strip $(FEATURES))" ] || \
  echo "$(strip $(FEATURES))" > $(FEATURES_FILE); })

# --- (2) objects, once per kind --------------------------------------------
EXT_SRC  = $(sort $(wildcard ext/*.c))
EXT_HDR  = $(wildcard ext/*.h)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_NAMES = $(patsubst tests/unit/%.c,%,$(UNIT_SRC))

ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
TSAN_CC    = clang-14
TSAN_FLAGS = -std=gnu11 -g -O1 $(WARN) -fsanitize=thread
COV_FLAGS  = -std=gnu11 -g -O0 --coverage -fPIC

# Compiler and flags of each kind.
KIND_CC_so        = $(CC)
KIND_CC_core      = $(CC)
KIND_CC_asan-so   = $(CC)
KIND_CC_asan-core = $(CC)
KIND_CC_tsan-core = $(TSAN_CC)
KIND_CC_cov-so    = $(CC)
KIND_CC_cov-core  = $(CC)
KIND_FLAGS_so        = $(CFLAGS_ALL) -fvisibility=hidden
KIND_FLAGS_core      = $(CFLAGS_ALL) -DSQLITE_CORE
# (asan-so without libcurl: with it loaded, GCC 12's LeakSanitizer dies at
# exit walking the dynamic TLS of libcurl's dependencies, "Tracer caught
# signal 11", in the ASan shell suite; s3-check builds its own ASan .so
# with libcurl, $(BUILD)/s3asan/vpcflow.so, where it does not happen)
KIND_FLAGS_asan-so   = $(CFLAGS_ALL) $(ASAN_FLAGS) -fvisibility=hidden -DVF_NO_CURL
KIND_FLAGS_asan-core = $(CFLAGS_ALL) $(ASAN_FLAGS) -DSQLITE_CORE
KIND_FLAGS_tsan-core = $(TSAN_FLAGS) -DSQLITE_CORE
KIND_FLAGS_cov-so    = $(COV_FLAGS) -fvisibility=hidden
KIND_FLAGS_cov-core  = $(COV_FLAGS) -DSQLITE_CORE
KINDS = so core asan-so asan-core tsan-core cov-so cov-core

objs = $(patsubst ext/%.c,$(BUILD)/obj/$(1)/%.o,$(EXT_SRC))

define KIND_RULES
$(BUILD)/obj/$(1)/%.o: ext/%.c $(FEATURES_FILE)
	@mkdir -p $$(dir $$@)
	$$(KIND_CC_$(1)) $$(KIND_FLAGS_$(1)) -MMD -MP -c -o $$@ $$<
-include $(patsubst ext/%.c,$(BUILD)/obj/$(1)/%.d,$(EXT_SRC))
endef
$(foreach k,$(KINDS),$(eval $(call KIND_RULES,$(k))))

# A unit test binary of kind K: tests/unit/NAME.c compiled with the
# kind's flags, linked with the kind's objects.
define TEST_RULES
$(BUILD)/$(2)/%.o: tests/unit/%.c $(FEATURES_FILE)
	@mkdir -p $$(dir $$@)
	$$(KIND_CC_$(1)) $$(KIND_FLAGS_$(1)) -Iext -MMD -MP -c -o $$@ $$<
$(BUILD)/$(2)/%: $(BUILD)/$(2)/%.o $(call objs,$(1))
	$$(KIND_CC_$(1)) $$(KIND_FLAGS_$(1)) -o $$@ $$(filter %.o,$$^) -lsqlite3 -lcmocka $$(LIBS)
-include $(patsubst %,$(BUILD)/$(2)/%.d,$(UNIT_NAMES))
endef
$(eval $(call TEST_RULES,core,unit))
$(eval $(call TEST_RULES,asan-core,asan))
$(eval $(call TEST_RULES,tsan-core,tsan))
$(eval $(call TEST_RULES,cov-core,cov))

# Keep the objects: make would delete them as intermediate files.
.SECONDARY: $(foreach k,$(KINDS),$(call objs,$(k))) \
  $(foreach d,unit asan tsan cov,$(patsubst %,$(BUILD)/$(d)/%.o,$(UNIT_NAMES)))

# /usr/lib is on the dynamic loader's default search path, so `.load vpcflow`
# works from any directory; /usr/local/lib is not (it needs the full path).
LIBDIR  ?= /usr/lib
# The SQL library (its scripts `.read sql/...` one another, so it stays a
# directory named sql) and the command that runs the hunt from anywhere.
SQLDIR  ?= /usr/share/vpcflow/sql
BINDIR  ?= /usr/bin
SQL_LIB  = $(patsubst sql/%,%,$(wildcard sql/*.sql sql/*/*.sql sql/*/*/*.sql \
             sql/*.md sql/*/*.md sql/*/*/*.md))

.PHONY: all deps test-deps demo test test-build check unit shell asan asan-unit asan-shell \
        python progress hunt-diff tsan valgrind coverage tour install uninstall \
        install-check fresh-check soak athena-check s3-check naming clean

all: vpcflow.so

# Kept for anyone who calls them: the package check itself runs while
# the Makefile is read (see (1)).
deps:
	@$(DEPS_SH) build

test-deps:
	@$(DEPS_SH) test

# The loadable extension: only sqlite3_vpcflow_init is exported.
vpcflow.so: $(call objs,so)
	$(CC) $(CFLAGS_ALL) -fvisibility=hidden -shared -o $@ $^ $(LIBS)

$(BUILD)/asan/vpcflow.so: $(call objs,asan-so)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -fvisibility=hidden -shared -o $@ $^ $(filter-out -lcurl,$(LIBS))

$(BUILD)/cov/vpcflow.so: $(call objs,cov-so)
	@mkdir -p $(dir $@)
	$(CC) $(COV_FLAGS) -fvisibility=hidden -shared -o $@ $^ $(LIBS)

UNIT_BIN = $(patsubst %,$(BUILD)/unit/%,$(UNIT_NAMES))
ASAN_BIN = $(patsubst %,$(BUILD)/asan/%,$(UNIT_NAMES))
# ThreadSanitizer over the tests that run threads (clang-14).
TSAN_TESTS = test_threads test_vtab test_group test_ahead test_ahead_diff test_day_store test_day_tables_store test_day_summary
TSAN_BIN = $(patsubst %,$(BUILD)/tsan/%,$(TSAN_TESTS))

unit: $(UNIT_BIN)
	@sh tests/run_unit.sh $(UNIT_BIN)

# Every binary that make test and make s3-check run, so that they can be
# compiled on all cores first (.ci/run: make -j$$(nproc) test-build); the
# suites themselves then run one at a time, as make test lists them, each
# running its binaries or cases two at a time (tests/README.md). About
# 340 compilations: 104 s serial in a fresh clone, 53 s with -j2.
test-build: vpcflow.so $(UNIT_BIN) $(ASAN_BIN) $(TSAN_BIN) $(BUILD)/asan/vpcflow.so \
            $(BUILD)/asan/soak $(BUILD)/bench/gen $(BUILD)/s3asan/vpcflow.so \
            $(BUILD)/nocurl/vpcflow.so

shell: vpcflow.so
	@sh tests/run_shell.sh ./vpcflow.so

asan-unit: $(ASAN_BIN)
	@sh tests/run_unit.sh $(ASAN_BIN)

asan-shell: $(BUILD)/asan/vpcflow.so vpcflow.so
	@VPCFLOW_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	  sh tests/run_shell.sh $(BUILD)/asan/vpcflow.so

asan: asan-unit asan-shell

tsan: $(TSAN_BIN)
	@TSAN_OPTIONS=halt_on_error=1 sh tests/run_unit.sh $(TSAN_BIN)

python: vpcflow.so
	@sh tests/run_python.sh ./vpcflow.so

progress: vpcflow.so
	@sh tests/progress_check.sh ./vpcflow.so
	@python3 tests/progress_pty.py ./vpcflow.so

valgrind: vpcflow.so
	@VPCFLOW_VALGRIND=1 sh tests/run_shell.sh ./vpcflow.so

# The fault soak (tests/soak/soak.c): ASan+UBSan and LeakSanitizer,
# SOAK_SECONDS in all, set-up included (default 40; a hunt begun near the
# end may run a few seconds past it).
SOAK_SECONDS ?= 40
$(BUILD)/asan/soak: tests/soak/soak.c $(call objs,asan-core)
	@mkdir -p $(dir $@)
	$(CC) $(KIND_FLAGS_asan-core) -Iext -o $@ $^ -lsqlite3 $(LIBS)
# make test runs the soak with a fixed seed, so that CI is reproducible
# (the faults it injects follow the seed); `make soak SOAK_SEED=` draws a
# random one, as the 10-minute runs of tests/README.md did. A failing seed
# is replayed with SOAK_ONE (tests/soak/soak.c).
SOAK_SEED ?= 59726068914846
soak: $(BUILD)/asan/soak
	@ASAN_OPTIONS=detect_leaks=1 SOAK_SEED='$(SOAK_SEED)' $(BUILD)/asan/soak $(SOAK_SECONDS)

# Installs into the real system only when root (CI, a fresh machine).
install-check: vpcflow.so
	@sh tests/install_check.sh

# The package step runs before any probe (see (1)); proven with a header
# that only the package step makes visible.
fresh-check:
	@sh tests/fresh_check.sh

check: naming unit vpcflow.so
	@VPCFLOW_QUICK=1 sh tests/run_shell.sh ./vpcflow.so
	@echo "make check: naming, unit and the quick shell cases passed (make shell runs the slow ones too)"

# The naming rule of ext/README.md ("Naming"), checked over ext/*.c.
naming:
	@python3 tests/naming.py

# The flow normaliser (ext/norm.c) against the SQL it replaced, kept as
# tests/hunt/prepare_reference.sql: flows_n row for row, and the findings.
# Then the hunt's phase line and Ctrl-C through a pseudo-terminal.
hunt-diff: vpcflow.so $(BUILD)/bench/gen
	@sh tests/hunt/diff.sh ./vpcflow.so
	@python3 tests/hunt/progress_pty.py ./vpcflow.so

# The Athena SQL (sql/athena/detections/), offline: Trino's grammar
# (npm dt-sql-parser, installed into build/athena; skipped without npm or
# network), names against vpcflow_athena_ddl()'s DDL, functions against
# tests/athena/trino_functions.txt, planted mistakes caught.
athena-check: vpcflow.so
	@sh tests/athena/check.sh ./vpcflow.so

# The build without libcurl (what `make` gives when curl/curl.h is absent,
# or with CFLAGS=-DVF_NO_CURL): s3.c without it, linked without -lcurl.
$(BUILD)/nocurl/vpcflow.so: ext/s3.c ext/s3.h $(filter-out $(BUILD)/obj/so/s3.o,$(call objs,so))
	@mkdir -p $(dir $@)
	$(CC) $(KIND_FLAGS_so) -DVF_NO_CURL -c -o $(BUILD)/nocurl/s3.o ext/s3.c
	$(CC) $(CFLAGS_ALL) -fvisibility=hidden -shared -o $@ $(filter $(BUILD)/obj/%.o,$^) \
	  $(BUILD)/nocurl/s3.o $(filter-out -lcurl,$(LIBS))

# s3:// paths against a local S3-compatible server (tests/s3/: npm's
# s3rver, installed into build/s3rver; a SigV4 check and faults of the
# test's own), plain, under ASan+UBSan, and with a subset of the
# statements under valgrind (tests/s3/check.py VALGRIND_SUBSET); skipped
# without node/npm or libcurl. `make s3-check S3_VALGRIND=1` makes the
# valgrind pass run every statement under it (slow), S3_TSAN=1 adds a
# ThreadSanitizer pass.
s3-check: vpcflow.so $(BUILD)/s3asan/vpcflow.so $(BUILD)/nocurl/vpcflow.so
	@sh tests/s3/nocurl.sh $(BUILD)/nocurl/vpcflow.so
	@sh tests/s3/check.sh ./vpcflow.so
	@sh tests/s3/check.sh $(BUILD)/s3asan/vpcflow.so asan
	@if [ -n "$(S3_VALGRIND)" ]; then sh tests/s3/check.sh ./vpcflow.so valgrind; \
	  else sh tests/s3/check.sh ./vpcflow.so valgrind-subset; fi
	@if [ -n "$(S3_TSAN)" ]; then $(MAKE) --no-print-directory $(BUILD)/s3tsan/vpcflow.so && \
	  sh tests/s3/check.sh $(BUILD)/s3tsan/vpcflow.so tsan; fi

# (an asan-so s3.o compiled before -DVF_NO_CURL was added must not stay)
$(BUILD)/obj/asan-so/s3.o: Makefile

# ASan+UBSan for s3-check: the asan-so objects, but s3.c with libcurl.
$(BUILD)/s3asan/vpcflow.so: ext/s3.c ext/s3.h $(filter-out $(BUILD)/obj/asan-so/s3.o,$(call objs,asan-so))
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -fvisibility=hidden -c -o $(BUILD)/s3asan/s3.o ext/s3.c
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -fvisibility=hidden -shared -o $@ $(filter $(BUILD)/obj/%.o,$^) \
	  $(BUILD)/s3asan/s3.o $(LIBS)

# ThreadSanitizer for s3-check (S3_TSAN=1): gcc's, whose runtime is a shared
# library that LD_PRELOAD can put under the sqlite3 shell.
S3_TSAN_OBJ = $(patsubst ext/%.c,$(BUILD)/s3tsan/obj/%.o,$(EXT_SRC))
$(BUILD)/s3tsan/obj/%.o: ext/%.c $(FEATURES_FILE)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -g -O1 $(WARN) -fPIC -fsanitize=thread -fvisibility=hidden -MMD -MP -c -o $@ $<
$(BUILD)/s3tsan/vpcflow.so: $(S3_TSAN_OBJ)
	$(CC) -fsanitize=thread -shared -o $@ $^ $(LIBS)

test: naming unit shell python progress hunt-diff asan tsan valgrind soak install-check fresh-check athena-check
	@echo "make test: all suites passed"

# The hunt over the bundled scenario: a day of a small VPC with attacks
# and their look-alikes (fixtures/scenario/README.md).
DEMO_LOGS ?= fixtures/scenario/v5
demo: vpcflow.so
	@sqlite3 -box :memory: -cmd '.load ./vpcflow' \
	  -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$(DEMO_LOGS)')" \
	  -cmd '.read fixtures/scenario/context.sql' < sql/hunt.sql

# The first look at any folder of logs: counts, top talkers, rejects.
tour: vpcflow.so
	@sqlite3 -batch -box :memory: -cmd '.load ./vpcflow' < sql/demo.sql

install: vpcflow.so
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(SQLDIR) $(DESTDIR)$(BINDIR)
	install -m 644 vpcflow.so $(DESTDIR)$(LIBDIR)/vpcflow.so
	@for f in $(SQL_LIB); do \
	  install -D -m 644 sql/$$f $(DESTDIR)$(SQLDIR)/$$f || exit 1; done
	sed -e 's#@SQLDIR@#$(SQLDIR)#' -e 's#@LIBDIR@#$(LIBDIR)#' \
	  sql/vpcflow-hunt.sh > $(DESTDIR)$(BINDIR)/vpcflow-hunt
	chmod 755 $(DESTDIR)$(BINDIR)/vpcflow-hunt
	@echo "installed $(DESTDIR)$(LIBDIR)/vpcflow.so: load it with .load vpcflow"
	@echo "installed $(DESTDIR)$(SQLDIR) and $(DESTDIR)$(BINDIR)/vpcflow-hunt"

# Removes what install wrote, file by file, then the directories it made
# if they are empty (never a whole tree: SQLDIR may be set by hand).
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/vpcflow.so $(DESTDIR)$(BINDIR)/vpcflow-hunt
	@for f in $(SQL_LIB); do rm -f $(DESTDIR)$(SQLDIR)/$$f; done
	@for d in $$(printf '%s\n' $(sort $(dir $(SQL_LIB))) | sort -r); do \
	  rmdir $(DESTDIR)$(SQLDIR)/$$d 2>/dev/null; done; \
	  rmdir $(DESTDIR)$(SQLDIR) $(DESTDIR)$(dir $(SQLDIR)) 2>/dev/null; true

clean:
	rm -rf $(BUILD) vpcflow.so

# Fuzzing (make fuzz, make fuzz-long) and benchmarks (make bench,
# make bench-deps) live beside their code.
-include tests/fuzz/fuzz.mk
-include tests/bench/bench.mk

# Line and branch coverage of ext/ over the unit and shell tests and a
# replay of the committed fuzz corpora (gcov, lcov). The summary names the
# parsing and reading code on its own. The .gcda counters land beside the
# cov-core and cov-so objects.
COV_BIN = $(patsubst %,$(BUILD)/cov/%,$(UNIT_NAMES))
COV_REPLAY = parse format reader sql parquet
coverage: $(COV_BIN) $(BUILD)/cov/vpcflow.so
	@find $(BUILD)/obj/cov-core $(BUILD)/obj/cov-so $(BUILD)/cov -name '*.gcda' -delete
	@for t in $(COV_BIN); do $$t >/dev/null || exit 1; done
	@sh tests/run_shell.sh ./$(BUILD)/cov/vpcflow.so >/dev/null
	@for h in $(COV_REPLAY); do \
	  $(CC) $(COV_FLAGS) -DSQLITE_CORE -Iext -o $(BUILD)/cov/replay_$$h \
	    tests/fuzz/fuzz_$$h.c tests/fuzz/replay.c $(call objs,cov-core) -lsqlite3 $(LIBS) || exit 1; \
	  find tests/fuzz/corpus/$$h tests/fuzz/regress/$$h -type f 2>/dev/null | sort | \
	    xargs -r ./$(BUILD)/cov/replay_$$h >/dev/null 2>&1 || \
	    { echo "corpus replay $$h failed"; exit 1; }; done
	@lcov -q --rc lcov_branch_coverage=1 --capture --directory $(BUILD)/obj/cov-core \
	  --directory $(BUILD)/obj/cov-so --output-file $(BUILD)/cov/all.info 2>/dev/null
	@lcov -q --rc lcov_branch_coverage=1 --extract $(BUILD)/cov/all.info '*/ext/*' \
	  --output-file $(BUILD)/cov/ext.info
	@lcov -q --rc lcov_branch_coverage=1 --extract $(BUILD)/cov/ext.info \
	  '*/ext/parse.c' '*/ext/reader.c' '*/ext/source.c' '*/ext/catalog.c' \
	  '*/ext/schema.c' '*/ext/vtab.c' '*/ext/plan.c' '*/ext/rows.c' '*/ext/filter.c' \
	  --output-file $(BUILD)/cov/reading.info
	@echo "== coverage of ext/, per file"
	@lcov --rc lcov_branch_coverage=1 --list $(BUILD)/cov/ext.info | sed -n '3,$$p'
	@echo "== parsing and reading code (parse, reader, source, catalog, schema, vtab, plan, rows, filter)"
	@lcov --rc lcov_branch_coverage=1 --summary $(BUILD)/cov/reading.info 2>&1 | grep -E 'lines|branches'
	@genhtml -q --branch-coverage -o $(BUILD)/cov/html $(BUILD)/cov/ext.info && \
	  echo "HTML report: $(BUILD)/cov/html/index.html"
