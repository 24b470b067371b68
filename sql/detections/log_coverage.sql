-- log_coverage.sql - where the flow logs are blind: SKIPDATA, NODATA, gaps.
--
-- Question   For which interfaces did flow logging lose records (SKIPDATA),
--            report nothing but idleness (NODATA), or fall silent between
--            two records for a long time?
-- ATT&CK     T1562.008 Impair Defenses: Disable or Modify Cloud Logs (the
--            attack a gap may hide); mostly an operational health check.
-- Reads      flows via sql/prepare.sql -> flows_n, all log statuses (this is
--            the one detection that reads NODATA/SKIPDATA rows), counted per
--            interface in one pass over the prepared day.
-- Gate       any SKIPDATA record (CloudWatch Logs Insights' sample query counts
--            SKIPDATA per hour; Panther's SKIPDATA health rule);
--            an interface with NODATA only; a silence of >= log_coverage.gap
--            (3600 s) between consecutive records of an interface that logs
--            before and after it (an idle interface should write NODATA).
-- Score      SKIPDATA: 50 + 10 * log10(SKIPDATA records) (one record can stand
--            for many lost flows); gap: 45 + 10 * log10(gap hours) (an
--            interface that is up writes at least NODATA every interval, so a
--            silence means its log was off: medium from the first hour);
--            NODATA only: 15. Clamped 0..100.
-- Tunables   log_coverage.gap 3600.
-- Output     src = the interface id; dst and port NULL.
-- False positives  idle interfaces (NODATA is normal), interfaces created or
--            deleted inside the time range (a gap at the edges is not reported),
--            aggregation intervals of 10 minutes (raise log_coverage.gap).

.read sql/prepare.sql

CREATE TEMP VIEW IF NOT EXISTS det_log_coverage AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'log_coverage.gap') AS gap
          FROM vpcflow_tun),
-- every record counted once here, per interface, from the day in memory
-- (vpcflow_coverage_eni, ext/day_coverage.c: one pass, no sort), the
-- values of
--    SELECT interface_id, sum(log_status = 'SKIPDATA') AS skip_n,
--           sum(log_status = 'NODATA') AS nodata_n, sum(log_status = 'OK') AS ok_n,
--           min(start) AS t0, max("end") AS t1,
--           min(start) FILTER (WHERE log_status = 'SKIPDATA') AS s0,
--           max("end") FILTER (WHERE log_status = 'SKIPDATA') AS s1,
--           sum(start IS NOT NULL AND ("end" IS NULL OR "end" < start)) AS odd
--      FROM flows_n WHERE interface_id IS NOT NULL GROUP BY interface_id
-- and its silences of >= gap seconds (gap, n_gaps, g0 as `gaps` below
-- defines them), found per minute: a silence of >= 60 s can only end at
-- the first record of a minute (any later record of that minute follows
-- one that started in the same minute and ended no earlier), so the
-- minutes' first start and the running maximum of the earlier minutes'
-- ends find the same gaps as the records do. Where that does not hold (a
-- gap tunable below 60 s, an interface with a record that ends before it
-- starts or has no end: odd) the table leaves n_gaps NULL.
st AS MATERIALIZED (SELECT interface_id, skip_n, nodata_n, ok_n, t0, t1, s0, s1, odd,
                           gap AS m_gap, n_gaps AS m_n_gaps, g0 AS m_g0
                      FROM vpcflow_coverage_eni((SELECT gap FROM tun))),
-- The silences: the table's when its search was exact for the whole day
-- (gap >= 60 s, no odd record: the first branch of `gaps`); otherwise read
-- from the records (`ev`, the second branch): each record's prev_end, the
-- latest end of the interface's records before it in start order. The
-- first row of each branch's FROM decides, so only one runs.
ev AS (SELECT interface_id, start,
              max("end") OVER (PARTITION BY interface_id ORDER BY start
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
         FROM (SELECT 1 WHERE (SELECT gap FROM tun) < 60 OR EXISTS (SELECT 1 FROM st WHERE odd > 0))
              CROSS JOIN flows_n
        WHERE interface_id IS NOT NULL),
gaps AS (SELECT interface_id, m_gap AS gap, m_n_gaps AS n_gaps, m_g0 AS g0
           FROM (SELECT 1 WHERE (SELECT gap FROM tun) >= 60 AND NOT EXISTS (SELECT 1 FROM st WHERE odd > 0))
                CROSS JOIN st
          WHERE m_n_gaps > 0
         UNION ALL
         SELECT interface_id, max(start - prev_end) AS gap, count(*) AS n_gaps,
                max(prev_end) FILTER (WHERE start - prev_end >= (SELECT gap FROM tun)) AS g0
           FROM ev WHERE start - prev_end >= (SELECT gap FROM tun) GROUP BY interface_id),
x AS (SELECT st.interface_id, skip_n, nodata_n, ok_n, t0, t1, s0, s1,
             gaps.gap, gaps.n_gaps, gaps.g0,
             CASE WHEN skip_n > 0 THEN 50 + 10 * log10(skip_n)
                  WHEN gaps.gap IS NOT NULL THEN 45 + 10 * log10(gaps.gap / 3600.0)
                  WHEN ok_n = 0 AND nodata_n > 0 THEN 15 END AS score
        FROM st LEFT JOIN gaps USING (interface_id))
SELECT 'log_coverage' AS detection, round(max(0, min(100, score)), 1) AS score,
       vpcflow_severity(score) AS severity,
       interface_id AS src, NULL AS dst, NULL AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(s0, g0, t0), 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', coalesce(s1, t1), 'unixepoch') AS last_seen,
       CASE WHEN skip_n > 0 THEN printf('%d SKIPDATA records on %s (%s to %s): flows in that time were dropped, each record may stand for many; %d OK records otherwise',
                                       skip_n, interface_id, strftime('%H:%M', s0, 'unixepoch'),
                                       strftime('%H:%M', s1, 'unixepoch'), ok_n)
            WHEN gap IS NOT NULL THEN printf('%s silent for %.1f h from %s (%d gap(s) >= %d s), no NODATA either',
                                       interface_id, gap / 3600.0, strftime('%H:%M', g0, 'unixepoch'),
                                       n_gaps, (SELECT gap FROM tun))
            ELSE printf('%s wrote only NODATA (%d records): idle, or traffic that flow logs do not record',
                        interface_id, nodata_n) END AS evidence
  FROM x WHERE score IS NOT NULL;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_log_coverage.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_log_coverage
 ORDER BY score DESC;
