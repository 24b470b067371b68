-- reject_spike.sql - a host whose refused traffic jumps against its own history.
--
-- Question   Which of our hosts suddenly had many more refused (REJECT)
--            connection attempts in an hour than in the hours before?
-- ATT&CK     T1046 Network Service Discovery / T1499 (what a sudden burst of
--            refused attempts usually is); also SG/NACL misconfiguration.
-- Reads      flows via sql/prepare.sql -> traffic; attempts (resp = 0) from
--            private sources with action = 'REJECT'. Internet sources are left
--            to port_scan and exposed_service: their rejects are background noise.
-- Method     hourly REJECT counts per source, zero-filled over the whole span;
--            mean and standard deviation of the source's PREVIOUS hours
--            (window functions); z = (count - mean) / max(stdev, 1).
-- Gate       z > reject_spike.min_z (3) with > 5 previous hours (Splunk "Detect
--            Spike in blocked Outbound Traffic": > mean + 3 sigma with > 5 data
--            points) and count >= reject_spike.min_count (10).
-- Score      30 + 10 * log10(count) + 5 * log10(1 + z), clamped 0..100; one row
--            per source (its worst hour).
-- Tunables   reject_spike.min_z 3, reject_spike.min_count 10.
-- v2 / v3+   identical.
-- False positives  SG/NACL rollouts, retry storms after an outage, a new
--            deployment whose dependencies are not yet allowed.

.read sql/prepare.sql
INSERT OR IGNORE INTO tunables VALUES
  ('reject_spike.min_z', 3, 'standard deviations above the source''s own past hours (Splunk)'),
  ('reject_spike.min_count', 10, 'refused attempts in the hour');

CREATE TEMP VIEW IF NOT EXISTS det_reject_spike AS
WITH RECURSIVE
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'reject_spike.min_z') AS min_z,
               (SELECT value FROM tunables WHERE name = 'reject_spike.min_count') AS min_n,
               (SELECT t0 FROM vpcflow_span) / 3600 AS h0, (SELECT t1 FROM vpcflow_span) / 3600 AS h1),
hours(h) AS (SELECT h0 FROM tun UNION ALL SELECT h + 1 FROM hours WHERE h < (SELECT h1 FROM tun)),
r AS (SELECT src, start / 3600 AS h, count(*) AS n, addr_breadth(dst) AS hosts, port_breadth(dstport) AS ports
        FROM traffic WHERE resp = 0 AND src_private AND action = 'REJECT' GROUP BY 1, 2),
grid AS (SELECT s.src, hours.h, coalesce(r.n, 0) AS n, r.hosts, r.ports
           FROM (SELECT DISTINCT src FROM r) AS s CROSS JOIN hours
           LEFT JOIN r ON r.src = s.src AND r.h = hours.h),
st AS (SELECT grid.*,
              count(*) OVER w AS prev_hours, avg(n) OVER w AS mu,
              avg(n * n) OVER w AS mu2
         FROM grid
       WINDOW w AS (PARTITION BY src ORDER BY h ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
z AS (SELECT st.*, (n - mu) / max(sqrt(max(mu2 - mu * mu, 0)), 1) AS z FROM st
       WHERE prev_hours > 5 AND n >= (SELECT min_n FROM tun)),
best AS (SELECT z.*, row_number() OVER (PARTITION BY src ORDER BY z DESC) AS k FROM z
          WHERE z > (SELECT min_z FROM tun))
SELECT 'reject_spike' AS detection, round(max(0, min(100, 30 + 10 * log10(n) + 5 * log10(1 + z))), 1) AS score,
       CASE WHEN 30 + 10 * log10(n) + 5 * log10(1 + z) >= 85 THEN 'critical'
            WHEN 30 + 10 * log10(n) + 5 * log10(1 + z) >= 65 THEN 'high'
            WHEN 30 + 10 * log10(n) + 5 * log10(1 + z) >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, NULL AS dst, NULL AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', h * 3600, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', h * 3600 + 3599, 'unixepoch') AS last_seen,
       printf('%d refused attempts from %s in the hour from %s (to %d hosts / %d ports) vs %.1f +- %.1f per hour over %d earlier hours: z = %.0f',
              n, src, strftime('%H:00', h * 3600, 'unixepoch'), hosts, ports, mu,
              sqrt(max(mu2 - mu * mu, 0)), prev_hours, z) AS evidence
  FROM best WHERE k = 1;

SELECT * FROM det_reject_spike
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
