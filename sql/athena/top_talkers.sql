-- Athena guide example 1: top talkers by bytes on one day.
-- Runs unchanged in Athena and in sqlite3 against a vpcflow table named
-- vpc_flow_logs (its hidden dt column is the S3 date folder, 'YYYY/MM/DD'):
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.vpc_flow_logs USING vpcflow('AWSLogs/')" \
--     < sql/athena/top_talkers.sql
SELECT srcaddr, dstaddr, SUM(bytes) AS total_bytes, SUM(packets) AS total_packets
FROM vpc_flow_logs
WHERE dt = '2026/02/13' AND log_status = 'OK'
GROUP BY srcaddr, dstaddr
ORDER BY total_bytes DESC
LIMIT 10;
