#!/bin/sh
# det_current.sh - the detections rewritten for speed after the first
# rewrite (issue #12, 10 M records in 30 s) against the SQL they had just
# before, kept unchanged in tests/hunt/reference/current/ (never edit
# those to make this pass). make hunt-diff runs it (tests/hunt/diff.sh).
#
#   sh tests/hunt/det_current.sh [./vpcflow.so]     (from anywhere)
#
# For each data set, one session reads today's reference of every file in
# reference/current/, keeps its rows (with their order: rowid), drops the
# views, reads sql/detections' file of the same name and compares: the
# same rows in the same order, every column, and each reference must find
# something on at least one set (printed, so "identical" never hides "both
# empty"). Data: the scenario (v5, v2, day 2 v5 and v2: every attack and
# look-alike), dense random records of tests/hunt/randflows.py (two
# seeds, v5 and v2: window edges, NULL ports, every tcp-flags case, NAT
# copies) and random-address records of tests/bench/gen (100 k, v5 and v2,
# with zones for trust_boundary).
set -u
cd "$(dirname "$0")/../.." || exit 1
so=${1:-./vpcflow.so}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
GEN=build/bench/gen
[ -x "$GEN" ] || make -s "$GEN" >/dev/null || { echo "det_current: cannot build $GEN"; exit 1; }
"$GEN" -5 -s 12 -o "$tmp/gen5.log" 100000 && "$GEN" -s 12 -o "$tmp/gen2.log" 100000 || exit 1
python3 tests/hunt/randflows.py 3 20000 "$tmp/rand3" || exit 1
python3 tests/hunt/randflows.py 4 20000 "$tmp/rand4" || exit 1
names=$(ls tests/hunt/reference/current/*.sql | sed 's#.*/##; s#\.sql$##')

session() { # path, context.sql
  {
    echo ".read $2"
    echo ".read sql/prepare.sql"
    echo "INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);"
    for n in $names; do
      echo ".read tests/hunt/reference/current/$n.sql"
      echo "CREATE TEMP TABLE ref_$n AS SELECT * FROM det_$n;"
      echo "DROP VIEW det_$n;"
      echo ".read sql/detections/$n.sql"
      echo "CREATE TEMP TABLE new_$n AS SELECT * FROM det_$n;"
      echo "SELECT '$n', (SELECT count(*) FROM ref_$n),"
      echo "  CASE WHEN (SELECT count(*) FROM ref_$n) = (SELECT count(*) FROM new_$n)"
      echo "        AND NOT EXISTS (SELECT rowid, * FROM ref_$n EXCEPT SELECT rowid, * FROM new_$n)"
      echo "        AND NOT EXISTS (SELECT rowid, * FROM new_$n EXCEPT SELECT rowid, * FROM ref_$n)"
      echo "       THEN 'identical' ELSE 'DIFFERENT' END;"
    done
  } | sqlite3 -bail -batch :memory: -cmd ".load $so" \
        -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$1')" 2>&1
}

fail=0
: > "$tmp/all"
run() { # name, path, context.sql
  out=$(session "$2" "$3")
  printf '%s\n' "$out" | sed "s/^/$1|/" >> "$tmp/all"
  if printf '%s\n' "$out" | grep -q '|identical$' \
     && ! printf '%s\n' "$out" | grep -qv '|identical$'; then
    echo "det_current $1: identical ($(printf '%s\n' "$out" | awk -F'|' '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}') rows)"
  else
    fail=1; echo "FAILED: det_current $1"; printf '%s\n' "$out"
  fi
}
run scenario-v5 fixtures/scenario/v5 fixtures/scenario/context.sql
run scenario-v2 fixtures/scenario/v2 fixtures/scenario/context.sql
run day2-v5 fixtures/scenario/day2/v5 fixtures/scenario/day2/context.sql
run day2-v2 fixtures/scenario/day2/v2 fixtures/scenario/day2/context.sql
run rand3-v5 "$tmp/rand3/v5.log" /dev/null
run rand3-v2 "$tmp/rand3/v2.log" /dev/null
run rand4-v5 "$tmp/rand4/v5.log" /dev/null
# zones over the generator's 10.0.0.0/8 (as the bench's context.sql), so
# that trust_boundary has internal crossings to find in them
cat > "$tmp/gen_zones.sql" <<'SQL'
CREATE TEMP TABLE zones(cidr TEXT, zone TEXT);
INSERT INTO zones VALUES ('10.0.0.0/9', 'low'), ('10.128.0.0/9', 'high'), ('10.0.0.0/16', 'core');
CREATE TEMP TABLE allowed(src_zone TEXT, dst_zone TEXT, port INTEGER);
INSERT INTO allowed VALUES ('low', 'high', 443), ('high', 'low', 443), ('core', '*', NULL);
SQL
run gen-v5-100k "$tmp/gen5.log" "$tmp/gen_zones.sql"
run gen-v2-100k "$tmp/gen2.log" "$tmp/gen_zones.sql"
# every reference must have found something somewhere
for n in $names; do
  if ! awk -F'|' -v n="$n" '$2 == n && $3 > 0 {f = 1} END {exit !f}' "$tmp/all"; then
    fail=1; echo "FAILED: det_current: the reference $n found nothing on any data set"
  fi
done
[ $fail = 0 ] && echo "det_current: all identical"
exit $fail
