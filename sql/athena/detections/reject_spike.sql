-- reject_spike (Athena) - an hour in which one of our hosts was refused
-- far more often than in its own earlier hours. Same question, gate,
-- score, output columns and evidence as sql/detections/reject_spike.sql
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
-- * Only the local file's branch for reject_spike.min_count >= 1 (the
--   default, 10) is ported: it compares an hour with the source's earlier
--   hours, counting the hours without refusals as 0 (mean and variance
--   over h - h0 hours). The local grid branch, used only when min_count
--   is set below 1, is not: keep min_count >= 1 here.
WITH
tun AS (SELECT 3 AS min_z, 10 AS min_n,
               (SELECT t0 FROM vpcflow_span) / 3600 AS h0, (SELECT t1 FROM vpcflow_span) / 3600 AS h1),
r AS (SELECT src, start / 3600 AS h, count(*) AS n, count(DISTINCT dst) AS hosts, count(DISTINCT dstport) AS ports
        FROM flows_t WHERE resp = 0 AND src_private = 1 AND action = 'REJECT' GROUP BY src, start / 3600),
sp AS (SELECT r.src, r.h, r.n, r.hosts, r.ports, r.h - (SELECT h0 FROM tun) AS prev_hours,
              coalesce(sum(r.n) OVER (PARTITION BY r.src ORDER BY r.h ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) * 1e0 / (r.h - (SELECT h0 FROM tun)) AS mu,
              coalesce(sum(r.n * r.n) OVER (PARTITION BY r.src ORDER BY r.h ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) * 1e0 / (r.h - (SELECT h0 FROM tun)) AS mu2
         FROM r
        WHERE r.h BETWEEN (SELECT h0 FROM tun) AND (SELECT h1 FROM tun)),
z AS (SELECT sp.*, (n - mu) / greatest(sqrt(greatest(mu2 - mu * mu, 0)), 1) AS z
        FROM sp WHERE prev_hours > 5 AND n >= (SELECT min_n FROM tun)),
best AS (SELECT z.*, row_number() OVER (PARTITION BY src ORDER BY z DESC) AS k FROM z
          WHERE z > (SELECT min_z FROM tun))
SELECT 'reject_spike' AS detection, round(greatest(0, least(100, 30 + 10 * log10(n) + 5 * log10(1 + z))), 1) AS score,
       CASE WHEN 30 + 10 * log10(n) + 5 * log10(1 + z) >= 85 THEN 'critical'
            WHEN 30 + 10 * log10(n) + 5 * log10(1 + z) >= 65 THEN 'high'
            WHEN 30 + 10 * log10(n) + 5 * log10(1 + z) >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, CAST(NULL AS varchar) AS dst, CAST(NULL AS integer) AS port,
       date_format(from_unixtime(h * 3600, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(h * 3600 + 3599, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%d refused attempts from %s in the hour from %s (to %d hosts / %d ports) vs %.1f +- %.1f per hour over %d earlier hours: z = %.0f',
              n, src, date_format(from_unixtime(h * 3600, 'UTC'), '%H:00'), hosts, ports, mu,
              sqrt(greatest(mu2 - mu * mu, 0)), prev_hours, z) AS evidence
  FROM best WHERE k = 1
 ORDER BY score DESC
