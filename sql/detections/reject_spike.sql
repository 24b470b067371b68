-- reject_spike.sql - a host whose refused traffic jumps against its own history.
--
-- Question   Which of our hosts suddenly had many more refused (REJECT)
--            connection attempts in an hour than in the hours before?
-- ATT&CK     T1046 Network Service Discovery / T1499 (what a sudden burst of
--            refused attempts usually is); also SG/NACL misconfiguration.
-- Reads      flows_t (traffic, sql/summaries.sql); attempts (resp = 0) from
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
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_reject_spike AS
WITH RECURSIVE
tun AS (SELECT max(value) FILTER (WHERE name = 'reject_spike.min_z') AS min_z,
               max(value) FILTER (WHERE name = 'reject_spike.min_count') AS min_n,
               (SELECT t0 FROM vpcflow_span) / 3600 AS h0, (SELECT t1 FROM vpcflow_span) / 3600 AS h1
          FROM vpcflow_tun),
hours(h) AS (SELECT h0 FROM tun UNION ALL SELECT h + 1 FROM hours WHERE h < (SELECT h1 FROM tun)),
r AS (SELECT src, start / 3600 AS h, count(*) AS n, addr_breadth(dst) AS hosts, port_breadth(dstport) AS ports
        FROM flows_t WHERE resp = 0 AND src_private = 1 AND action = 'REJECT' GROUP BY 1, 2),
-- Hours without a REJECT add 0 to the sums of the mean and the square mean,
-- so over the hours that have one, mean = sum(n) / (h - h0) gives the very
-- doubles the zero-filled grid gave (avg() divides the exact double sum of
-- the integers by the count). Only a reject_spike.min_count below 1 can
-- report an empty hour: then the zero-filled grid is read (the first row of
-- each branch's FROM decides which one runs).
sp AS (SELECT r.src, r.h, r.n, r.hosts, r.ports, r.h - (SELECT h0 FROM tun) AS prev_hours,
              coalesce(sum(r.n) OVER w, 0) * 1.0 / (r.h - (SELECT h0 FROM tun)) AS mu,
              coalesce(sum(r.n * r.n) OVER w, 0) * 1.0 / (r.h - (SELECT h0 FROM tun)) AS mu2
         FROM (SELECT 1 WHERE (SELECT min_n FROM tun) >= 1) CROSS JOIN r
        WHERE r.h BETWEEN (SELECT h0 FROM tun) AND (SELECT h1 FROM tun)
       WINDOW w AS (PARTITION BY r.src ORDER BY r.h ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
grid AS (SELECT s.src, hours.h, coalesce(r.n, 0) AS n, r.hosts, r.ports
           FROM (SELECT 1 WHERE (SELECT min_n FROM tun) < 1) CROSS JOIN (SELECT DISTINCT src FROM r) AS s
                CROSS JOIN hours
           LEFT JOIN r ON r.src = s.src AND r.h = hours.h),
st AS (SELECT grid.*,
              count(*) OVER w AS prev_hours, avg(n) OVER w AS mu,
              avg(n * n) OVER w AS mu2
         FROM grid
       WINDOW w AS (PARTITION BY src ORDER BY h ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
z AS (SELECT st.*, (n - mu) / max(sqrt(max(mu2 - mu * mu, 0)), 1) AS z
        FROM (SELECT * FROM sp UNION ALL SELECT * FROM st) AS st
       WHERE prev_hours > 5 AND n >= (SELECT min_n FROM tun)),
best AS (SELECT z.*, row_number() OVER (PARTITION BY src ORDER BY z DESC) AS k FROM z
          WHERE z > (SELECT min_z FROM tun))
SELECT 'reject_spike' AS detection, round(max(0, min(100, 30 + 10 * log10(n) + 5 * log10(1 + z))), 1) AS score,
       vpcflow_severity(30 + 10 * log10(n) + 5 * log10(1 + z)) AS severity,
       src, NULL AS dst, NULL AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', h * 3600, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', h * 3600 + 3599, 'unixepoch') AS last_seen,
       printf('%d refused attempts from %s in the hour from %s (to %d hosts / %d ports) vs %.1f +- %.1f per hour over %d earlier hours: z = %.0f',
              n, src, strftime('%H:00', h * 3600, 'unixepoch'), hosts, ports, mu,
              sqrt(max(mu2 - mu * mu, 0)), prev_hours, z) AS evidence
  FROM best WHERE k = 1;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_reject_spike.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_reject_spike
 ORDER BY score DESC;
