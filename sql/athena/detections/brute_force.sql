-- brute_force (Athena): >= 25 login-sized connections in 5 minutes to one
-- host's SSH/RDP/WinRM port (Sentinel, SSHCure [SC]); see sql/detections/brute_force.sql.
WITH f AS (
  SELECT COALESCE(pkt_srcaddr, srcaddr) AS src, COALESCE(pkt_dstaddr, dstaddr) AS dst,
         dstport, srcport, packets, bytes, start
  FROM vpc_flow_logs
  WHERE date = DATE '2026-02-13' AND log_status = 'OK' AND protocol = 6
    AND dstport IN (22, 3389, 5985, 5986)
    AND (flow_direction IS NULL OR flow_direction = 'ingress')
)
SELECT 'brute_force' AS detection, src, dst, dstport, start / 300 AS bucket,
       COUNT(DISTINCT srcport) AS attempts,
       AVG(IF(IF(dstport = 22, packets BETWEEN 11 AND 51, bytes < 20000), 1e0, 0e0)) AS login_share
FROM f
GROUP BY src, dst, dstport, start / 300
HAVING COUNT(DISTINCT srcport) >= 25
   AND AVG(IF(IF(dstport = 22, packets BETWEEN 11 AND 51, bytes < 20000), 1e0, 0e0)) >= 0.5
ORDER BY attempts DESC;
