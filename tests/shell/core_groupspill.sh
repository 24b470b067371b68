#!/bin/sh
# core_groupspill.sh - the GROUP BY fast path never fails a query that
# SQLite could run (issue 18, item 4). Run by core_groupspill.sql:
#
#   sh tests/shell/core_groupspill.sh make     the inputs, under $d
#   sh tests/shell/core_groupspill.sh run      the subprocess cases below
#   sh tests/shell/core_groupspill.sh clean
#
# Inputs, each in plain text, gzip and Parquet: the scenario's v2 records
# (fixtures/scenario/v2, 111,951 records; plain = the same decompressed),
# and copies of fixtures/parquet/many-gzip.parquet (6000 rows each).
#
# Each case runs a grouped query in a child sqlite3 whose grouping store
# cannot finish in memory, once with a tiny VPCFLOW_GROUP_MB and once
# under `ulimit -v` with the default budget, and compares its result with
# the same query under VPCFLOW_GROUP=off (SQLite's own sorter; the
# independent expectation). VPCFLOW_GROUP_TRACE shows that the store did
# fail and spill; the case prints "same, spilled" only if both hold.
#
# The child uses the extension the calling sqlite3 has loaded (found in
# /proc/PID/maps up the process tree), with the sanitizer runtimes the
# caller had (the .sql passes them as VPCFLOW_CHILD_PRELOAD). An ASan
# build cannot run under `ulimit -v` (its shadow memory alone is
# terabytes of address space), so under `make asan-shell` the ulimit
# cases use the plain build ./vpcflow.so (the asan-shell goal builds it);
# the in-process cases of the .sql (PRAGMA hard_heap_limit) run under
# every build.
set -u
d=build/groupspill   # in the checkout: two checkouts testing at once do not share it
case "${1:-}" in
clean) rm -rf "$d"; exit 0 ;;
make)
  rm -rf "$d"
  mkdir -p "$d/gz" "$d/pq" "$d/big/gz" "$d/big/pq"
  for f in fixtures/scenario/v2/AWSLogs/*/*/*/*/*/*/*.log.gz; do
    cp "$f" "$d/gz/"
  done
  gzip -dc "$d"/gz/*.log.gz > "$d/plain.log"
  # gzip content under a name without .gz: 12.3 MB of text in about 0.95
  gzip -c "$d/plain.log" > "$d/disguised.log"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    cp fixtures/parquet/many-gzip.parquet "$d/pq/p$i.parquet"
  done
  # eight times as much for the ulimit cases: the store must outgrow
  # the limit by far, so that the spill, after it freed the store, has
  # room whatever the C library reserves for threads
  for i in 1 2 3 4 5 6 7 8; do
    cat "$d/plain.log"
    mkdir -p "$d/big/gz/$i"; cp "$d"/gz/*.log.gz "$d/big/gz/$i/"
  done > "$d/big/plain.log"
  for i in $(seq 1 200); do
    cp fixtures/parquet/many-gzip.parquet "$d/big/pq/p$i.parquet"
  done
  exit 0 ;;
run) ;;
*) echo "usage: $0 make|run|clean" >&2; exit 2 ;;
esac

# the extension of the calling sqlite3
so=; pid=$$
while [ -z "$so" ] && [ "$pid" -gt 1 ] 2>/dev/null; do
  so=$(grep -o '/[^ ]*vpcflow\.so$' /proc/$pid/maps 2>/dev/null | head -n 1)
  pid=$(awk '{print $4}' /proc/$pid/stat 2>/dev/null || echo 1)
done
[ -n "$so" ] || so=$PWD/vpcflow.so
plain_so=$so
case "$so" in */asan/*) plain_so=$PWD/vpcflow.so ;; esac
# the sanitizer runtimes the calling sqlite3 was started with (an ASan
# build needs them first), kept for the children that use $so
pre=${VPCFLOW_CHILD_PRELOAD:-}

# The wide query of the text inputs: 13 columns per row in the store,
# most of them text, so that the store is larger than the text it came
# from. Only order-independent aggregates: the order of rows within a
# group is not promised.
qtext="SELECT srcaddr, dstaddr, count(*), sum(bytes), sum(packets),
  min(start), max(end), max(interface_id), min(action), max(log_status),
  sum(srcport), sum(dstport), sum(protocol) FROM vpcflow('PATH')
  GROUP BY srcaddr, dstaddr ORDER BY srcaddr DESC, dstaddr"
qpq="SELECT interface_id, srcport, count(*), sum(bytes), min(start),
  max(action), sum(dstport) FROM vpcflow('PATH') GROUP BY interface_id, srcport"

# plan NAME BUDGET_MB PATH QUERY: does the plan group in the scan?
plan(){
  q=$(printf '%s' "$4" | sed "s#PATH#$3#")
  if env LD_PRELOAD="$pre" VPCFLOW_GROUP_MB=$2 sqlite3 -batch :memory: \
       -cmd ".load $so" "EXPLAIN QUERY PLAN $q" | grep -q 'TEMP B-TREE FOR GROUP'
  then
    echo "$1: sorted by SQLite"
  else
    echo "$1: grouped by the scan"
  fi
}

# case NAME LIMIT_KB BUDGET_MB PATH QUERY
case_run(){
  name=$1; lim=$2; mb=$3; path=$4
  q=$(printf '%s' "$5" | sed "s#PATH#$path#")
  lib=$so; lp=$pre
  [ "$lim" != - ] && { lib=$plain_so; lp=; }
  env LD_PRELOAD="$lp" VPCFLOW_GROUP=off sqlite3 -batch :memory: \
    -cmd ".load $lib" "$q" > "$d/want" 2>&1
  (
    [ "$lim" != - ] && ulimit -v "$lim"
    if [ "$mb" != - ]; then export VPCFLOW_GROUP_MB=$mb; fi
    env LD_PRELOAD="$lp" VPCFLOW_GROUP_TRACE=1 sqlite3 -batch :memory: \
      -cmd ".load $lib" "$q" > "$d/got" 2> "$d/trace"
  )
  if cmp -s "$d/want" "$d/got" && [ -s "$d/got" ]; then r=same; else r=DIFFERENT; fi
  if grep -q 'sorting in a temporary file' "$d/trace"; then
    s=spilled
  else
    s="NOT spilled"
  fi
  echo "$name: $r, $s"
  [ "$r" = same ] || { head -n 3 "$d/trace"; diff "$d/want" "$d/got" | head -n 5; }
}

# The estimate (budget >= estimate/2 to group) is by content: gzip by its
# magic and ISIZE (12.3 MB here), Parquet
# by the rows in its footers (100 bytes each: 600 KB a copy, its file
# being 32 KB).
plan "gzip named .log, 3 MB" 3 "$d/disguised.log" "$qtext"
plan "gzip named .log, 6 MB" 6 "$d/disguised.log" "$qtext"
plan "one Parquet file, 1 MB" 1 fixtures/parquet/many-gzip.parquet "$qpq"
plan "12 Parquet files, 1 MB" 1 "$d/pq" "$qpq"
plan "12 Parquet files, 4 MB" 4 "$d/pq" "$qpq"

case_run "plain, VPCFLOW_GROUP_MB=6" - 6 "$d/plain.log" "$qtext"
case_run "gzip, VPCFLOW_GROUP_MB=6" - 6 "$d/gz" "$qtext"
case_run "parquet, VPCFLOW_GROUP_MB=6" - 6 "$d/pq" "$qpq"
case_run "plain, ulimit -v 80 MB" 80000 - "$d/big/plain.log" "$qtext"
case_run "gzip, ulimit -v 80 MB" 80000 - "$d/big/gz" "$qtext"
case_run "parquet, ulimit -v 60 MB" 60000 - "$d/big/pq" "$qpq"
