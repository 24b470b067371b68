#!/bin/sh
# alert_cases.sh - run by detect_alert.sql (.system): sql/alert.sql's exit
# status, one case per value, and the investigate scripts' first-error
# stop. Each case is a fresh sqlite3 process, since .exit ends the
# process. The findings and the vpcflow_day counts (sql/prepare.sql) are
# written by hand below, so no
# flow log and no extension is needed; the expected statuses follow from
# them and from the table in sql/alert.sql's header.
# Run from the repository root. Output: each case's stdout and stderr,
# then "exit status N".
set -u
# a directory of its own for the status file, to check it is removed
unset XDG_RUNTIME_DIR
TMPDIR=$(mktemp -d) || exit 1
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
setup="CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value, note);
CREATE TEMP TABLE vpcflow_day(records INTEGER, ok INTEGER);
CREATE TEMP TABLE findings(detection, score, severity, src, dst, port, first_seen, last_seen, evidence);
INSERT INTO findings VALUES
  ('port_scan', 100.0, 'critical', '10.0.1.15', '10.0.2.30', NULL, '2026-02-13T14:05:00Z', '2026-02-13T14:07:00Z', 'x'),
  ('dns_tunnel', 15.0, 'low', '10.0.10.22', '198.51.100.8', 53, '2026-02-13T00:01:00Z', '2026-02-13T23:56:59Z', 'y');"
# two traffic records and one NODATA
traffic="INSERT INTO vpcflow_day VALUES (3, 2);"

run(){ # name, SQL before alert.sql
  echo "-- $1"
  sqlite3 -batch :memory: -cmd "$2" < sql/alert.sql 2>&1
  echo "exit status $?"
}
run "2: the critical finding is at or above 'high'" "$setup $traffic"
run "0: nothing at or above 'critical' once it is gone" \
    "$setup $traffic DELETE FROM findings WHERE severity = 'critical';
     INSERT INTO tunables VALUES ('alert.min_severity', 'critical', NULL);"
run "2: the low finding at or above 'low'" \
    "$setup $traffic DELETE FROM findings WHERE severity = 'critical';
     INSERT INTO tunables VALUES ('alert.min_severity', 'low', NULL);"
run "3: no traffic records (only NODATA), findings or not" \
    "$setup INSERT INTO vpcflow_day VALUES (2, 0);"
run "3: no records at all" "$setup"
run "1: the hunt did not run (no findings table): one message" \
    "CREATE TEMP TABLE vpcflow_day(records INTEGER, ok INTEGER);"
# the exit status file is gone afterwards
echo "status files left: $(find "$TMPDIR" -type f | wc -l)"

for s in timeline peers hourly; do
  echo "-- investigate/$s.sql without flows: one message"
  sqlite3 -batch :memory: < sql/investigate/$s.sql 2>&1
  echo "exit status $?"
  echo "-- investigate/$s.sql without @ip: one message"
  sqlite3 -batch :memory: -cmd 'CREATE TEMP TABLE flows(x)' < sql/investigate/$s.sql 2>&1
  echo "exit status $?"
done
