-- exfiltration (Athena): >= 500 MB from a private host to one internet peer,
-- PCR >= 0.4, peer not an AWS service; see sql/detections/exfiltration.sql.
WITH f AS (
  SELECT COALESCE(pkt_srcaddr, srcaddr) AS src, COALESCE(pkt_dstaddr, dstaddr) AS dst,
         bytes, pkt_src_aws_service, pkt_dst_aws_service
  FROM vpc_flow_logs
  WHERE date = DATE '2026-02-13' AND log_status = 'OK'
    AND (flow_direction IS NULL OR flow_direction = 'egress')
), o AS (
  SELECT src AS host, dst AS peer, SUM(bytes) AS out_b FROM f
  WHERE regexp_like(src, '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)')
    AND NOT regexp_like(dst, '^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)')
    AND pkt_dst_aws_service IS NULL
  GROUP BY src, dst
), i AS (
  SELECT dst AS host, src AS peer, SUM(bytes) AS in_b FROM f GROUP BY dst, src
)
SELECT 'exfiltration' AS detection, o.host, o.peer, o.out_b, COALESCE(i.in_b, 0) AS in_b,
       (o.out_b - COALESCE(i.in_b, 0)) * 1e0 / (o.out_b + COALESCE(i.in_b, 0)) AS pcr
FROM o LEFT JOIN i ON i.host = o.host AND i.peer = o.peer
WHERE o.out_b >= 500000000
  AND (o.out_b - COALESCE(i.in_b, 0)) * 1e0 / (o.out_b + COALESCE(i.in_b, 0)) >= 0.4
ORDER BY o.out_b DESC;
