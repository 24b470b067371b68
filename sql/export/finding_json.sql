-- export/finding_json.sql - one JSON object per finding, shared by
-- json.sql and jsonl.sql (read after common.sql).
DROP VIEW IF EXISTS temp.vpcflow_export_json;
CREATE TEMP VIEW vpcflow_export_json AS
SELECT rank, json_object(
         'rank', rank, 'score', score, 'severity', severity, 'detection', detection,
         'attack', attack, 'src', src, 'dst', dst, 'port', port, 'protocol', protocol,
         'first_seen', first_seen, 'last_seen', last_seen,
         'interface_ids', CASE WHEN interface_id IS NULL THEN json_array()
                               ELSE json('["' || replace(interface_id, ',', '","') || '"]') END,
         'account_id', account_id, 'vpc_id', vpc_id, 'evidence', evidence,
         'first_record', first_record, 'investigate', investigate) AS j
  FROM vpcflow_export;
