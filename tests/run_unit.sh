#!/bin/sh
# Run each cmocka test binary given; fail if any fails.
# The last line is the plain "N passed, N failed" summary.
set -u
pass=0; fail=0
for t in "$@"; do
  if "$t"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
