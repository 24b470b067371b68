-- log_coverage (Athena) - interfaces whose logs dropped records
-- (SKIPDATA), fell silent, or hold only NODATA. Same question, score,
-- output columns and evidence as sql/detections/log_coverage.sql (read
-- its header for the why).
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
-- * Reads flows_n (every record of the days, NODATA/SKIPDATA included).
--   The silences are computed from the records themselves (the local
--   file takes a per-minute shortcut when the gap is >= 60 s and gives
--   the same gaps); a silence that spans midnight into a day outside
--   vpcflow_days is not seen.
WITH
tun AS (SELECT 3600 AS gap),
st AS (SELECT interface_id,
              count_if(log_status = 'SKIPDATA') AS skip_n, count_if(log_status = 'NODATA') AS nodata_n,
              count_if(log_status = 'OK') AS ok_n,
              min(start) AS t0, max("end") AS t1,
              min(start) FILTER (WHERE log_status = 'SKIPDATA') AS s0,
              max("end") FILTER (WHERE log_status = 'SKIPDATA') AS s1
         FROM flows_n WHERE interface_id IS NOT NULL GROUP BY interface_id),
ev AS (SELECT interface_id, start,
              max("end") OVER (PARTITION BY interface_id ORDER BY start
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
         FROM flows_n WHERE interface_id IS NOT NULL),
gaps AS (SELECT interface_id, max(start - prev_end) AS gap, count(*) AS n_gaps, max(prev_end) AS g0
           FROM ev WHERE start - prev_end >= (SELECT gap FROM tun) GROUP BY interface_id),
x AS (SELECT st.*, gaps.gap, gaps.n_gaps, gaps.g0,
             CASE WHEN skip_n > 0 THEN 50 + 10 * log10(skip_n)
                  WHEN gaps.gap IS NOT NULL THEN 45 + 10 * log10(gaps.gap / 3600e0)
                  WHEN ok_n = 0 AND nodata_n > 0 THEN 15 END AS score
        FROM st LEFT JOIN gaps ON gaps.interface_id = st.interface_id)
SELECT 'log_coverage' AS detection, round(greatest(0, least(100, score)), 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       interface_id AS src, CAST(NULL AS varchar) AS dst, CAST(NULL AS integer) AS port,
       date_format(from_unixtime(coalesce(s0, g0, t0), 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(coalesce(s1, t1), 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       CASE WHEN skip_n > 0 THEN format('%d SKIPDATA records on %s (%s to %s): flows in that time were dropped, each record may stand for many; %d OK records otherwise',
                                       skip_n, interface_id, date_format(from_unixtime(s0, 'UTC'), '%H:%i'),
                                       date_format(from_unixtime(s1, 'UTC'), '%H:%i'), ok_n)
            WHEN gap IS NOT NULL THEN format('%s silent for %.1f h from %s (%d gap(s) >= %d s), no NODATA either',
                                       interface_id, gap / 3600e0, date_format(from_unixtime(g0, 'UTC'), '%H:%i'),
                                       n_gaps, (SELECT gap FROM tun))
            ELSE format('%s wrote only NODATA (%d records): idle, or traffic that flow logs do not record',
                        interface_id, nodata_n) END AS evidence
  FROM x WHERE score IS NOT NULL
 ORDER BY score DESC
