-- beaconing (Athena) - regular check-ins from our hosts to an internet
-- address. Same question, gate, score, output columns and evidence as
-- sql/detections/beaconing.sql (read its header for the why).
--
-- HOW TO RUN  Create the views of prepare.sql first (its header: the DDL
-- from vpcflow_athena_ddl(), the days in vpcflow_days, which is where the
-- partition filter on dt lives). Then run this SELECT in an Athena engine
-- version 3 workgroup. Tunables: the literals of the tun CTE.
--
-- DIFFERENCES FROM THE LOCAL VERSION (what Trino forces)
-- * beacon_score()/beacon_period() (ext/func_beacon.c) are written out
--   with arrays and lambdas: the distinct start times sorted, their
--   intervals, RITA's quartiles (Q1/Q3 = medians of the lower/upper half,
--   the middle one left out), Bowley skew, MAD, the connection score, and
--   the same two shape scores over the byte counts. Same definition, so
--   the same values up to floating-point rounding order.
-- * printf() becomes format() (Java's formatter: %.1f rounds half-up on
--   the decimal value, C's printf on the binary one; a x.x5 case can
--   differ in the last digit), strftime() becomes date_format() in UTC.
WITH
tun AS (SELECT 10 AS min_conns, 0.7e0 AS min_score, 0.5e0 AS min_on, 3 AS fleet_hosts),
a AS (SELECT src, dst, dstport, protocol, start, bytes FROM flows_t
       WHERE resp = 0 AND conn_start = 1 AND src_private = 1 AND dst_private = 0
         AND protocol IN (6, 17) AND action = 'ACCEPT' AND dst_service IS NULL),
g0 AS (SELECT src, dst, dstport, protocol, count(*) AS n, avg(bytes) AS avg_b,
              min(start) AS t0, max(start) AS t1,
              array_sort(array_distinct(array_agg(start) FILTER (WHERE start IS NOT NULL))) AS tp,
              array_sort(array_distinct(array_agg(start) FILTER (WHERE start IS NOT NULL AND bytes IS NOT NULL))) AS ts,
              array_sort(array_agg(bytes) FILTER (WHERE start IS NOT NULL AND bytes IS NOT NULL)) AS bb
         FROM a GROUP BY src, dst, dstport, protocol
        HAVING count(*) >= (SELECT min_conns FROM tun)),
-- intervals between distinct starts: dp for the period and the schedule
-- share (all rows), dt for the score (rows with bytes), both sorted
g1 AS (SELECT g0.*,
              CASE WHEN cardinality(tp) >= 2
                   THEN array_sort(transform(sequence(2, cardinality(tp)), i -> tp[i] - tp[i - 1])) END AS dp,
              CASE WHEN cardinality(ts) >= 2
                   THEN array_sort(transform(sequence(2, cardinality(ts)), i -> ts[i] - ts[i - 1])) END AS di
         FROM g0),
g2 AS (SELECT g1.*, cardinality(dp) AS np, cardinality(di) AS nd, cardinality(bb) AS nb FROM g1),
-- medians: k odd -> a[k/2+1], k even -> (a[k/2] + a[k/2+1]) / 2
g3 AS (SELECT g2.*,
              CASE WHEN np % 2 = 1 THEN dp[np / 2 + 1] ELSE (dp[np / 2] + dp[np / 2 + 1]) / 2e0 END AS period,
              CASE WHEN nd % 2 = 1 THEN di[nd / 2 + 1] ELSE (di[nd / 2] + di[nd / 2 + 1]) / 2e0 END AS q2,
              CASE WHEN (nd / 2) % 2 = 1 THEN di[(nd / 2) / 2 + 1]
                   ELSE (di[(nd / 2) / 2] + di[(nd / 2) / 2 + 1]) / 2e0 END AS q1,
              CASE WHEN (nd / 2) % 2 = 1 THEN di[nd - nd / 2 + (nd / 2) / 2 + 1]
                   ELSE (di[nd - nd / 2 + (nd / 2) / 2] + di[nd - nd / 2 + (nd / 2) / 2 + 1]) / 2e0 END AS q3,
              CASE WHEN nb % 2 = 1 THEN bb[nb / 2 + 1] ELSE (bb[nb / 2] + bb[nb / 2 + 1]) / 2e0 END AS b2,
              CASE WHEN (nb / 2) % 2 = 1 THEN bb[(nb / 2) / 2 + 1]
                   ELSE (bb[(nb / 2) / 2] + bb[(nb / 2) / 2 + 1]) / 2e0 END AS b1,
              CASE WHEN (nb / 2) % 2 = 1 THEN bb[nb - nb / 2 + (nb / 2) / 2 + 1]
                   ELSE (bb[nb - nb / 2 + (nb / 2) / 2] + bb[nb - nb / 2 + (nb / 2) / 2 + 1]) / 2e0 END AS b3
         FROM g2 WHERE nd >= 3 AND nb >= 3),
g4 AS (SELECT g3.*,
              array_sort(transform(di, x -> abs(x - q2))) AS dev_d,
              array_sort(transform(bb, x -> abs(x - b2))) AS dev_b
         FROM g3),
g5 AS (SELECT g4.*,
              CASE WHEN nd % 2 = 1 THEN dev_d[nd / 2 + 1] ELSE (dev_d[nd / 2] + dev_d[nd / 2 + 1]) / 2e0 END AS mad_d,
              CASE WHEN nb % 2 = 1 THEN dev_b[nb / 2 + 1] ELSE (dev_b[nb / 2] + dev_b[nb / 2 + 1]) / 2e0 END AS mad_b
         FROM g4),
g AS (SELECT g5.*,
             -- beacon_score(start, bytes): mean of 5 scores (RITA)
             ((1 - abs(CASE WHEN q3 - q1 >= 10 AND q2 <> q1 AND q2 <> q3 THEN (q1 + q3 - 2 * q2) / (q3 - q1) ELSE 0e0 END))
              + greatest(0e0, CASE WHEN q2 >= 1 THEN (q2 - mad_d) / q2 ELSE 1e0 END)
              + least(1e0, nd * q2 / (ts[cardinality(ts)] - ts[1]))
              + (1 - abs(CASE WHEN b3 - b1 >= 10 AND b2 <> b1 AND b2 <> b3 THEN (b1 + b3 - 2 * b2) / (b3 - b1) ELSE 0e0 END))
              + greatest(0e0, CASE WHEN b2 >= 1 THEN (b2 - mad_b) / b2 ELSE 0e0 END)) / 5 AS bs
        FROM g5),
o AS (SELECT g.*,
             cardinality(filter(dp, d -> abs(d - period) <= 0.2e0 * period)) * 1e0 / np AS on_sched
        FROM g WHERE period > 10 AND bs >= (SELECT min_score FROM tun)),
b AS (SELECT o.*, regexp_replace(dst, '[0-9a-f]*$', '') AS net FROM o
       WHERE on_sched >= (SELECT min_on FROM tun)),
fl AS (SELECT net, dstport, count(DISTINCT src) AS fleet FROM b GROUP BY net, dstport),
x AS (SELECT b.*, fl.fleet,
             greatest(0, least(100, 30 + 150 * (bs - 0.7) + 5 * log10(n)
                                  + 10 * least(1, (t1 - t0) / 21600e0))) AS base
        FROM b JOIN fl ON fl.net = b.net AND fl.dstport = b.dstport),
-- a fleet, or a schedule too short or too loose for a beacon: below medium
y AS (SELECT x.*, CASE WHEN fleet >= (SELECT fleet_hosts FROM tun) THEN least(39, greatest(0, base - 25))
                       WHEN n < 20 OR on_sched < 0.6 THEN least(39, base)
                       ELSE base END AS score
        FROM x)
SELECT 'beaconing' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, dstport AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%d %s connections from %s to %s:%d every %.0f s (median; %.0f%% within 20%%) over %.1f h, ~%.0f B each, beacon score %.2f',
              n, coalesce(pn.name, ''), src, dst, dstport, period, 100 * on_sched, (t1 - t0) / 3600e0,
              avg_b, bs)
       || CASE WHEN fleet >= (SELECT fleet_hosts FROM tun)
               THEN format('; %d of our hosts beacon to %s*:%d: an agent fleet?', fleet, net, dstport)
               ELSE '' END AS evidence
  FROM y LEFT JOIN vpcflow_protocol AS pn ON pn.protocol = y.protocol
 ORDER BY score DESC
