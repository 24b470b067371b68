-- log_coverage.sql - where the flow logs are blind: SKIPDATA, NODATA, gaps.
--
-- Question   For which interfaces did flow logging lose records (SKIPDATA),
--            report nothing but idleness (NODATA), or fall silent between
--            two records for a long time?
-- ATT&CK     T1562.008 Impair Defenses: Disable or Modify Cloud Logs (the
--            attack a gap may hide); mostly an operational health check.
-- Reads      flows via sql/prepare.sql -> flows_n, all log statuses (this is
--            the one detection that reads NODATA/SKIPDATA rows).
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
INSERT OR IGNORE INTO tunables VALUES
  ('log_coverage.gap', 3600, 'silence between two records of one interface, seconds');

CREATE TEMP VIEW IF NOT EXISTS det_log_coverage AS
WITH
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'log_coverage.gap') AS gap),
st AS (SELECT interface_id, sum(log_status = 'SKIPDATA') AS skip_n, sum(log_status = 'NODATA') AS nodata_n,
              sum(log_status = 'OK') AS ok_n, min(start) AS t0, max("end") AS t1,
              min(start) FILTER (WHERE log_status = 'SKIPDATA') AS s0,
              max("end") FILTER (WHERE log_status = 'SKIPDATA') AS s1
         FROM flows_n WHERE interface_id IS NOT NULL GROUP BY interface_id),
ev AS (SELECT interface_id, start, "end",
              max("end") OVER (PARTITION BY interface_id ORDER BY start
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
         FROM flows_n WHERE interface_id IS NOT NULL),
gaps AS (SELECT interface_id, max(start - prev_end) AS gap, count(*) AS n_gaps,
                max(prev_end) FILTER (WHERE start - prev_end >= (SELECT gap FROM tun)) AS g0
           FROM ev WHERE start - prev_end >= (SELECT gap FROM tun) GROUP BY interface_id),
x AS (SELECT st.*, gaps.gap, gaps.n_gaps, gaps.g0,
             CASE WHEN skip_n > 0 THEN 50 + 10 * log10(skip_n)
                  WHEN gaps.gap IS NOT NULL THEN 45 + 10 * log10(gaps.gap / 3600.0)
                  WHEN ok_n = 0 AND nodata_n > 0 THEN 15 END AS score
        FROM st LEFT JOIN gaps USING (interface_id))
SELECT 'log_coverage' AS detection, round(max(0, min(100, score)), 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
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

SELECT * FROM det_log_coverage
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
