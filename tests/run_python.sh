#!/bin/sh
# Python and sqlite-utils tests: load the extension into Debian's python3
# sqlite3 module and into the sqlite-utils CLI, query the fixtures, and
# compare with hand-worked results (fixtures/README.md).
# Usage: tests/run_python.sh path/to/vpcflow.so
set -u
so=${1:-./vpcflow.so}
cd "$(dirname "$0")/.." || exit 1
case $so in /*) ;; *) so=$(pwd)/${so#./} ;; esac
py=/usr/bin/python3
[ -x "$py" ] || py=python3
fail=0; pass=0

out=$("$py" tests/python/test_vpcflow.py "$so" 2>&1); rc=$?
printf '%s\n' "$out" | grep -v '^python: '
n=$(printf '%s\n' "$out" | sed -n 's/^python: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
if [ -n "$n" ]; then pass=$((pass + ${n% *})); fail=$((fail + ${n#* })); fi
[ $rc -eq 0 ] || [ -n "$n" ] || { echo "FAILED: test_vpcflow.py did not run (rc $rc)"; fail=$((fail+1)); }

# the hunt's output formats and drill-down (tests/python/test_output.py)
out=$("$py" tests/python/test_output.py "$so" 2>&1); rc=$?
printf '%s\n' "$out" | grep -v '^output: '
n=$(printf '%s\n' "$out" | sed -n 's/^output: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
if [ -n "$n" ]; then pass=$((pass + ${n% *})); fail=$((fail + ${n#* })); fi
[ $rc -eq 0 ] || [ -n "$n" ] || { echo "FAILED: test_output.py did not run (rc $rc)"; fail=$((fail+1)); }

# sqlite-utils: JSON output of a grouped query over v2/basic.log
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then pass=$((pass+1)); else
    fail=$((fail+1)); echo "FAILED: $1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}
if command -v sqlite-utils >/dev/null 2>&1; then
  got=$(sqlite-utils memory --load-extension "$so" \
    "select action, count(*) as n, sum(bytes) as b from vpcflow('fixtures/v2/basic.log') where log_status = 'OK' group by action order by action" 2>&1 | tr -d '\n ')
  check "sqlite-utils memory" '[{"action":"ACCEPT","n":4,"b":17406},{"action":"REJECT","n":2,"b":300}]' "$got"
  got=$(sqlite-utils query :memory: --load-extension "$so" --csv \
    "select count(*) as n, sum(bytes) as b from vpcflow('fixtures/gzip') " 2>&1 | tr -d '\r' | tr '\n' ' ')
  check "sqlite-utils query --csv" 'n,b 11,11730 ' "$got"
else
  echo "FAILED: sqlite-utils not installed"; fail=$((fail+1))
fi
echo "python: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
