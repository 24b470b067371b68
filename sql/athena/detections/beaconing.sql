-- beaconing (Athena): regular connection starts to one internet peer. The
-- score here is 1 - coefficient of variation of the intervals (a stand-in
-- for beacon_score()); see sql/detections/beaconing.sql.
WITH s AS (
  SELECT COALESCE(pkt_srcaddr, srcaddr) AS src, COALESCE(pkt_dstaddr, dstaddr) AS dst,
         dstport, start
  FROM vpc_flow_logs
  WHERE date = DATE '2026-02-13' AND log_status = 'OK' AND action = 'ACCEPT'
    AND protocol IN (6, 17) AND pkt_dst_aws_service IS NULL
    AND (tcp_flags IS NULL OR bitwise_and(tcp_flags, 18) = 2)
    AND regexp_like(COALESCE(pkt_srcaddr, srcaddr), '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)')
    AND NOT regexp_like(COALESCE(pkt_dstaddr, dstaddr), '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)')
), d AS (
  SELECT src, dst, dstport, start - LAG(start) OVER (PARTITION BY src, dst, dstport ORDER BY start) AS gap
  FROM (SELECT DISTINCT src, dst, dstport, start FROM s)
)
SELECT 'beaconing' AS detection, src, dst, dstport, COUNT(gap) + 1 AS conns,
       approx_percentile(gap, 0.5) AS period, 1 - stddev(gap) / avg(gap) AS regularity
FROM d WHERE gap IS NOT NULL
GROUP BY src, dst, dstport
HAVING COUNT(gap) >= 9 AND approx_percentile(gap, 0.5) > 10 AND 1 - stddev(gap) / avg(gap) >= 0.7
ORDER BY regularity DESC;
