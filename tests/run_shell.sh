#!/bin/sh
# Shell-driven tests: run tests/shell/NAME.sql through the real sqlite3
# shell with the extension loaded, from the repository root, and compare
# stdout+stderr with tests/shell/NAME.expected (written by hand from the
# fixtures' documented contents, see fixtures/README.md).
#   VPCFLOW_PRELOAD   libraries to LD_PRELOAD (the sanitizer runtimes)
#   VPCFLOW_VALGRIND  set to run every case under valgrind
#   VPCFLOW_QUICK     set to leave out the slow cases tests/shell/SLOW names
#                     (make check; make shell and make test run them all)
#   VPCFLOW_JOBS      cases run at once (default: the number of CPUs). The
#                     cases are independent: each one that writes files
#                     writes its own paths (tests/shell/README.md).
#   VPCFLOW_TIMES     set to print each case's seconds, slowest first
# Usage: tests/run_shell.sh path/to/vpcflow.so [NAME...]
#
# The cases run through xargs -P, each by this script called again with
# --case; the results are reported afterwards in the cases' order, so the
# output does not depend on which case ended first. The slow cases that
# tests/shell/SLOW names start first, so that two CPUs end together.
set -u
cd "$(dirname "$0")/.." || exit 1

# One case: NAME's output to $out/NAME.out, and its result (pass, fail,
# valgrind, skip) and seconds to $out/NAME.res.
if [ "${1:-}" = --case ]; then
  so=$2; out=$3; name=$4
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
    echo skip > "$out/$name.res"; exit 0; fi ;; esac
  if [ -n "${VPCFLOW_QUICK:-}" ] && grep -qx "$name" tests/shell/SLOW; then
    echo skip > "$out/$name.res"; exit 0
  fi
  t0=$(date +%s)
  if [ -n "${VPCFLOW_VALGRIND:-}" ]; then
    VALGRIND_OPTS= valgrind -q --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite --log-file="$out/$name.vg" \
      sqlite3 -batch :memory: -cmd ".load $so" < "$sql" > "$out/$name.out" 2>&1
    rc=$?
  else
    LD_PRELOAD="${VPCFLOW_PRELOAD:-}" ASAN_OPTIONS=detect_leaks=1 \
      sqlite3 -batch :memory: -cmd ".load $so" < "$sql" > "$out/$name.out" 2>&1
    rc=0
  fi
  secs=$(( $(date +%s) - t0 ))
  if [ $rc -eq 99 ] || [ -s "$out/$name.vg" ]; then res=valgrind
  elif diff -u "$exp" "$out/$name.out" > "$out/$name.diff"; then res=pass
  else res=fail
  fi
  echo "$res $secs" > "$out/$name.res"
  exit 0
fi

so=$1; shift
[ $# -gt 0 ] || set -- $(ls tests/shell/*.sql | sed 's#tests/shell/##; s#\.sql$##')
jobs=${VPCFLOW_JOBS:-$(nproc 2>/dev/null || echo 1)}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# The slow cases first, in tests/shell/SLOW's order, then the rest.
order=$(grep -v '^#' tests/shell/SLOW | while read -r slow; do
          for name in "$@"; do [ "$name" = "$slow" ] && echo "$name"; done; done
        for name in "$@"; do grep -qx "$name" tests/shell/SLOW || echo "$name"; done)
printf '%s\n' $order | xargs -P "$jobs" -n 1 sh "$0" --case "$so" "$out"

pass=0; fail=0; skipped=0
for name in "$@"; do
  read -r res secs < "$out/$name.res" 2>/dev/null || res=missing
  case "$res" in
    pass) pass=$((pass+1)) ;;
    skip) skipped=$((skipped+1)) ;;
    valgrind) echo "VALGRIND ERRORS: $name"; cat "$out/$name.vg"; fail=$((fail+1)) ;;
    fail) echo "FAILED: $name"; cat "$out/$name.diff"; fail=$((fail+1)) ;;
    *) echo "FAILED: $name (no result: the case's runner stopped)"; fail=$((fail+1)) ;;
  esac
  [ "$res" = skip ] || [ "$res" = missing ] || echo "$secs $name" >> "$out/times"
done
if [ -n "${VPCFLOW_TIMES:-}" ] && [ -f "$out/times" ]; then
  sort -rn "$out/times" | sed 's/^/  s /'
fi
echo "shell${VPCFLOW_VALGRIND:+ (valgrind)}${VPCFLOW_PRELOAD:+ (asan)}${VPCFLOW_QUICK:+ (quick)}: $pass passed, $fail failed, $skipped skipped ($jobs at once)"
[ "$fail" -eq 0 ]
