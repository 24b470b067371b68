-- unusual_port.sql - our host talks to an internet server port it never used.
--
-- Question   Which host inside the VPC started connecting to a remote server
--            port (protocol/port) that it did not use in the baseline - above
--            all one no host used, or mail (a spambot)?
-- ATT&CK     T1571 Non-Standard Port; spam relays T1496/T1583. GuardDuty:
--            Behavior:EC2/NetworkPortUnusual, Backdoor:EC2/Spambot (port 25
--            with no prior history).
-- Reads      flows via sql/prepare.sql -> traffic; attempts (resp = 0) from a
--            private source to a public destination, AWS service peers left out.
-- Baseline   the first half of the span (baseline_fraction, prepare.sql):
--            a (src, protocol, port) first used at or after the cut is new
--            (GuardDuty publishes no window; Elastic's new_terms rule uses
--            30 days).
-- Score      30 + 15 if SMTP (25/465/587) + 10 if no host used the port in the
--            baseline + 8 * log10(connections) + 5 * log10(1 + destinations)
--            + 5 if any connection was answered, clamped 0..100.
-- Tunables   none beyond baseline_fraction.
-- v2 / v3+   identical; v5 leaves AWS service peers out.
-- False positives  new deployments and features, software updates from a new
--            mirror on a new port, a one-day data set whose baseline is short.

.read sql/prepare.sql

CREATE TEMP VIEW IF NOT EXISTS det_unusual_port AS
WITH
tun AS (SELECT (SELECT cut FROM vpcflow_span) AS cut),
a AS (SELECT src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport ELSE 0 END AS port,
             start, answered, action, conn_start
        FROM traffic WHERE resp = 0 AND src_private AND NOT dst_private AND dst_service IS NULL),
sp AS (SELECT src, protocol, port, min(start) AS t0, max(start) AS t1, max(1, sum(conn_start)) AS n,
              addr_breadth(dst) AS hosts, max(answered) AS answered, avg(action = 'REJECT') AS rejected
         FROM a GROUP BY 1, 2, 3),
known AS (SELECT DISTINCT protocol, port FROM a WHERE start < (SELECT cut FROM tun)),
x AS (SELECT sp.*, (protocol, port) NOT IN (SELECT protocol, port FROM known) AS nobody,
             protocol = 6 AND port IN (25, 465, 587) AS smtp
        FROM sp WHERE t0 >= (SELECT cut FROM tun)),
y0 AS (SELECT x.*,
             (SELECT dst FROM a WHERE a.src = x.src AND a.protocol = x.protocol AND a.port = x.port LIMIT 1) AS one_dst
        FROM x),
y1 AS (SELECT y0.*, CASE WHEN hosts = 1 THEN coalesce((SELECT sum(bytes) FROM traffic AS t
                                                        WHERE t.src = y0.src AND t.dst = y0.one_dst), 0)
                         ELSE 0 END AS b
         FROM y0),
y AS (SELECT y1.*, min(CASE WHEN nobody OR smtp OR b >= 1e6 OR n >= 50 THEN 100 ELSE 39 END,
                        max(0, min(100, 30 + 15 * smtp + 10 * nobody + 8 * log10(n) + 5 * log10(1 + hosts)
                                        + 5 * answered + 8 * log10(1 + b / 1e6)))) AS score
        FROM y1)
SELECT 'unusual_port' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, CASE WHEN hosts = 1 THEN one_dst END AS dst, CASE WHEN protocol IN (6, 17) THEN port END AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%s first used %s%s at %s: %d connections to %d internet hosts, %d%% refused%s%s%s',
              src, protocol_name(protocol), CASE WHEN protocol IN (6, 17) THEN '/' || port ELSE '' END,
              strftime('%H:%M', t0, 'unixepoch'), n, hosts, CAST(round(100 * rejected) AS INTEGER),
              CASE WHEN b >= 1e6 THEN printf('; %.1f MB sent to it', b / 1e6) ELSE '' END,
              CASE WHEN nobody THEN '; no host used it before ' || strftime('%H:%M', (SELECT cut FROM tun), 'unixepoch')
                   ELSE '' END,
              CASE WHEN smtp THEN '; outbound mail from a non-mail host (spambot?)' ELSE '' END) AS evidence
  FROM y;

SELECT * FROM det_unusual_port
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
