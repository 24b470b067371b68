#!/bin/sh
# diff.sh - the differential test of the flow normaliser (ext/norm.c,
# sql/prepare.sql) against the reference SQL it replaced
# (tests/hunt/prepare_reference.sql, today's normalisation kept as is).
#
#   sh tests/hunt/diff.sh [./vpcflow.so]      (from anywhere; make test runs it)
#
# 1. flows_n, vpcflow_translator, vpcflow_eni and vpcflow_state from both,
#    compared row for row on every column (tests/hunt/compare.sql), over:
#    the bundled scenario (v5 and v2), random-address data from
#    tests/bench/gen (20 k rows, v5 and v2 fields), and two seeds of dense
#    random records (tests/hunt/randflows.py: small pools, so every rule
#    meets matches, window edges, ties, NULLs and NAT copies).
# 2. The hunt's findings (every row, every column) with the reference
#    normalisation and with the C one, on scenario v5 and v2: identical.
# Each data set must also show the reference setting the flags (printed).
set -u
cd "$(dirname "$0")/../.." || exit 1
so=${1:-./vpcflow.so}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
GEN=build/bench/gen
[ -x "$GEN" ] || make -s "$GEN" >/dev/null || { echo "diff: cannot build $GEN"; exit 1; }
"$GEN" -5 -o "$tmp/gen5.log" 20000 && "$GEN" -o "$tmp/gen2.log" 20000 || exit 1
python3 tests/hunt/randflows.py 1 20000 "$tmp/rand1" || exit 1
python3 tests/hunt/randflows.py 2 5000 "$tmp/rand2" || exit 1

compare() { # name, path
  out=$(sqlite3 -bail :memory: -cmd ".load $so" \
        -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$2')" < tests/hunt/compare.sql 2>&1)
  first=$(printf '%s\n' "$out" | head -1)
  case "$first" in
    "rows "*", differences 0") pass=$((pass+1)); echo "diff $1: $first"
                               printf '%s\n' "$out" | sed -n '2p' | sed 's/^/    /' ;;
    *) fail=$((fail+1)); echo "FAILED: diff $1"; printf '%s\n' "$out" ;;
  esac
}
compare scenario-v5 fixtures/scenario/v5
compare scenario-v2 fixtures/scenario/v2
compare gen-v5-20k "$tmp/gen5.log"
compare gen-v2-20k "$tmp/gen2.log"
compare rand1-v5 "$tmp/rand1/v5.log"
compare rand1-v2 "$tmp/rand1/v2.log"
compare rand2-v5 "$tmp/rand2/v5.log"
compare rand2-v2 "$tmp/rand2/v2.log"
compare eni-tie tests/hunt/eni_tie.log   # hand-written: a 3-3 tie for eni-a, 1-1 for eni-b (smallest address wins)

# The findings: hunt.sql reads sql/prepare.sql, which is a no-op once
# flows_n exists, so reading the reference first makes a reference hunt.
findings() { # dir, first script, output
  sqlite3 -bail :memory: -cmd ".load $so" \
    -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$1')" \
    -cmd '.read fixtures/scenario/context.sql' -cmd ".read $2" \
    -cmd '.output /dev/null' -cmd '.read sql/hunt.sql' -cmd '.output stdout' \
    -cmd '.mode quote' "SELECT * FROM findings" < /dev/null 2>&1 | sort > "$3"
}
for d in v5 v2; do
  findings fixtures/scenario/$d tests/hunt/prepare_reference.sql "$tmp/ref_$d.txt"
  findings fixtures/scenario/$d sql/prepare.sql "$tmp/new_$d.txt"
  n=$(wc -l < "$tmp/ref_$d.txt")
  if [ "$n" -gt 10 ] && cmp -s "$tmp/ref_$d.txt" "$tmp/new_$d.txt"; then
    pass=$((pass+1)); echo "diff findings-$d: $n findings identical"
  else
    fail=$((fail+1)); echo "FAILED: diff findings-$d ($n reference findings)"
    diff "$tmp/ref_$d.txt" "$tmp/new_$d.txt" | head -20
  fi
done
# 3. The detections made faster since (issue #12) against their SQL of
# just before (tests/hunt/reference/current): tests/hunt/det_current.sh.
if sh tests/hunt/det_current.sh "$so"; then pass=$((pass+1)); else fail=$((fail+1)); fi
echo "diff: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
