-- lateral_movement (Athena) - one internal host opening admin ports on
-- many internal hosts it never used before. Same question, gate, score,
-- output columns and evidence as sql/detections/lateral_movement.sql
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
-- * The sliding addr_breadth(dst) OVER (... RANGE 3600 PRECEDING) becomes
--   cardinality(array_distinct(array_agg(dst) OVER (same frame))): Trino
--   has no DISTINCT in window aggregates. Exact, but the window holds the
--   addresses of the hour as an array per row (memory grows with a burst).
-- * The port list is array_join of the sorted distinct ports (as locally).
WITH
tun AS (SELECT 5 AS min_new, ARRAY[21, 22, 23, 135, 139, 445, 3389, 5900, 5985, 5986] AS ports,
               (SELECT cut FROM vpcflow_span) AS cut),
edge AS (SELECT src, dst, dstport, min(t0) AS first, sum(n) AS n,
                sum(failed) * 1e0 / sum(n_failed) AS failed
           FROM att_port
          WHERE src_private = 1 AND dst_private = 1 AND src <> dst
            AND contains((SELECT ports FROM tun), dstport)
          GROUP BY src, dst, dstport),
new AS (SELECT * FROM edge WHERE first >= (SELECT cut FROM tun)),
w AS (SELECT src, first,
             cardinality(array_distinct(array_agg(dst) OVER (PARTITION BY src ORDER BY first
               RANGE BETWEEN 3600 PRECEDING AND CURRENT ROW))) AS breadth
        FROM new),
wp AS (SELECT src, max(breadth) AS peak FROM w GROUP BY src),
s AS (SELECT src, count(*) AS edges, count(DISTINCT dst) AS hosts, count(DISTINCT dstport) AS ports,
             avg(failed) AS failed, min(first) AS t0, max(first) AS t1,
             array_join(array_sort(array_distinct(array_agg(dstport))), ',') AS port_list
        FROM new GROUP BY src),
oe AS (SELECT src, count(*) AS old_edges FROM edge WHERE first < (SELECT cut FROM tun) GROUP BY src),
x AS (SELECT s.*, wp.peak, coalesce(oe.old_edges, 0) AS old_edges
        FROM s JOIN wp ON wp.src = s.src LEFT JOIN oe ON oe.src = s.src),
y AS (SELECT x.*, greatest(0, least(100, 40 + 25 * log10(peak * 1e0 / (SELECT min_new FROM tun))
                                       + 15 * failed + 10 * (CASE WHEN ports >= 3 THEN 1 ELSE 0 END))) AS score
        FROM x WHERE peak >= (SELECT min_new FROM tun))
SELECT 'lateral_movement' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, CAST(NULL AS varchar) AS dst, CASE WHEN ports = 1 THEN CAST(port_list AS integer) END AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%d new admin-port edges from %s to %d internal hosts in %s (ports %s), %d%% refused or unanswered; %d edges in the baseline before %s',
              edges, src, hosts,
              CASE WHEN t1 - t0 < 120 THEN CAST(t1 - t0 AS varchar) || ' s'
                   WHEN t1 - t0 < 7200 THEN CAST((t1 - t0 + 30) / 60 AS varchar) || ' min'
                   ELSE format('%.1f h', (t1 - t0) / 3600e0) END,
              port_list, CAST(round(100 * failed) AS bigint), old_edges,
              date_format(from_unixtime((SELECT cut FROM tun), 'UTC'), '%H:%i')) AS evidence
  FROM y
 ORDER BY score DESC
