#!/bin/sh
# session.sh - an sqlite3 session over a database made by mkdb.sh, set up as
# time.sh sets up each detection (flows_n in memory, flows_n's indexes
# dropped, the stub prepare.sql), reading SQL from stdin. Relative paths
# sql/... resolve to this checkout's sql/detections and sql/summaries.sql,
# ref/... to tests/hunt/reference/detections.
# Usage (from the repository root): tests/hunt/session.sh ./vpcflow.so DB < SQL
set -eu
so=$(readlink -f "$1") db=$(readlink -f "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/sql"
ln -s "$root/sql/detections" "$scratch/sql/detections"
ln -s "$root/sql/summaries.sql" "$scratch/sql/summaries.sql"
ln -s "$root/tests/hunt/reference/detections" "$scratch/ref"
cat > "$scratch/sql/prepare.sql" <<'SQL'
CREATE TEMP VIEW IF NOT EXISTS traffic AS
  SELECT * FROM main.flows_n WHERE log_status = 'OK' AND skip = 0;
-- the day the detections read (ext/day.c), made from the saved rows: the
-- normalised addresses and directions given as pkt-* and flow-direction,
-- so vpcflow_prepare() finds the flags the saved rows hold
CREATE TEMP VIEW IF NOT EXISTS flows_saved AS
  SELECT log_file, interface_id, srcaddr, dstaddr, src AS pkt_srcaddr, dst AS pkt_dstaddr,
         srcport, dstport, protocol, packets, bytes, start, "end", action, log_status,
         tcp_flags, dir AS flow_direction, src_service AS pkt_src_aws_service,
         dst_service AS pkt_dst_aws_service
    FROM main.flows_n;
CREATE TEMP TABLE IF NOT EXISTS vpcflow_day AS
  SELECT * FROM vpcflow_prepare('flows_saved', (SELECT value FROM tunables WHERE name = 'nat_min_matches'));
CREATE TEMP VIEW IF NOT EXISTS vpcflow_span AS
  SELECT (SELECT v FROM vpcflow_state WHERE k = 't0') AS t0,
         (SELECT v FROM vpcflow_state WHERE k = 't1') AS t1,
         (SELECT v FROM vpcflow_state WHERE k = 'cut') AS cut;
SQL
cd "$scratch"
{ echo ".restore '$db'"
  echo "DROP INDEX IF EXISTS flows_n_tuple; DROP INDEX IF EXISTS flows_n_raw; DROP INDEX IF EXISTS flows_n_src;"
  echo ".read sql/prepare.sql"
  cat; } | sqlite3 -batch :memory: -cmd ".load $so"
