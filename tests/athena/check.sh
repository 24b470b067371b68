#!/bin/sh
# check.sh - offline checks of the Athena SQL (make athena-check).
#
#   sh tests/athena/check.sh ./vpcflow.so
#
# 0. The logic of prepare.sql's views, translated to SQLite, against the
#    local normalisation (ext/norm.c) on the scenario day and on random
#    records, v5 and v2, and five detections' findings against the local
#    ones (tests/athena/views_diff.sh; runs without npm).
# 1. The DDL: vpcflow_athena_ddl() over the bundled v5 scenario day
#    (fixtures/scenario/v5), the table every Athena file reads.
# 2. tests/athena/check.mjs over sql/athena/detections/*.sql: Trino
#    grammar (dt-sql-parser), tables/columns against that DDL, functions
#    against tests/athena/trino_functions.txt, the output columns.
# 3. Planted mistakes: each copy of the files below carries one mistake
#    and the check must fail on it with the expected message - a
#    misspelt column, a SQLite function, a syntax error, an unknown table,
#    an unknown alias, the old `date` partition column, a dt value not in
#    yyyy/MM/dd, a format() argument missing, a wrong output column - and
#    the v2 DDL (no tcp_flags) must fail prepare.sql, and pass it with
#    the v2 replacements of its header.
# 4. the evidence texts against sql/detections (ATHENA_PARITY=0 skips it).
#
# dt-sql-parser is installed from npm into build/athena/node (ATHENA_NODE_DIR)
# the first time, as make bench-deps does for DuckDB. Without node/npm or
# without network the check is SKIPPED with a message (exit 0): it never
# fails CI for that. Nothing here runs a query on Athena.
set -u
SO=${1:-./vpcflow.so}
SO=${SO%.so}
NODE_DIR=${ATHENA_NODE_DIR:-build/athena/node}
PARSER_VERSION=${ATHENA_PARSER_VERSION:-4.5.1}
SQL_DIR=sql/athena/detections
HERE=tests/athena

# 0. the views' logic against the local normalisation (sqlite3 + python3,
# no npm needed): tests/athena/views_diff.sh
sh "$HERE/views_diff.sh" "$SO.so" || { echo "athena-check: FAILED"; exit 1; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "athena-check: SKIPPED: node and npm are needed for Trino's grammar (Debian: apt-get install -y nodejs npm)"
  exit 0
fi
if [ ! -f "$NODE_DIR/node_modules/dt-sql-parser/package.json" ]; then
  mkdir -p "$NODE_DIR"
  if ! npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error \
       "dt-sql-parser@$PARSER_VERSION" >"$NODE_DIR/npm.log" 2>&1; then
    echo "athena-check: SKIPPED: npm could not install dt-sql-parser@$PARSER_VERSION (no network?); see $NODE_DIR/npm.log"
    exit 0
  fi
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vpcflow-athena.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

ddl() {  # ddl DIR OUT: vpcflow_athena_ddl() of the logs under DIR
  sqlite3 -batch :memory: -cmd ".load $SO" \
    "SELECT vpcflow_athena_ddl('$1', 's3://example-bucket/AWSLogs/123456789012/vpcflowlogs/us-east-1/')" >"$2" \
    || { echo "athena-check: vpcflow_athena_ddl() failed on $1"; exit 1; }
}
ddl fixtures/scenario/v5 "$TMP/ddl_v5.sql"
ddl fixtures/v2 "$TMP/ddl_v2.sql"
grep -q '`flow_direction` string' "$TMP/ddl_v5.sql" || { echo "athena-check: the v5 DDL lacks flow_direction"; exit 1; }

check() {  # check DDL FILE...: the node checker
  ddlf=$1; shift
  node "$HERE/check.mjs" "$NODE_DIR" "$ddlf" "$HERE/trino_functions.txt" "$@"
}

# 2. the real files
check "$TMP/ddl_v5.sql" "$SQL_DIR"/*.sql || { echo "athena-check: FAILED"; exit 1; }

# 3. planted mistakes. plant NAME FILE FROM TO EXPECT: copy FILE (with
# prepare.sql and user_tables.sql, which define the views), replace the
# first FROM in FILE by TO, expect a failure naming EXPECT.
fails=0
plant() {
  name=$1 file=$2 from=$3 to=$4 expect=$5
  rm -rf "$TMP/p" && mkdir "$TMP/p" && cp "$SQL_DIR/prepare.sql" "$SQL_DIR/user_tables.sql" "$TMP/p/" \
    && cp "$SQL_DIR/$file" "$TMP/p/"
  FROM=$from TO=$to perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$TMP/p/$file"
  if cmp -s "$SQL_DIR/$file" "$TMP/p/$file"; then
    echo "athena-check: planted '$name': '$from' not found in $file"; fails=$((fails+1)); return
  fi
  out=$(check "$TMP/ddl_v5.sql" "$TMP/p"/*.sql 2>&1); rc=$?
  if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -qF -- "$expect"; then
    echo "athena-check: planted $name: caught ($(printf '%s\n' "$out" | grep -F -- "$expect" | head -1 | sed "s#^$TMP/p/##"))"
  else
    echo "athena-check: planted $name: NOT caught (rc $rc, wanted '$expect'):"; printf '%s\n' "$out" | head -5
    fails=$((fails+1))
  fi
}
plant "misspelt column" port_scan.sql "HAVING count(DISTINCT dstport)" "HAVING count(DISTINCT dstprot)" 'column "dstprot"'
plant "SQLite function" beaconing.sql "date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ')" "strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch')" 'function strftime()'
plant "SQLite printf" dns_tunnel.sql "format('%s uses" "printf('%s uses" 'function printf()'
plant "syntax error" brute_force.sql "GROUP BY src, dst, dstport)," "GROUP src, dst, dstport)," 'syntax (Trino grammar)'
plant "unknown table" dos.sql "FROM flows_t WHERE resp = 0" "FROM flow_t WHERE resp = 0" 'table or view "flow_t"'
plant "unknown alias" unusual_port.sql "coalesce(pn.name, '')" "coalesce(pm.name, '')" '"pm" in "pm.name"'
plant "old date partition" prepare.sql "WHERE dt BETWEEN '2026/02/13' AND '2026/02/13'" "WHERE date = DATE '2026-02-13'" 'column "date"'
plant "no dt filter" prepare.sql "WHERE dt BETWEEN '2026/02/13' AND '2026/02/13'" "WHERE start > 0" 'without a filter on the partition column dt'
plant "format() argument missing" brute_force.sql "peak, CAST(round(100 * login_share) AS bigint), ppf, bpf," "peak, CAST(round(100 * login_share) AS bigint), ppf," 'format() has 11 conversion(s) for 10 argument(s)'
plant "dt in another format" prepare.sql "WHERE dt BETWEEN '2026/02/13' AND '2026/02/13'" "WHERE dt BETWEEN '2026-02-13' AND '2026/02/13'" "dt is compared with '2026-02-13'"
plant "output column" exfiltration.sql "AS last_seen" "AS last_time" 'output columns'

# the v2 DDL has no tcp_flags: prepare.sql must fail against it
out=$(check "$TMP/ddl_v2.sql" "$SQL_DIR"/prepare.sql 2>&1); rc=$?
if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -qF 'column "tcp_flags"'; then
  echo "athena-check: v2 DDL: caught (prepare.sql names tcp_flags, which v2 files lack)"
else
  echo "athena-check: v2 DDL: NOT caught (rc $rc)"; fails=$((fails+1))
fi
# ... and prepare.sql with the v2 replacements its header gives passes it
python3 "$HERE/to_sqlite.py" --v2-trino <"$SQL_DIR/prepare.sql" >"$TMP/prepare.sql"
if check "$TMP/ddl_v2.sql" "$TMP/prepare.sql" >"$TMP/v2.out" 2>&1; then
  echo "athena-check: v2 DDL: prepare.sql with its header's v2 replacements passes"
else
  echo "athena-check: v2 DDL: prepare.sql with the v2 replacements FAILS:"; head -5 "$TMP/v2.out"; fails=$((fails+1))
fi

# 4. evidence parity with sql/detections (on by default; ATHENA_PARITY=0
# skips it): every local evidence format string and phrase must be in the
# Athena file, so a local change that is not mirrored fails here.
if [ "${ATHENA_PARITY:-1}" = 1 ]; then
  node "$HERE/parity.mjs" sql/detections "$SQL_DIR" || fails=$((fails+1))
fi

if [ $fails -ne 0 ]; then
  echo "athena-check: FAILED: $fails check(s) above"
  exit 1
fi
echo "athena-check: passed (parsed and name-checked offline; nothing was run on Athena)"
