# vpcflow - a SQLite extension that reads AWS VPC Flow Logs as tables.
#
#   make            build ./vpcflow.so
#   make demo       build, then query the bundled fixtures in the sqlite3 shell
#   make test       unit tests (cmocka), shell tests, the same under ASan+UBSan,
#                   python3 and sqlite-utils, valgrind over the shell tests
#   make install    copy vpcflow.so where `.load vpcflow` finds it

CC      ?= cc
OPT     ?= -O2
WARN     = -Wall -Wextra -Werror
CFLAGS_ALL = -std=gnu11 -g $(OPT) $(WARN) -fPIC $(CFLAGS)
LIBS    := -lz -lpthread -lm $(if $(findstring VPCFLOW_ZLIB,$(CFLAGS)),,$(shell printf '\043include <isa-l/igzip_lib.h>\n' | $(CC) $(CFLAGS) -E -x c - >/dev/null 2>&1 && echo -lisal))

EXT_SRC  = $(sort $(wildcard ext/*.c))
EXT_HDR  = $(wildcard ext/*.h)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))

BUILD    = build
ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

# /usr/lib is on the dynamic loader's default search path, so `.load vpcflow`
# works from any directory; /usr/local/lib is not (it needs the full path).
LIBDIR  ?= /usr/lib

.PHONY: all deps test-deps demo test unit shell asan asan-unit asan-shell \
        python progress hunt-diff tsan valgrind coverage tour install uninstall install-check clean

all: vpcflow.so

deps:
	@sh tests/deps.sh build

test-deps:
	@sh tests/deps.sh test

# The loadable extension: only sqlite3_vpcflow_init is exported.
vpcflow.so: $(EXT_SRC) $(EXT_HDR)
	$(CC) $(CFLAGS_ALL) -fvisibility=hidden -shared -o $@ $(EXT_SRC) $(LIBS)

# Unit tests link the same sources statically (SQLITE_CORE) with libsqlite3.
$(BUILD)/unit/%: tests/unit/%.c tests/unit/*.h $(EXT_SRC) $(EXT_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DSQLITE_CORE -Iext -o $@ $< $(EXT_SRC) -lsqlite3 -lcmocka $(LIBS)

$(BUILD)/asan/%: tests/unit/%.c tests/unit/*.h $(EXT_SRC) $(EXT_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -DSQLITE_CORE -Iext -o $@ $< $(EXT_SRC) -lsqlite3 -lcmocka $(LIBS)

$(BUILD)/asan/vpcflow.so: $(EXT_SRC) $(EXT_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(ASAN_FLAGS) -fvisibility=hidden -shared -o $@ $(EXT_SRC) $(LIBS)

UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
ASAN_BIN = $(patsubst tests/unit/%.c,$(BUILD)/asan/%,$(UNIT_SRC))

unit: test-deps $(UNIT_BIN)
	@sh tests/run_unit.sh $(UNIT_BIN)

shell: test-deps vpcflow.so
	@sh tests/run_shell.sh ./vpcflow.so

asan-unit: test-deps $(ASAN_BIN)
	@sh tests/run_unit.sh $(ASAN_BIN)

asan-shell: test-deps $(BUILD)/asan/vpcflow.so
	@VPCFLOW_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	  sh tests/run_shell.sh $(BUILD)/asan/vpcflow.so

asan: asan-unit asan-shell

# ThreadSanitizer over the tests that run threads (clang-14).
TSAN_TESTS = test_threads test_vtab test_group test_ahead test_ahead_diff
$(BUILD)/tsan/%: tests/unit/%.c tests/unit/*.h $(EXT_SRC) $(EXT_HDR)
	@mkdir -p $(dir $@)
	clang-14 -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=thread -DSQLITE_CORE -Iext -o $@ $< $(EXT_SRC) -lsqlite3 -lcmocka $(LIBS)

tsan: test-deps $(patsubst %,$(BUILD)/tsan/%,$(TSAN_TESTS))
	@TSAN_OPTIONS=halt_on_error=1 sh tests/run_unit.sh $(patsubst %,$(BUILD)/tsan/%,$(TSAN_TESTS))

python: test-deps vpcflow.so
	@sh tests/run_python.sh ./vpcflow.so

progress: test-deps vpcflow.so
	@sh tests/progress_check.sh ./vpcflow.so

valgrind: test-deps vpcflow.so
	@VPCFLOW_VALGRIND=1 sh tests/run_shell.sh ./vpcflow.so

# Installs into the real system only when root (CI, a fresh machine).
install-check: vpcflow.so
	@sh tests/install_check.sh

# The flow normaliser (ext/norm.c) against the SQL it replaced, kept as
# tests/hunt/prepare_reference.sql: flows_n row for row, and the findings.
# Then the hunt's phase line and Ctrl-C through a pseudo-terminal.
hunt-diff: test-deps vpcflow.so $(BUILD)/bench/gen
	@sh tests/hunt/diff.sh ./vpcflow.so
	@python3 tests/hunt/progress_pty.py ./vpcflow.so

test: unit shell python progress hunt-diff asan tsan valgrind install-check
	@echo "make test: all suites passed"

# The hunt over the bundled scenario: a day of a small VPC with attacks
# and their look-alikes (fixtures/scenario/README.md). TEMP tables stay in
# a temporary file (temp_store's default): flows_n of a large day then
# spills to disk instead of filling memory.
DEMO_LOGS ?= fixtures/scenario/v5
demo: deps vpcflow.so
	@sqlite3 -box :memory: -cmd '.load ./vpcflow' \
	  -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$(DEMO_LOGS)')" \
	  -cmd '.read fixtures/scenario/context.sql' < sql/hunt.sql

# The first look at any folder of logs: counts, top talkers, rejects.
tour: deps vpcflow.so
	@sqlite3 -batch -box :memory: -cmd '.load ./vpcflow' < sql/demo.sql

install: vpcflow.so
	install -d $(DESTDIR)$(LIBDIR)
	install -m 644 vpcflow.so $(DESTDIR)$(LIBDIR)/vpcflow.so
	@echo "installed $(DESTDIR)$(LIBDIR)/vpcflow.so: load it with .load vpcflow"

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/vpcflow.so

clean:
	rm -rf $(BUILD) vpcflow.so

# Fuzzing (make fuzz, make fuzz-long) and benchmarks (make bench,
# make bench-deps) live beside their code.
-include tests/fuzz/fuzz.mk
-include tests/bench/bench.mk

# Line and branch coverage of ext/ over the unit and shell tests and a
# replay of the committed fuzz corpora (gcov, lcov). The summary names the parsing and reading code on its own.
COV_FLAGS = -std=gnu11 -g -O0 --coverage -DSQLITE_CORE -Iext
coverage: test-deps
	@rm -rf $(BUILD)/cov && mkdir -p $(BUILD)/cov
	@for t in $(UNIT_SRC); do n=$$(basename $$t .c); \
	  (cd $(BUILD)/cov && $(CC) $(COV_FLAGS:-Iext=-I../../ext) -o $$n ../../$$t \
	    $(addprefix ../../,$(EXT_SRC)) -lsqlite3 -lcmocka $(LIBS)) || exit 1; done
	@cd $(BUILD)/cov && $(CC) -std=gnu11 -g -O0 --coverage -fPIC -shared \
	  -fvisibility=hidden -o vpcflow.so $(addprefix ../../,$(EXT_SRC)) $(LIBS)
	@for t in $(UNIT_SRC); do ./$(BUILD)/cov/$$(basename $$t .c) >/dev/null || exit 1; done
	@sh tests/run_shell.sh ./$(BUILD)/cov/vpcflow.so >/dev/null
	@for h in parse format reader sql parquet; do \
	  (cd $(BUILD)/cov && $(CC) $(COV_FLAGS:-Iext=-I../../ext) -o replay_$$h \
	    ../../tests/fuzz/fuzz_$$h.c ../../tests/fuzz/replay.c \
	    $(addprefix ../../,$(EXT_SRC)) -lsqlite3 $(LIBS)) || exit 1; \
	  find tests/fuzz/corpus/$$h tests/fuzz/regress/$$h -type f 2>/dev/null | sort | \
	    xargs -r ./$(BUILD)/cov/replay_$$h >/dev/null 2>&1 || \
	    { echo "corpus replay $$h failed"; exit 1; }; done
	@lcov -q --rc lcov_branch_coverage=1 --capture --directory $(BUILD)/cov \
	  --output-file $(BUILD)/cov/all.info 2>/dev/null
	@lcov -q --rc lcov_branch_coverage=1 --extract $(BUILD)/cov/all.info '*/ext/*' \
	  --output-file $(BUILD)/cov/ext.info
	@lcov -q --rc lcov_branch_coverage=1 --extract $(BUILD)/cov/ext.info \
	  '*/ext/parse.c' '*/ext/reader.c' '*/ext/source.c' '*/ext/catalog.c' \
	  '*/ext/schema.c' '*/ext/vtab.c' '*/ext/filter.c' \
	  --output-file $(BUILD)/cov/reading.info
	@echo "== coverage of ext/, per file"
	@lcov --rc lcov_branch_coverage=1 --list $(BUILD)/cov/ext.info | sed -n '3,$$p'
	@echo "== parsing and reading code (parse, reader, source, catalog, schema, vtab, filter)"
	@lcov --rc lcov_branch_coverage=1 --summary $(BUILD)/cov/reading.info 2>&1 | grep -E 'lines|branches'
	@genhtml -q --branch-coverage -o $(BUILD)/cov/html $(BUILD)/cov/ext.info && \
	  echo "HTML report: $(BUILD)/cov/html/index.html"
