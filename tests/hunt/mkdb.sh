#!/bin/sh
# mkdb.sh - normalise a flow-log folder ONCE with sql/prepare.sql and save
# the result to a database file, so that detections can be timed against it
# many times without paying for the scan and normalisation again.
#
# Usage (from the repository root):
#   tests/hunt/mkdb.sh ./vpcflow.so SRC OUT.db [context.sql]
#
# OUT.db holds, as ordinary tables: flows_n (with the three indexes that
# prepare.sql builds today), vpcflow_state, tunables, vpcflow_translator,
# vpcflow_eni and the user tables ioc, zones, allowed (from context.sql when
# given). tests/hunt/time.sh reads it.
set -eu
so=$1 src=$2 out=$3 ctx=${4:-}
cd "$(dirname "$0")/../.."
rm -f "$out"
{
  echo ".bail on"
  echo "CREATE VIRTUAL TABLE temp.flows USING vpcflow('$src');"
  [ -n "$ctx" ] && echo ".read $ctx"
  echo ".read sql/prepare.sql"
  cat <<SQL
ATTACH '$out' AS o;
PRAGMA o.journal_mode = OFF;
CREATE TABLE o.flows_n AS SELECT * FROM temp.flows_n;
CREATE INDEX o.flows_n_tuple ON flows_n(src, dst, srcport, dstport, protocol, start);
CREATE INDEX o.flows_n_raw ON flows_n(srcaddr, srcport, dstport, protocol, start);
CREATE INDEX o.flows_n_src ON flows_n(src, start);
CREATE TABLE o.vpcflow_state(k TEXT PRIMARY KEY, v);
INSERT INTO o.vpcflow_state SELECT * FROM temp.vpcflow_state;
CREATE TABLE o.tunables(name TEXT PRIMARY KEY, value, note);
INSERT INTO o.tunables SELECT * FROM temp.tunables;
CREATE TABLE o.vpcflow_translator AS SELECT * FROM temp.vpcflow_translator;
CREATE TABLE o.vpcflow_eni AS SELECT * FROM temp.vpcflow_eni;
CREATE TABLE o.ioc AS SELECT * FROM temp.ioc;
CREATE TABLE o.zones AS SELECT * FROM temp.zones;
CREATE TABLE o.allowed AS SELECT * FROM temp.allowed;
SELECT 'saved ' || count(*) || ' rows of flows_n to $out' FROM o.flows_n;
SQL
} | sqlite3 -batch :memory: -cmd ".load $so"
