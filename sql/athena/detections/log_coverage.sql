-- log_coverage (Athena): SKIPDATA and NODATA per interface and hour (the
-- CloudWatch Logs Insights sample [CW1]); see sql/detections/log_coverage.sql.
SELECT interface_id, from_unixtime(start / 3600 * 3600) AS hour,
       SUM(IF(log_status = 'SKIPDATA', 1, 0)) AS skipdata,
       SUM(IF(log_status = 'NODATA', 1, 0)) AS nodata,
       SUM(IF(log_status = 'OK', 1, 0)) AS ok
FROM vpc_flow_logs
WHERE date = DATE '2026-02-13'
GROUP BY interface_id, start / 3600
HAVING SUM(IF(log_status = 'SKIPDATA', 1, 0)) > 0
ORDER BY skipdata DESC;
