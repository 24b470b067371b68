#!/bin/sh
# scale.sh - make a K times bigger flows_n database from one made by mkdb.sh,
# without normalising again: copy k (0..K-1) renames the private network
# 10.0.0.0/16 to 10.k.0.0/16 and suffixes interface ids with -k, so each copy
# is another VPC whose normalised columns (resp, answered, conn_start, skip)
# stay right, talking to the same internet peers. For timing at 10 M records
# (prepare.sql itself takes too long to normalise that much today).
# With -o (random-address data, whose private addresses are all over
# 10.0.0.0/8): copy k adds k to the last octet of every IPv4 address
# instead (mod 256; private stays private, the pairs of a copy stay
# consistent), so the copies stay mostly distinct addresses.
# Usage: tests/hunt/scale.sh [-o] IN.db K OUT.db
set -eu
octet=0; [ "$1" = -o ] && { octet=1; shift; }
in=$1 k=$2 out=$3
rm -f "$out"
if [ $octet = 1 ]; then
  ren="'CASE WHEN ' || name || ' LIKE ''%.%.%.%'' AND instr(' || name || ', '':'') = 0 THEN rtrim(' || name || ', ''0123456789'') || ((CAST(replace(' || name || ', rtrim(' || name || ', ''0123456789''), '''') AS INTEGER) + k) % 256) ELSE ' || name || ' END'"
else
  ren="'CASE WHEN ' || name || ' LIKE ''10.0.%'' THEN ''10.'' || k || substr(' || name || ', 5) ELSE ' || name || ' END'"
fi
cols=$(sqlite3 "$in" "SELECT group_concat(CASE WHEN name IN ('src','dst','srcaddr','dstaddr')
  THEN $ren
  WHEN name = 'interface_id' THEN 'interface_id || ''-'' || k' ELSE '\"' || name || '\"' END, ', ')
  FROM pragma_table_info('flows_n')")
sqlite3 "$out" <<SQL
PRAGMA journal_mode = OFF;
ATTACH '$in' AS i;
CREATE TABLE flows_n AS SELECT * FROM i.flows_n WHERE 0;
WITH RECURSIVE c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k + 1 < $k)
INSERT INTO flows_n SELECT $cols FROM c CROSS JOIN i.flows_n;
CREATE INDEX flows_n_tuple ON flows_n(src);
CREATE INDEX flows_n_raw ON flows_n(srcaddr);
CREATE INDEX flows_n_src ON flows_n(dst);
CREATE TABLE vpcflow_state(k TEXT PRIMARY KEY, v);
INSERT INTO vpcflow_state SELECT * FROM i.vpcflow_state;
CREATE TABLE tunables(name TEXT PRIMARY KEY, value, note);
INSERT INTO tunables SELECT * FROM i.tunables;
CREATE TABLE vpcflow_translator AS SELECT * FROM i.vpcflow_translator;
CREATE TABLE vpcflow_eni AS SELECT * FROM i.vpcflow_eni;
CREATE TABLE ioc AS SELECT * FROM i.ioc;
CREATE TABLE zones AS SELECT * FROM i.zones;
CREATE TABLE allowed AS SELECT * FROM i.allowed;
SELECT 'saved ' || count(*) || ' rows of flows_n to $out' FROM flows_n;
SQL
