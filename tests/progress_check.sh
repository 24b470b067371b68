#!/bin/sh
# The progress line: shown on a terminal (faked with script(1)), never
# when switched off with VPCFLOW_PROGRESS=0, never when stderr is not a
# terminal. VPCFLOW_PROGRESS_AFTER=0 shows it from the first tick (every
# 65536 lines), so a 70000-line file is enough.
set -u
cd "$(dirname "$0")/.." || exit 1
so=${1:-./vpcflow.so}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk 'BEGIN { print "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
  for (i = 0; i < 70000; i++) print "2 1 eni-a 10.0.0.1 10.0.0.2 443 80 6 1 100 1700000000 1700000060 ACCEPT OK" }' > "$tmp/f.log"
q="SELECT count(*) FROM vpcflow('$tmp/f.log');"
pass=0; fail=0
check() { # name, expect (yes/no), output file
  if grep -q 'vpcflow: file 1/1' "$3"; then got=yes; else got=no; fi
  if [ "$got" = "$2" ] && grep -q '70000' "$3"; then pass=$((pass+1))
  else fail=$((fail+1)); echo "FAILED: progress $1 (expected progress: $2)"; cat -v "$3"; fi
}
VPCFLOW_PROGRESS_AFTER=0 script -qec "sqlite3 :memory: -cmd '.load $so' \"$q\"" /dev/null > "$tmp/tty.out" 2>&1
check terminal yes "$tmp/tty.out"
VPCFLOW_PROGRESS=0 VPCFLOW_PROGRESS_AFTER=0 script -qec "sqlite3 :memory: -cmd '.load $so' \"$q\"" /dev/null > "$tmp/off.out" 2>&1
check switched-off no "$tmp/off.out"
VPCFLOW_PROGRESS_AFTER=0 sqlite3 :memory: -cmd ".load $so" "$q" > "$tmp/pipe.out" 2>&1
check not-a-terminal no "$tmp/pipe.out"
echo "progress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
