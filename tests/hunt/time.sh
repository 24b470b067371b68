#!/bin/sh
# time.sh - time each saved detection against a database made by mkdb.sh.
#
# Usage (from the repository root):
#   tests/hunt/time.sh [-r] [-p] [-o DIR] ./vpcflow.so DB [NAME...]
#     -r      time the REFERENCE detections (tests/hunt/reference/detections,
#             today's SQL, with today's three flows_n indexes) instead of
#             sql/detections (which may use only the indexes it makes itself
#             in sql/summaries.sql: flows_n's indexes are dropped first)
#     -p      also print EXPLAIN QUERY PLAN of each det_<name>
#     -o DIR  also write every det_<name>'s rows to DIR/<name>.tsv (sorted)
#     -s      one session for all: restore DB and build the summaries once,
#             then run the detections one after the other (as the hunt does;
#             much faster at 10 M records); -p and -o are ignored
#     NAME    detections to time (default: all 17)
#
# HOW IT WORKS: each detection runs in its own sqlite3 process that
# .restore-s DB into an in-memory main database, so flows_n is already
# normalised (prepare.sql is not timed). The process runs in a scratch
# folder whose sql/prepare.sql is a stub defining only the TEMP views
# traffic and vpcflow_span over main.flows_n; sql/detections and
# sql/summaries.sql there are links to the real files. Printed per
# detection: the time of sql/summaries.sql (0 for -r) and of materialising
# det_<name>, wall-clock and user CPU from the shell's .timer (wall-clock is
# noisy on a shared 2-core machine: compare user time, repeat before
# believing a difference).
set -eu
ref=0 plan=0 outdir= single=0
while [ $# -gt 0 ]; do case $1 in
  -r) ref=1; shift ;; -s) single=1; shift ;; -p) plan=1; shift ;; -o) outdir=$2; shift 2 ;; *) break ;; esac; done
so=$(readlink -f "$1") db=$(readlink -f "$2"); shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "$outdir" ] && mkdir -p "$outdir" && outdir=$(readlink -f "$outdir")
[ $# -gt 0 ] || set -- $(ls "$root/sql/detections" | sed 's/\.sql$//')
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/sql"
if [ $ref = 1 ]; then
  ln -s "$root/tests/hunt/reference/detections" "$scratch/sql/detections"
  printf '' > "$scratch/sql/summaries.sql"
else
  ln -s "$root/sql/detections" "$scratch/sql/detections"
  ln -s "$root/sql/summaries.sql" "$scratch/sql/summaries.sql"
fi
cp "$root/tests/hunt/stub_prepare.sql" "$scratch/sql/prepare.sql"
cd "$scratch"
if [ $single = 1 ]; then
  {
    echo ".restore '$db'"
    [ $ref = 1 ] || echo "DROP INDEX IF EXISTS flows_n_tuple; DROP INDEX IF EXISTS flows_n_raw; DROP INDEX IF EXISTS flows_n_src;"
    echo "INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);"
    echo ".read sql/prepare.sql"
    echo ".timer on"
    echo ".print @summaries summaries.sql"
    echo ".read sql/summaries.sql"
    for name in "$@"; do
      echo ".print @detection $name"
      echo ".read sql/detections/$name.sql"
      echo "CREATE TEMP TABLE result_$name AS SELECT * FROM det_$name;"
      echo ".print @rows"
      echo "SELECT count(*) FROM result_$name;"
    done
  } | sqlite3 -batch :memory: -cmd ".load $so" > "$scratch/out" 2>&1 || { cat "$scratch/out"; exit 1; }
  awk '
    function flush() { if (n != "") printf "%-18s %7.2f s (user %6.2f)  rows %s\n", n, r, u, rows; r = 0; u = 0; rows = "" }
    /^@summaries|^@detection/ {flush(); n = $2; next}
    /^@rows/ {getrows = 1; next}
    getrows && /^[0-9]+$/ {rows = $1; getrows = 0; next}
    /^Run Time: real/ {r += $4; u += $6}
    /^Error|^Parse error|^Runtime error/ {print}
    END {flush()}' "$scratch/out"
  exit 0
fi
for name in "$@"; do
  {
    echo ".restore '$db'"
    [ $ref = 1 ] || echo "DROP INDEX IF EXISTS flows_n_tuple; DROP INDEX IF EXISTS flows_n_raw; DROP INDEX IF EXISTS flows_n_src;"
    echo "INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);"
    echo ".read sql/prepare.sql"
    echo ".timer on"
    echo ".print @summaries"
    echo ".read sql/summaries.sql"
    echo ".print @detection"
    echo ".read sql/detections/$name.sql"
    echo "CREATE TEMP TABLE result AS SELECT * FROM det_$name;"
    echo ".timer off"
    echo "SELECT '@rows ' || count(*) FROM result;"
    if [ $plan = 1 ]; then echo ".print @plan"; echo "EXPLAIN QUERY PLAN SELECT * FROM det_$name;"; fi
    if [ -n "$outdir" ]; then
      echo ".mode tabs"; echo ".output $outdir/$name.tsv.tmp"; echo "SELECT * FROM result;"; echo ".output stdout"
    fi
  } | sqlite3 -batch :memory: -cmd ".load $so" > "$scratch/out" 2>&1 || { cat "$scratch/out"; exit 1; }
  [ -n "$outdir" ] && sort "$outdir/$name.tsv.tmp" > "$outdir/$name.tsv" && rm "$outdir/$name.tsv.tmp"
  awk -v n="$name" '
    /^@summaries/ {ph = "s"} /^@detection/ {ph = "d"}
    /^Run Time: real/ {if (ph == "s") {s += $4; su += $6} else {d += $4; du += $6}}
    /^@rows/ {rows = $2}
    /^Error|^Parse error|^Runtime error/ {print; err = 1}
    END {printf "%-18s summaries %6.2f s (user %5.2f)  detection %6.2f s (user %5.2f)  rows %s\n", n, s, su, d, du, rows}' "$scratch/out"
  [ $plan = 1 ] && sed -n '/^@plan/,$p' "$scratch/out" | grep -v '^@plan' || true
done
