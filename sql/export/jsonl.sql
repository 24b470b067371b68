-- export/jsonl.sql - the hunt's findings as JSON Lines: one JSON object
-- per line, one line per finding, highest score first.
--
-- Usage (from the repository root; or vpcflow-hunt -f jsonl DIR):
--   sqlite3 :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     < sql/export/jsonl.sql > findings.jsonl
--
-- Keys: as sql/export/json.sql's "findings" (absent values are null).
.read sql/export/common.sql
.read sql/export/finding_json.sql
.mode list
.headers off
SELECT j FROM vpcflow_export_json ORDER BY rank;
