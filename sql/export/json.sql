-- export/json.sql - what the hunt examined and its findings as one JSON
-- document (an object), for scripts and tickets.
--
-- Usage (from the repository root; or vpcflow-hunt -f json DIR):
--   sqlite3 :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     < sql/export/json.sql > hunt.json
--
-- The document:
--   {"examined": {"time range (UTC)": "...", "files": "24", ...},
--    "count": {"findings": 120, "exported": 120, "min_severity": "low"},
--    "findings": [{"rank": 1, "score": 100.0, "severity": "critical",
--                  "detection": "port_scan", "attack": "T1046",
--                  "src": "10.0.1.15", "dst": "10.0.2.30", "port": null,
--                  "protocol": "TCP", "first_seen": "2026-02-13T14:05:00Z",
--                  "last_seen": "...", "interface_ids": ["eni-..."],
--                  "account_id": "123456789012", "vpc_id": "vpc-...",
--                  "evidence": "...", "first_record": "file.log.gz:257",
--                  "investigate": "sqlite3 ... < sql/investigate/timeline.sql"},
--                 ...]}
-- "examined" has the rows of the hunt's first table (item: value).
.read sql/export/common.sql
.read sql/export/finding_json.sql
.mode list
.headers off
SELECT json_object(
  'examined', (SELECT json_group_object(examined, value) FROM (SELECT examined, value FROM hunt_summary ORDER BY rowid)),
  'count', json_object('findings', (SELECT count(*) FROM findings),
                       'exported', (SELECT count(*) FROM vpcflow_export),
                       'min_severity', (SELECT v FROM vpcflow_state WHERE k = 'export_min_severity')),
  'findings', (SELECT json_group_array(json(j)) FROM (SELECT j FROM vpcflow_export_json ORDER BY rank)));
