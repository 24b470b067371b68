-- port_scan (Athena): one source, one destination, >= 25 ports in 5 minutes
-- (Sumo Logic [SU]); see sql/detections/port_scan.sql for the full notes.
WITH f AS (
  SELECT COALESCE(pkt_srcaddr, srcaddr) AS src, COALESCE(pkt_dstaddr, dstaddr) AS dst,
         dstport, action, packets, bytes, start
  FROM vpc_flow_logs
  WHERE date BETWEEN DATE '2026-02-13' AND DATE '2026-02-13'
    AND log_status = 'OK' AND protocol IN (6, 17)
    AND NOT (srcport < 1024 AND dstport >= 1024)             -- replies
    AND (tcp_flags IS NULL OR bitwise_and(tcp_flags, 18) <> 18)
), b AS (
  SELECT src, dst, start / 300 AS bucket, COUNT(DISTINCT dstport) AS ports,
         AVG(IF(action = 'REJECT', 1e0, 0e0)) AS rejected,
         AVG(IF(packets <= 2 AND bytes IN (40 * packets, 44 * packets), 1e0, 0e0)) AS crafted,
         MIN(start) AS t0, MAX(start) AS t1
  FROM f GROUP BY src, dst, start / 300
)
SELECT 'port_scan' AS detection, src, dst, ports, rejected, crafted,
       from_unixtime(t0) AS first_seen, from_unixtime(t1) AS last_seen
FROM b WHERE ports >= 25
ORDER BY ports DESC;
