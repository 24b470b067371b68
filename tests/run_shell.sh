#!/bin/sh
# Shell-driven tests: run tests/shell/NAME.sql through the real sqlite3
# shell with the extension loaded, from the repository root, and compare
# stdout+stderr with tests/shell/NAME.expected (written by hand from the
# fixtures' documented contents, see fixtures/README.md).
#   VPCFLOW_PRELOAD   libraries to LD_PRELOAD (the sanitizer runtimes)
#   VPCFLOW_VALGRIND  set to run every case under valgrind
#   VPCFLOW_QUICK     set to leave out the slow cases tests/shell/SLOW names
#                     (make check; make shell and make test run them all)
# Usage: tests/run_shell.sh path/to/vpcflow.so [NAME...]
set -u
so=$1; shift
cd "$(dirname "$0")/.." || exit 1
[ $# -gt 0 ] || set -- $(ls tests/shell/*.sql | sed 's#tests/shell/##; s#\.sql$##')
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
pass=0; fail=0
skipped=0
for name in "$@"; do
  sql=tests/shell/$name.sql; exp=tests/shell/$name.expected
  # The detection tests (and hunt_first_scenario*, which run the hunt) are
  # seconds of SQLite work each over the scenario; under valgrind that is
  # many minutes for no extra coverage of our C, which the other cases
  # exercise. They run in the plain and ASan passes.
  # core_groupspill caps SQLite's heap in-process (PRAGMA hard_heap_limit)
  # to force the spill; under valgrind's allocator that cap is hit at other
  # points (an "out of memory" seen once in CI), so it runs in the plain
  # and ASan passes only.
  case "$name" in detect_*|hunt_first_scenario*|core_groupspill) if [ -n "${VPCFLOW_VALGRIND:-}" ]; then
    skipped=$((skipped+1)); continue; fi ;; esac
  if [ -n "${VPCFLOW_QUICK:-}" ] && grep -qx "$name" tests/shell/SLOW; then
    skipped=$((skipped+1)); continue
  fi
  if [ -n "${VPCFLOW_VALGRIND:-}" ]; then
    VALGRIND_OPTS= valgrind -q --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite --log-file="$out/$name.vg" \
      sqlite3 -batch :memory: -cmd ".load $so" < "$sql" > "$out/$name.out" 2>&1
    rc=$?
    if [ $rc -eq 99 ] || [ -s "$out/$name.vg" ]; then
      echo "VALGRIND ERRORS: $name"; cat "$out/$name.vg"; fail=$((fail+1)); continue
    fi
  else
    LD_PRELOAD="${VPCFLOW_PRELOAD:-}" ASAN_OPTIONS=detect_leaks=1 \
      sqlite3 -batch :memory: -cmd ".load $so" < "$sql" > "$out/$name.out" 2>&1
  fi
  if diff -u "$exp" "$out/$name.out" > "$out/$name.diff"; then
    pass=$((pass+1))
  else
    echo "FAILED: $name"; cat "$out/$name.diff"; fail=$((fail+1))
  fi
done
echo "shell${VPCFLOW_VALGRIND:+ (valgrind)}${VPCFLOW_PRELOAD:+ (asan)}${VPCFLOW_QUICK:+ (quick)}: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
