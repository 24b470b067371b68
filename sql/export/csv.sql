-- export/csv.sql - the hunt's findings as CSV (RFC 4180: a header line,
-- then one line per finding, highest score first, CRLF line ends).
--
-- Usage (from the repository root; or vpcflow-hunt -f csv DIR):
--   sqlite3 :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     < sql/export/csv.sql > findings.csv
--
-- Columns: rank, score, severity, detection, attack (ATT&CK technique),
-- src, dst, port, protocol, first_seen, last_seen (ISO-8601 UTC),
-- interface_id (comma-separated when two ENIs logged the first record),
-- account_id, vpc_id (empty where the logs lack them), evidence,
-- first_record (log_file:log_line), investigate (a shell command).
-- What was examined is not in the CSV (sql/export/json.sql has both).
.read sql/export/common.sql
.mode csv
.headers on
SELECT rank, score, severity, detection, attack, src, dst, port, protocol, first_seen, last_seen,
       interface_id, account_id, vpc_id, evidence, first_record, investigate
  FROM vpcflow_export ORDER BY rank;
