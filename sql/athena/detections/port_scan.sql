-- port_scan (Athena) - one source tries many ports of one host in a few
-- minutes (vertical scan). Same question, gate, score, output columns
-- and evidence as sql/detections/port_scan.sql (read its header for the
-- why).
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
-- * The sliding port_breadth(dstport) OVER (... RANGE 1 PRECEDING over
--   start / window) becomes cardinality(array_distinct(array_agg(dstport)
--   OVER (ORDER BY start RANGE BETWEEN 300 PRECEDING AND CURRENT ROW))):
--   the same frame (the 300 s before each record), exact; Trino has no
--   DISTINCT in window aggregates. The window length is written twice
--   (tun.win and the RANGE literal): change both.
-- * port_breadth() in GROUP BY becomes count(DISTINCT dstport).
WITH
tun AS (SELECT 25 AS min_ports, 300 AS win),
cand AS (SELECT src, dst FROM att_port WHERE protocol IN (6, 17) AND dstport IS NOT NULL
          GROUP BY src, dst HAVING count(DISTINCT dstport) >= (SELECT min_ports FROM tun)),
ca AS (SELECT f.src, f.dst, f.srcport, f.dstport, f.protocol, f.start, f.action, f.answered,
              f.packets, f.bytes, f.src_private
         FROM flows_t AS f JOIN cand ON cand.src = f.src AND cand.dst = f.dst
        WHERE f.resp = 0 AND f.protocol IN (6, 17) AND f.dstport IS NOT NULL),
w AS (SELECT src, dst, start,
             cardinality(array_distinct(array_agg(dstport) OVER (PARTITION BY src, dst ORDER BY start
               RANGE BETWEEN 300 PRECEDING AND CURRENT ROW))) AS breadth
        FROM ca),
pk AS (SELECT src, dst, max(breadth) AS peak FROM w GROUP BY src, dst),
peak AS (SELECT pk.src, pk.dst, pk.peak, min(w.start) AS tp
           FROM pk JOIN w ON w.src = pk.src AND w.dst = pk.dst AND w.breadth = pk.peak
          GROUP BY pk.src, pk.dst, pk.peak),
peak_span AS (SELECT peak.src, peak.dst, peak.peak, peak.tp - min(ca.start) AS pspan
                FROM peak JOIN ca ON ca.src = peak.src AND ca.dst = peak.dst
                 AND ca.start >= peak.tp - (SELECT win FROM tun)
               GROUP BY peak.src, peak.dst, peak.peak, peak.tp),
s AS (SELECT src, dst, count(DISTINCT dstport) AS ports, count(*) AS attempts,
             avg(CASE WHEN action = 'REJECT' THEN 1e0 WHEN action IS NOT NULL THEN 0e0 END) AS rejected,
             avg(CASE WHEN action = 'REJECT' OR answered = 0 THEN 1e0
                      WHEN NOT (action = 'REJECT' OR answered = 0) THEN 0e0 END) AS failed,
             avg(CASE WHEN packets <= 2 AND bytes IN (40 * packets, 44 * packets) THEN 1e0
                      WHEN NOT (packets <= 2 AND bytes IN (40 * packets, 44 * packets)) THEN 0e0 END) AS crafted,
             max(src_private) AS insider, min(start) AS t0, max(start) AS t1
        FROM ca GROUP BY src, dst),
rev AS (SELECT f.src, f.dst, f.srcport, f.dstport, f.protocol, f.start FROM flows_t AS f
         WHERE (f.tcp_flags IS NULL OR bitwise_and(f.tcp_flags, 18) = 18)
           AND EXISTS (SELECT 1 FROM cand WHERE cand.dst = f.src AND cand.src = f.dst)),
op AS (SELECT DISTINCT ca.src, ca.dst, ca.dstport FROM ca
        WHERE ca.action = 'ACCEPT' AND ca.answered = 1
          AND EXISTS (SELECT 1 FROM rev AS r
                       WHERE r.src = ca.dst AND r.dst = ca.src
                         AND r.srcport = ca.dstport AND r.dstport = ca.srcport
                         AND r.protocol = ca.protocol
                         AND r.start BETWEEN ca.start - 120 AND ca.start + 120)),
opn AS (SELECT src, dst, count(*) AS n,
               array_join(slice(array_sort(array_agg(dstport)), 1, 10), ', ') AS list
          FROM op GROUP BY src, dst),
x AS (SELECT s.*, peak.peak, peak.pspan,
             greatest(0, least(100, 40 + 20 * log10(peak.peak * 1e0 / (SELECT min_ports FROM tun))
                                  + 15 * s.insider + 10 * s.failed
                                  + 5 * (CASE WHEN s.crafted >= 0.8 THEN 1 ELSE 0 END))) AS score,
             coalesce(opn.list || CASE WHEN opn.n > 10 THEN ' (+' || CAST(opn.n - 10 AS varchar) || ')' ELSE '' END,
                      'none') AS open
        FROM s JOIN peak_span AS peak ON peak.src = s.src AND peak.dst = s.dst
        LEFT JOIN opn ON opn.src = s.src AND opn.dst = s.dst
       WHERE peak.peak >= (SELECT min_ports FROM tun))
SELECT 'port_scan' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, CAST(NULL AS integer) AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%d ports on %s in %s%s, %d%% rejected, %d%% failed, open: %s; %d%% of probes %s',
              peak, dst,
              CASE WHEN pspan < 120 THEN CAST(pspan AS varchar) || ' s'
                   ELSE CAST((pspan + 30) / 60 AS varchar) || ' min' END,
              CASE WHEN ports > peak THEN format(' (%d over %s)', ports,
                     CASE WHEN t1 - t0 < 7200 THEN CAST((t1 - t0 + 30) / 60 AS varchar) || ' min'
                          ELSE format('%.1f h', (t1 - t0) / 3600e0) END) ELSE '' END,
              CAST(round(100 * rejected) AS bigint),
              CAST(round(100 * failed) AS bigint), open, CAST(round(100 * crafted) AS bigint),
              '40/44 B per packet (SYN without TCP options: crafted)') AS evidence
  FROM x
 ORDER BY score DESC
