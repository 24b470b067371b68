-- icmp_tunnel_tor (Athena) - large ICMP packets to the internet (a
-- tunnel) and connections to Tor relay ports. Same question, gates,
-- score, output columns and evidence as sql/detections/icmp_tunnel_tor.sql
-- (read its header for the why).
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
-- * The Tor port list is an ARRAY (contains()).
WITH
tun AS (SELECT 256 AS ib, ARRAY[9001, 9030] AS tor),
ic AS (SELECT src, dst, sum(bytes) AS b, sum(packets) AS pk, min(start) AS t0, max("end") AS t1
         FROM flows_t WHERE protocol IN (1, 58) AND src_private = 1 AND dst_private = 0
        GROUP BY src, dst HAVING sum(bytes) * 1e0 / sum(packets) >= (SELECT ib FROM tun)),
tor0 AS (SELECT src, dst, dstport, sum(bytes) AS b, count(*) AS recs, min(start) AS t0, max("end") AS t1
           FROM flows_t
          WHERE resp = 0 AND protocol = 6 AND src_private = 1 AND dst_private = 0 AND action = 'ACCEPT'
            AND contains((SELECT tor FROM tun), dstport)
          GROUP BY src, dst, dstport),
torb AS (SELECT f.src, f.dst, f.srcport, sum(f.bytes) AS b FROM flows_t AS f
          WHERE EXISTS (SELECT 1 FROM tor0 WHERE tor0.dst = f.src AND tor0.src = f.dst AND tor0.dstport = f.srcport)
          GROUP BY f.src, f.dst, f.srcport),
tor AS (SELECT tor0.*, torb.b AS back FROM tor0
          LEFT JOIN torb ON torb.src = tor0.dst AND torb.dst = tor0.src AND torb.srcport = tor0.dstport),
x AS (SELECT src, dst, CAST(NULL AS integer) AS port, t0, t1,
             greatest(0, least(100, 40 + 15 * (CASE WHEN b * 1e0 / pk >= 1000 THEN 1 ELSE 0 END)
                                  + 10 * log10(greatest(b / 1e6, 0.1)))) AS score,
             format('%d ICMP packets from %s to %s averaging %.0f B (normal pings are 64-84 B), %.1f MB in %s',
                    pk, src, dst, b * 1e0 / pk, b / 1e6,
                    CASE WHEN t1 - t0 < 7200 THEN CAST((t1 - t0 + 30) / 60 AS varchar) || ' min'
                         ELSE format('%.1f h', (t1 - t0) / 3600e0) END) AS evidence
        FROM ic
      UNION ALL
      SELECT src, dst, dstport, t0, t1,
             greatest(0, least(100, 50 + 10 * log10(greatest((b + coalesce(back, 0)) / 1e6, 0.1)))),
             format('%s connected to %s:%d (Tor relay port) for %s, %.1f MB out, %.1f MB in',
                    src, dst, dstport,
                    CASE WHEN t1 - t0 < 7200 THEN CAST((t1 - t0 + 30) / 60 AS varchar) || ' min'
                         ELSE format('%.1f h', (t1 - t0) / 3600e0) END,
                    b / 1e6, coalesce(back, 0) / 1e6)
        FROM tor)
SELECT 'icmp_tunnel_tor' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       evidence
  FROM x
 ORDER BY score DESC
