-- port_sweep (Athena): one source, one port, >= 100 destinations in an hour
-- (Elastic [EL2], Splunk [SP2]); see sql/detections/port_sweep.sql.
WITH f AS (
  SELECT COALESCE(pkt_srcaddr, srcaddr) AS src, COALESCE(pkt_dstaddr, dstaddr) AS dst,
         protocol, dstport, action, start
  FROM vpc_flow_logs
  WHERE date = DATE '2026-02-13' AND log_status = 'OK'
    AND NOT (srcport < 1024 AND dstport >= 1024)
    AND (tcp_flags IS NULL OR bitwise_and(tcp_flags, 18) <> 18)
)
SELECT 'port_sweep' AS detection, src, protocol, dstport, start / 3600 AS hour,
       COUNT(DISTINCT dst) AS hosts, AVG(IF(action = 'REJECT', 1e0, 0e0)) AS rejected
FROM f
GROUP BY src, protocol, dstport, start / 3600
HAVING COUNT(DISTINCT dst) >= 100
ORDER BY hosts DESC;
