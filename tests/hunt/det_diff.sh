#!/bin/sh
# det_diff.sh - the detections' differential check at any size: every det_<name>'s rows from
# sql/detections against those of the reference SQL, on a database made by
# mkdb.sh (e.g. random-address data from build/bench/gen, or a bigger
# realistic day). The scenario check runs in make test
# (tests/shell/detect_reference*.sql); this one is for data too big for it.
#
# Usage (from the repository root):
#   tests/hunt/det_diff.sh [-R REFDIR] ./vpcflow.so DB [NAME...]
#     -R REFDIR  reuse the reference rows written earlier by
#                `tests/hunt/time.sh -r -o REFDIR` (the reference dos is
#                quadratic on random addresses: minutes at 200 k records)
# Prints the timings of both, then one line per detection: identical or not
# (sorted rows compared with diff); exits 1 on any difference.
set -eu
refdir=
[ "${1:-}" = -R ] && { refdir=$2; shift 2; }
so=$1 db=$2; shift 2
here=$(dirname "$0")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ -z "$refdir" ]; then refdir=$work/ref; sh "$here/time.sh" -r -o "$refdir" "$so" "$db" "$@"; fi
sh "$here/time.sh" -o "$work/new" "$so" "$db" "$@"
bad=0
for f in "$work"/new/*.tsv; do
  n=$(basename "$f" .tsv)
  if cmp -s "$refdir/$n.tsv" "$f"; then echo "$n: identical ($(wc -l < "$f") rows)"
  else echo "$n: DIFFERENT"; diff "$refdir/$n.tsv" "$f" | head -5; bad=1; fi
done
exit $bad
