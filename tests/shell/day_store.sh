#!/bin/sh
# day_store.sh - the prepared day kept in its temporary file gives the
# hunt the same findings as the day kept in memory (ext/day_store.c).
# Run by day_store.sql (from the repository root):
#
#   sh tests/shell/day_store.sh run      the cases below
#   sh tests/shell/day_store.sh clean
#
# Each case runs sql/hunt.sql over the scenario (fixtures/scenario/v5,
# 111,951 records: ~10 MB of day arrays) in a child sqlite3, with
# VPCFLOW_DAY_TRACE set so that the store says when it goes to the file:
#   - the default budget (2048 MiB): the day stays in memory, no line;
#   - VPCFLOW_DAY_MEMORY_MB=1: the records pass 1 MiB, so every big array
#     goes to the file (the trace line names the directory); its
#     findings must be byte for byte the in-memory run's (the
#     independent expectation: the store that was used before the file
#     store existed);
#   - VPCFLOW_DAY_MEMORY_MB=0 (everything in the file from the first
#     block: the watcher trims continuously): the same findings again;
#   - the file store when the file cannot grow (ulimit -f: a full disk
#     gives the same error path): a clear error naming the directory,
#     not a crash (SIGXFSZ ignored, as a full disk sends no signal).
# The child uses the extension the calling sqlite3 has loaded (found in
# /proc/PID/maps up the process tree) with the sanitizer runtimes the
# caller had (VPCFLOW_CHILD_PRELOAD).
set -u
d=build/daystore
case "${1:-}" in
clean) rm -rf "$d"; exit 0 ;;
run) ;;
*) echo "usage: $0 run|clean" >&2; exit 2 ;;
esac
rm -rf "$d"; mkdir -p "$d/tmp"

so=; pid=$$
while [ -z "$so" ] && [ "$pid" -gt 1 ] 2>/dev/null; do
  so=$(grep -o '/[^ ]*vpcflow\.so$' /proc/$pid/maps 2>/dev/null | head -n 1)
  pid=$(awk '{print $4}' /proc/$pid/stat 2>/dev/null || echo 1)
done
[ -n "$so" ] || so=$PWD/vpcflow.so
pre=${VPCFLOW_CHILD_PRELOAD:-}

# hunt BUDGET OUT: the hunt, stdout to OUT, stderr to OUT.err; BUDGET
# "" is the default. The temporary files go to $d/tmp.
hunt() {
  if [ -n "$1" ]; then b="VPCFLOW_DAY_MEMORY_MB=$1"; else b="VPCFLOW_DAY_TRACE=1"; fi
  env -u VPCFLOW_DAY_MEMORY_MB -u SQLITE_TMPDIR TMPDIR="$d/tmp" \
    VPCFLOW_DAY_TRACE=1 "$b" LD_PRELOAD="$pre" \
    sqlite3 -batch -box :memory: -cmd ".load $so" \
    -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5')" \
    -cmd '.read fixtures/scenario/context.sql' < sql/hunt.sql > "$2" 2> "$2.err"
}

hunt "" "$d/mem.out"
# (111951 records, as fixtures/README.md documents; 123 findings, as
# detect_scenario and hunt_first_scenario count them)
echo "default budget: $(grep -c 'spills to a temporary file' "$d/mem.out.err") trace line(s);" \
  "$(grep -o 'records  *│ [0-9]*' "$d/mem.out" | tr -s ' ')," \
  "$(grep -o 'findings  *│ [0-9]*' "$d/mem.out" | tr -s ' ')"
cat "$d/mem.out.err"
for mb in 1 0; do
  hunt "$mb" "$d/file$mb.out"
  echo "VPCFLOW_DAY_MEMORY_MB=$mb: $(sed -n 's/^vpcflow: \(the prepared day spills to a temporary file in \).*\/\(tmp\) .*/\1...\/\2/p' "$d/file$mb.out.err")"
  if cmp -s "$d/mem.out" "$d/file$mb.out"; then
    echo "  findings: the same as in memory"
  else
    echo "  findings: DIFFER"; diff "$d/mem.out" "$d/file$mb.out" | head -20
  fi
  grep -v 'spills to a temporary file' "$d/file$mb.out.err"
done

# the file cannot grow past 64 KiB; stdout through a pipe (the limit
# applies to every file the child writes)
( trap '' XFSZ; ulimit -f 64
  env -u SQLITE_TMPDIR TMPDIR="$d/tmp" VPCFLOW_DAY_MEMORY_MB=0 LD_PRELOAD="$pre" \
    sqlite3 -batch :memory: -cmd ".load $so" \
    -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5')" \
    "SELECT records FROM vpcflow_prepare('flows', 3)" 2>&1
  echo "sqlite3 exit status: $?" ) \
  | sed 's/in [^ ]*\/\(tmp\) [0-9]* bytes long/in ...\/\1 N bytes long/'
# the files were unlinked as soon as made: none is left
echo "files left in the temporary directory: $(ls -A "$d/tmp" | wc -l)"
