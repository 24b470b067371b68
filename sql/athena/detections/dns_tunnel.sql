-- dns_tunnel (Athena) - DNS to external resolvers: volume and rate per
-- minute. Same question, gate, score, output columns and evidence as
-- sql/detections/dns_tunnel.sql (read its header for the why).
--
-- HOW TO RUN  Create the views of prepare.sql first (its header: the DDL
-- from vpcflow_athena_ddl(), the days in vpcflow_days, which is where the
-- partition filter on dt lives). Then run this SELECT in an Athena engine
-- version 3 workgroup. Tunables: the literals of the tun CTE.
--
-- DIFFERENCES FROM THE LOCAL VERSION (what Trino forces)
-- * printf() becomes format() (Java's formatter: %.1f rounds half-up on
--   the decimal value, C's printf on the binary one; a x.x5 case can
--   differ in the last digit), strftime() becomes date_format() in UTC.
-- * pcr(out, in) is written out: (out - in) / (out + in), NULL when both are 0.
WITH
tun AS (SELECT 300000 AS bpm, 1000 AS qpm),
q AS (SELECT src, dst, start / 60 AS m, sum(bytes) AS b, sum(packets) AS pk
        FROM flows_t WHERE resp = 0 AND dstport = 53 AND protocol IN (6, 17)
         AND src_private = 1 AND dst_private = 0
       GROUP BY src, dst, start / 60),
s AS (SELECT src, dst, sum(b) AS out_b, sum(pk) AS queries, max(b) AS peak_b, max(pk) AS peak_q,
             min(m) * 60 AS t0, max(m) * 60 + 59 AS t1,
             count_if(b > (SELECT bpm FROM tun) OR pk > (SELECT qpm FROM tun)) AS hot_minutes
        FROM q GROUP BY src, dst),
-- the replies (from port 53) of the resolvers back to our hosts, summed once
back AS (SELECT f.src, f.dst, sum(f.bytes) AS b FROM flows_t AS f
          WHERE f.srcport = 53 AND EXISTS (SELECT 1 FROM s WHERE s.dst = f.src AND s.src = f.dst)
          GROUP BY f.src, f.dst),
x AS (SELECT s.*, coalesce(back.b, 0) AS in_b
        FROM s LEFT JOIN back ON back.src = s.dst AND back.dst = s.src),
y AS (SELECT x.*,
             CASE WHEN out_b + in_b = 0 THEN NULL ELSE (out_b - in_b) * 1e0 / (out_b + in_b) END AS ratio
        FROM x),
z AS (SELECT y.*,
             CASE WHEN hot_minutes > 0
                  THEN greatest(0, least(100, 50 + 20 * log10(greatest(peak_b * 1e0 / (SELECT bpm FROM tun),
                                                                        peak_q * 1e0 / (SELECT qpm FROM tun)))
                                              + 10 * coalesce(ratio, 0)))
                  ELSE 15 END AS score
        FROM y)
SELECT 'dns_tunnel' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, 53 AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       CASE WHEN hot_minutes > 0
            THEN format('%s sent %.1f MB of DNS to %s, up to %.0f KB and %d queries per minute (%d minutes over the gate), PCR %.2f',
                        src, out_b / 1e6, dst, peak_b / 1e3, peak_q, hot_minutes, coalesce(ratio, 0e0))
            ELSE format('%s uses the external resolver %s directly (%d queries, %.1f KB): allowed?',
                        src, dst, queries, out_b / 1e3) END AS evidence
  FROM z
 ORDER BY score DESC
