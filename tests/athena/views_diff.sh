#!/bin/sh
# views_diff.sh - the logic of the Athena normalisation views against the
# local normalisation, on the same records.
#
#   sh tests/athena/views_diff.sh ./vpcflow.so
#
# sql/athena/detections/prepare.sql is translated to SQLite
# (tests/athena/to_sqlite.py: a handful of one-to-one rules, TRY_CAST/
# contains -> ip_in_cidr, bitwise_and -> &, IS DISTINCT FROM -> IS NOT)
# and run over the bundled scenario day, v5 and v2 (the v2 run uses the
# CAST(NULL ...) replacements prepare.sql's header gives v2 users), over
# tests/hunt/randflows.py's dense random records (v5, v2) and over
# tests/hunt/eni_tie.log. The
# reference is the local pipeline over the same table: sql/prepare.sql
# (ext/norm.c) and sql/summaries.sql. Compared as multisets (every
# column, with a count per distinct row), both ways:
#   flows_n      the flags: dir, skip, resp, answered, conn_start (with
#                the 5-tuple, start, interface, log-status)
#   flows_t      its 19 columns (the local view also has log_file, log_line)
#   att_port     all 19 columns
#   pair         all 11 columns
#   vpcflow_span t0, t1, cut
# Then a planted off-by-one (conn_start's "previous 120 s" window made to
# include the record itself) must make the comparison fail.
#
# Five detections (DETS below) are translated too (det_to_sqlite.py:
# format -> printf, date_format -> strftime, greatest/least -> max/min,
# count_if, ARRAY/contains -> json_array/json_each) and run over those
# views: their findings must equal the local detections' (score,
# severity, src, dst, port, times, evidence), v5 and v2; a score changed
# by one point in a copy must show. The other twelve use arrays, lambdas
# or regexp functions SQLite lacks, or their local scoring is being
# changed by #14 on another branch: they are not run on any engine. This checks the SQL's logic on real-shaped data, not
# Trino: the Trino-only parts (the IP type, format(), arrays) are what the
# translation replaces.
set -u
SO=${1:-./vpcflow.so}
SO=${SO%.so}
HERE=tests/athena
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vpcflow-athena-views.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

# The columns compared: those of the Athena views (the local flows_t also
# has log_file and log_line, which name the local file and line).
TCOLS='resp, src_private, dst_private, protocol, action, conn_start, answered, dstport, srcport, src, dst, start, "end", packets, bytes, tcp_flags, dst_service, src_service, interface_id'
ACOLS='src, dst, protocol, dstport, dst_service, n, n_action, rejected, accepted, n_failed, failed, answered, answered_max, acc_answered, conns, t0, t1, src_private, dst_private'
PCOLS='src, dst, src_service, dst_service, n, bytes, packets, t0, t1, src_private, dst_private'

# diff_day LOGS V2FLAG PREPARE: print one "name|local-only|athena-only" line per table
# days LOGS: "first|last" dt of the logs, for vpcflow_days' partition filter
days() {
  sqlite3 -batch :memory: -cmd ".load $SO" \
    "CREATE VIRTUAL TABLE temp.raw USING vpcflow('$1'); SELECT min(dt) || '|' || max(dt) FROM raw;"
}
# translate PREPARE V2FLAG LOGS: the SQLite views, vpcflow_days set to the logs' days
translate() {
  d=$(days "$3") || return 1
  python3 "$HERE/to_sqlite.py" --tables $2 <"$1" |
    sed "s#dt BETWEEN '2026/02/13' AND '2026/02/13'#dt BETWEEN '${d%|*}' AND '${d#*|}'#" >"$TMP/views.sql"
  grep -q "dt BETWEEN '${d%|*}' AND '${d#*|}'" "$TMP/views.sql"
}

diff_day() {
  translate "$3" "$2" "$1" || return 1
  sqlite3 -batch :memory: -cmd ".load $SO" <<EOF
.bail on
CREATE VIRTUAL TABLE temp.raw USING vpcflow('$1');
CREATE TEMP TABLE flows AS SELECT *, dt FROM raw;
.read sql/prepare.sql
.read sql/summaries.sql
.read $TMP/views.sql
CREATE TEMP VIEW l_n AS SELECT src, dst, srcport, dstport, protocol, start, interface_id, log_status,
       dir, skip, resp, answered, conn_start, count(*) AS k FROM flows_n GROUP BY 1,2,3,4,5,6,7,8,9,10,11,12,13;
CREATE TEMP VIEW a_n AS SELECT src, dst, srcport, dstport, protocol, start, interface_id, log_status,
       dir, "skip", resp, answered, conn_start, count(*) AS k FROM athena_flows_n GROUP BY 1,2,3,4,5,6,7,8,9,10,11,12,13;
CREATE TEMP VIEW l_t AS SELECT $TCOLS, count(*) AS k FROM flows_t GROUP BY $TCOLS;
CREATE TEMP VIEW a_t AS SELECT $TCOLS, count(*) AS k FROM athena_flows_t GROUP BY $TCOLS;
SELECT 'flows_n', (SELECT count(*) FROM (SELECT * FROM l_n EXCEPT SELECT * FROM a_n)),
                  (SELECT count(*) FROM (SELECT * FROM a_n EXCEPT SELECT * FROM l_n)), (SELECT sum(k) FROM a_n);
SELECT 'flows_t', (SELECT count(*) FROM (SELECT * FROM l_t EXCEPT SELECT * FROM a_t)),
                  (SELECT count(*) FROM (SELECT * FROM a_t EXCEPT SELECT * FROM l_t)), (SELECT sum(k) FROM a_t);
SELECT 'att_port', (SELECT count(*) FROM (SELECT $ACOLS FROM att_port EXCEPT SELECT $ACOLS FROM athena_att_port)),
                   (SELECT count(*) FROM (SELECT $ACOLS FROM athena_att_port EXCEPT SELECT $ACOLS FROM att_port)),
                   (SELECT count(*) FROM athena_att_port);
SELECT 'pair', (SELECT count(*) FROM (SELECT $PCOLS FROM pair EXCEPT SELECT $PCOLS FROM athena_pair)),
               (SELECT count(*) FROM (SELECT $PCOLS FROM athena_pair EXCEPT SELECT $PCOLS FROM pair)),
               (SELECT count(*) FROM athena_pair);
SELECT 'vpcflow_span', (SELECT count(*) FROM (SELECT * FROM vpcflow_span EXCEPT SELECT * FROM athena_vpcflow_span)),
                       (SELECT count(*) FROM (SELECT * FROM athena_vpcflow_span EXCEPT SELECT * FROM vpcflow_span)), 1;
EOF
}

# The detections whose Trino functions all have a one-to-one SQLite form
# (tests/athena/det_to_sqlite.py) and whose local scoring #14 leaves as
# is: their findings must equal the local ones, every column.
DETS="brute_force dns_tunnel icmp_tunnel_tor log_coverage reject_spike"

# det_diff LOGS V2FLAG DETDIR: one "name|local-only|athena-only|athena rows|local rows" per detection
det_diff() {
  translate sql/athena/detections/prepare.sql "$2" "$1" || return 1
  {
    echo ".bail on"
    echo "CREATE VIRTUAL TABLE temp.raw USING vpcflow('$1');"
    echo "CREATE TEMP TABLE flows AS SELECT *, dt FROM raw;"
    echo ".read sql/prepare.sql"
    echo "INSERT INTO vpcflow_state VALUES ('quiet', 1);"
    echo ".read $TMP/views.sql"
    for d in $DETS; do
      echo ".read sql/detections/$d.sql"
      echo "CREATE TEMP TABLE a_$d AS"
      python3 "$HERE/det_to_sqlite.py" <"$3/$d.sql" || return 1
      echo "SELECT '$d', (SELECT count(*) FROM (SELECT * FROM det_$d EXCEPT SELECT * FROM a_$d)),"
      echo "  (SELECT count(*) FROM (SELECT * FROM a_$d EXCEPT SELECT * FROM det_$d)),"
      echo "  (SELECT count(*) FROM a_$d), (SELECT count(*) FROM det_$d);"
    done
  } >"$TMP/det.sql"
  sqlite3 -batch :memory: -cmd ".load $SO" <"$TMP/det.sql"
}

fails=0
# check_dets LABEL LOGS V2FLAG: every finding equal; at least one each
check_dets() {
  out=$(det_diff "$2" "$3" sql/athena/detections 2>&1) || {
    echo "athena detections: $1: FAILED to run:"; printf '%s\n' "$out" | head -5; fails=$((fails+1)); return; }
  bad=$(printf '%s\n' "$out" | awk -F'|' 'NF != 5 || $2 != 0 || $3 != 0 || $4 != $5 || $4 == 0')
  if [ -n "$bad" ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne "$(echo $DETS | wc -w)" ]; then
    echo "athena detections: $1: findings differ (name|local-only|athena-only|athena rows|local rows):"
    printf '%s\n' "$out"; fails=$((fails+1))
  else
    echo "athena detections: $1: the same findings as the local files ($(printf '%s\n' "$out" | awk -F'|' '{printf "%s%s %s", s, $1, $4; s=", "}'))"
  fi
}

# check_day LABEL LOGS V2FLAG: every table equal, flows_n not empty
check_day() {
  out=$(diff_day "$2" "$3" sql/athena/detections/prepare.sql 2>&1) || {
    echo "athena views: $1: FAILED to run:"; printf '%s\n' "$out" | head -5; fails=$((fails+1)); return; }
  bad=$(printf '%s\n' "$out" | awk -F'|' 'NF != 4 || $2 != 0 || $3 != 0 || ($1 == "flows_n" && $4 == 0)')
  if [ -n "$bad" ]; then
    echo "athena views: $1: the Athena views differ from the local normalisation (table|local-only|athena-only|rows):"
    printf '%s\n' "$out"; fails=$((fails+1))
  else
    echo "athena views: $1: flows_n, flows_t, att_port, pair, vpcflow_span equal ($(printf '%s\n' "$out" | awk -F'|' '$1=="flows_n"{print $4}') records)"
  fi
}
check_day "scenario v5" fixtures/scenario/v5 ""
check_day "scenario v2" fixtures/scenario/v2 --v2
# dense random records from small pools (every rule fires: NAT, both-ENI
# copies, replies, ties) and a hand-written ENI tie, as tests/hunt/diff.sh
# uses them for norm.c
python3 tests/hunt/randflows.py 2 5000 "$TMP/rand2" >/dev/null || { echo "athena views: randflows.py failed"; exit 1; }
check_day "random v5" "$TMP/rand2/v5.log" ""
check_day "random v2" "$TMP/rand2/v2.log" --v2
check_day "ENI tie" tests/hunt/eni_tie.log --v2

check_dets "scenario v5" fixtures/scenario/v5 ""
check_dets "scenario v2" fixtures/scenario/v2 --v2

# a planted score mistake in one Athena detection must show
mkdir "$TMP/dets" && cp sql/athena/detections/*.sql "$TMP/dets/"
sed -i 's/least(100, 35 + 20 \* log10/least(100, 36 + 20 * log10/' "$TMP/dets/brute_force.sql"
if cmp -s sql/athena/detections/brute_force.sql "$TMP/dets/brute_force.sql"; then
  echo "athena detections: planted: brute_force's score not found"; fails=$((fails+1))
else
  out=$(det_diff fixtures/scenario/v5 "" "$TMP/dets" 2>&1)
  if printf '%s\n' "$out" | awk -F'|' '$1=="brute_force" && ($2 > 0 || $3 > 0) {f=1} END {exit !f}'; then
    echo "athena detections: planted brute_force score 35 -> 36: caught ($(printf '%s\n' "$out" | grep '^brute_force'))"
  else
    echo "athena detections: planted brute_force score 35 -> 36: NOT caught"; printf '%s\n' "$out"; fails=$((fails+1))
  fi
fi

# the planted mistake: the window of "a previous record" includes the record itself
sed 's/WHERE p.start BETWEEN o.start - 120 AND o.start - 1)/WHERE p.start BETWEEN o.start - 120 AND o.start)/' \
  sql/athena/detections/prepare.sql >"$TMP/planted.sql"
if cmp -s sql/athena/detections/prepare.sql "$TMP/planted.sql"; then
  echo "athena views: planted: the conn_start window was not found in prepare.sql"; fails=$((fails+1))
else
  out=$(diff_day fixtures/scenario/v5 "" "$TMP/planted.sql" 2>&1)
  if printf '%s\n' "$out" | awk -F'|' '$1=="flows_n" && ($2 > 0 || $3 > 0) {f=1} END {exit !f}'; then
    echo "athena views: planted conn_start window off by one: caught ($(printf '%s\n' "$out" | grep '^flows_n'))"
  else
    echo "athena views: planted conn_start window off by one: NOT caught"; printf '%s\n' "$out"; fails=$((fails+1))
  fi
fi
[ $fails -eq 0 ] || { echo "athena views: FAILED"; exit 1; }
echo "athena views: passed"
