-- port_sweep (Athena) - one source tries one port on many hosts
-- (horizontal scan). Same question, gate, score, output columns and
-- evidence as sql/detections/port_sweep.sql (read its header for the why).
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
-- * The sliding addr_breadth(dst) OVER (... RANGE 1 PRECEDING over
--   start / window) becomes cardinality(array_distinct(array_agg(dst)
--   OVER (ORDER BY start RANGE BETWEEN 3600 PRECEDING AND CURRENT ROW))):
--   the same frame, exact, but each row holds the hour's addresses as an
--   array. The window length is written twice (tun.win and the RANGE
--   literal): change both.
-- * addr_breadth() in GROUP BY becomes count(DISTINCT dst).
WITH
tun AS (SELECT 100 AS min_hosts, 3600 AS win),
cand AS (SELECT src, protocol, dstport FROM att_port WHERE dstport IS NOT NULL GROUP BY src, protocol, dstport
          HAVING count(DISTINCT dst) >= (SELECT min_hosts FROM tun)),
ca AS (SELECT f.src, f.dst, f.dstport, f.protocol, f.start, f.action, f.answered, f.packets, f.bytes,
              f.src_private, f.dst_private
         FROM flows_t AS f
         JOIN cand ON cand.src = f.src AND cand.protocol = f.protocol AND cand.dstport = f.dstport
        WHERE f.resp = 0 AND f.dstport IS NOT NULL),
w AS (SELECT src, protocol, dstport,
             cardinality(array_distinct(array_agg(dst) OVER (PARTITION BY src, protocol, dstport ORDER BY start
               RANGE BETWEEN 3600 PRECEDING AND CURRENT ROW))) AS breadth
        FROM ca),
peak AS (SELECT src, protocol, dstport, max(breadth) AS peak FROM w GROUP BY src, protocol, dstport),
s AS (SELECT src, protocol, dstport, count(DISTINCT dst) AS hosts, count(*) AS attempts,
             sum(answered) AS answered,
             avg(CASE WHEN action = 'REJECT' OR answered = 0 THEN 1e0
                      WHEN NOT (action = 'REJECT' OR answered = 0) THEN 0e0 END) AS failed,
             avg(CASE WHEN packets <= 2 AND bytes IN (40 * packets, 44 * packets) THEN 1e0
                      WHEN NOT (packets <= 2 AND bytes IN (40 * packets, 44 * packets)) THEN 0e0 END) AS crafted,
             max(CASE WHEN src_private = 1 AND dst_private = 0 THEN 1 ELSE 0 END) AS outward,
             avg(dst_private * 1e0) AS internal,
             min(start) AS t0, max(start) AS t1
        FROM ca GROUP BY src, protocol, dstport),
x AS (SELECT s.*, peak.peak,
             greatest(0, least(100, 40 + 20 * log10(peak.peak * 1e0 / (SELECT min_hosts FROM tun))
                                  + 15 * s.outward + 10 * s.failed
                                  + 5 * (CASE WHEN s.crafted >= 0.8 THEN 1 ELSE 0 END))) AS score
        FROM s JOIN peak ON peak.src = s.src AND peak.protocol = s.protocol AND peak.dstport = s.dstport
       WHERE peak.peak >= (SELECT min_hosts FROM tun))
SELECT 'port_sweep' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, CAST(NULL AS varchar) AS dst, dstport AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%s/%d tried on %d %s hosts in %s (peak %d per %d s), %d answered, %d%% failed; %d%% of probes crafted 40/44-byte SYNs',
              coalesce(pn.name, ''), dstport, hosts,
              CASE WHEN internal = 1 THEN 'internal' WHEN internal = 0 THEN 'internet' ELSE 'internal+internet' END,
              CASE WHEN t1 - t0 < 120 THEN CAST(t1 - t0 AS varchar) || ' s'
                   WHEN t1 - t0 < 7200 THEN CAST((t1 - t0 + 30) / 60 AS varchar) || ' min'
                   ELSE format('%.1f h', (t1 - t0) / 3600e0) END,
              peak, (SELECT win FROM tun), answered, CAST(round(100 * failed) AS bigint),
              CAST(round(100 * crafted) AS bigint)) AS evidence
  FROM x LEFT JOIN vpcflow_protocol AS pn ON pn.protocol = x.protocol
 ORDER BY score DESC
