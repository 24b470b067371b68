#!/bin/sh
# Run each cmocka test binary given; fail if any fails.
#   VPCFLOW_JOBS  binaries run at once (default: the number of CPUs); each
#                 one's output is kept and printed in the order given, so
#                 the output does not depend on which one ended first. The
#                 binaries are independent: their temporary files are made
#                 with mkstemp/mkdtemp or named by process id.
# The last line is the plain "N passed, N failed" summary.
set -u
if [ "${1:-}" = --one ]; then
  out=$2; t=$3; key=$(echo "$t" | tr / _)
  if "$t" > "$out/$key.out" 2>&1; then echo pass; else echo fail; fi > "$out/$key.res"
  exit 0
fi
jobs=${VPCFLOW_JOBS:-$(nproc 2>/dev/null || echo 1)}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
printf '%s\n' "$@" | xargs -P "$jobs" -n 1 sh "$0" --one "$out"
pass=0; fail=0
for t in "$@"; do
  key=$(echo "$t" | tr / _)
  cat "$out/$key.out" 2>/dev/null
  if [ "$(cat "$out/$key.res" 2>/dev/null)" = pass ]; then pass=$((pass+1))
  else fail=$((fail+1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
