-- lateral_movement (Athena): >= 5 internal hosts reached over admin-port
-- edges never seen in the baseline (the days before); see
-- sql/detections/lateral_movement.sql.
WITH e AS (
  SELECT COALESCE(pkt_srcaddr, srcaddr) AS src, COALESCE(pkt_dstaddr, dstaddr) AS dst,
         dstport, MIN(start) AS first, AVG(IF(action = 'REJECT', 1e0, 0e0)) AS rejected
  FROM vpc_flow_logs
  WHERE date BETWEEN DATE '2026-01-14' AND DATE '2026-02-13' AND log_status = 'OK'
    AND dstport IN (21, 22, 23, 135, 139, 445, 3389, 5900, 5985, 5986)
    AND regexp_like(COALESCE(pkt_srcaddr, srcaddr), '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)')
    AND regexp_like(COALESCE(pkt_dstaddr, dstaddr), '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)')
  GROUP BY 1, 2, 3
)
SELECT 'lateral_movement' AS detection, src, COUNT(*) AS new_edges, COUNT(DISTINCT dst) AS hosts,
       AVG(rejected) AS rejected, from_unixtime(MIN(first)) AS first_seen
FROM e
WHERE first >= to_unixtime(TIMESTAMP '2026-02-13 00:00:00')
GROUP BY src
HAVING COUNT(DISTINCT dst) >= 5
ORDER BY hosts DESC;
