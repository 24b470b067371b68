-- internal_reject (Athena) - an internal host refused many times (a
-- misconfiguration or someone probing from inside). Same question, gate,
-- score, output columns and evidence as sql/detections/internal_reject.sql
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
-- * addr_breadth()/port_breadth() become count(DISTINCT ...).
-- * dst/port when there is one: locally the first record read; here
--   arbitrary() of the (single) value, which is the same value.
WITH
tun AS (SELECT 10 AS min_rej, 5 AS min_peak),
a AS (SELECT src, dst, dstport, protocol, start, dst_private FROM flows_t
       WHERE resp = 0 AND src_private = 1 AND action = 'REJECT'),
b AS (SELECT src, start / 600 AS k, count(*) AS n FROM a GROUP BY src, start / 600),
bp AS (SELECT src, max(n) AS peak FROM b GROUP BY src),
s AS (SELECT a.src, count(*) AS n,
             count(DISTINCT a.dst || ':' || coalesce(CAST(a.dstport AS varchar), '')) AS targets,
             count(DISTINCT a.dst) AS hosts, count(DISTINCT a.dstport) AS ports,
             avg(a.dst_private) AS internal, min(a.start) AS t0, max(a.start) AS t1,
             arbitrary(a.dst) AS one_dst, arbitrary(a.dstport) AS one_port
        FROM a GROUP BY a.src HAVING count(*) >= (SELECT min_rej FROM tun)),
s2 AS (SELECT s.*, bp.peak FROM s JOIN bp ON bp.src = s.src WHERE bp.peak >= (SELECT min_peak FROM tun)),
top AS (SELECT src, dst || ':' || coalesce(CAST(dstport AS varchar), '-') AS t, count(*) AS n,
               row_number() OVER (PARTITION BY src ORDER BY count(*) DESC, dst, dstport) AS k
          FROM a GROUP BY src, dst, dstport),
t3 AS (SELECT src, array_join(array_sort(array_agg(t)), ', ') AS top3 FROM top WHERE k <= 3 GROUP BY src),
x AS (SELECT s2.*, t3.top3,
             greatest(0, least(100, 30 + 15 * log10(peak / 5e0) + 8 * log10(targets))) AS score
        FROM s2 LEFT JOIN t3 ON t3.src = s2.src)
SELECT 'internal_reject' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, CASE WHEN hosts = 1 THEN one_dst END AS dst,
       CASE WHEN ports = 1 THEN one_port END AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%d refused attempts from %s to %d hosts / %d ports (%d%% internal), peak %d in 10 min; top: %s',
              n, src, hosts, ports, CAST(round(100 * internal) AS bigint), peak, top3) AS evidence
  FROM x
 ORDER BY score DESC
