-- unusual_port.sql - our host talks to an internet server port it never used.
--
-- Question   Which host inside the VPC started connecting to a remote server
--            port (protocol/port) that it did not use in the baseline - above
--            all one no host used, or mail (a spambot)?
-- ATT&CK     T1571 Non-Standard Port; spam relays T1496/T1583. GuardDuty:
--            Behavior:EC2/NetworkPortUnusual, Backdoor:EC2/Spambot (port 25
--            with no prior history).
-- Reads      flows_t (traffic, sql/summaries.sql); attempts (resp = 0) from a
--            private source to a public destination, AWS service peers left out,
--            as summarised per (src, dst, protocol, port) in att_port
--            (sql/summaries.sql).
-- Baseline   the first half of the span (baseline_fraction, prepare.sql):
--            a (src, protocol, port) first used at or after the cut is new
--            (GuardDuty publishes no window; Elastic's new_terms rule uses
--            30 days).
-- Score      30 + 15 if SMTP (25/465/587) + 10 if no host used the port in the
--            baseline + 8 * log10(connections) + 5 * log10(1 + destinations)
--            + 5 if any connection was answered + 8 * log10(1 + MB our host
--            sent to the port's destination, when it has only one; all its
--            records to that address), clamped 0..100: a first use that
--            carries data out reaches medium, a first HTTPS call does not.
--            Below medium (at most 39) unless no host used the port before,
--            it is SMTP, >= 1 MB went to its one destination or >= 50
--            connections were made: a host's first use of a port others
--            use, a few times, is a new feature more often than an attack.
-- Tunables   none beyond baseline_fraction.
-- v2 / v3+   identical; v5 leaves AWS service peers out.
-- False positives  new deployments and features, software updates from a new
--            mirror on a new port, a one-day data set whose baseline is short.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_unusual_port AS
WITH
tun AS (SELECT (SELECT cut FROM vpcflow_span) AS cut),
a AS (SELECT src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport ELSE 0 END AS port,
             n, n_action, rejected, answered_max, conns, t0, t1
        FROM att_port WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL),
sp AS (SELECT src, protocol, port, min(t0) AS t0, max(t1) AS t1, max(1, sum(conns)) AS n,
              addr_breadth(dst) AS hosts, min(dst) AS one_dst, max(answered_max) AS answered,
              sum(rejected) * 1.0 / sum(n_action) AS rejected
         FROM a GROUP BY 1, 2, 3),
known AS MATERIALIZED (SELECT DISTINCT protocol, port FROM a WHERE t0 < (SELECT cut FROM tun)),
-- nobody = (protocol, port) NOT IN known, spelled out: SQLite answers a
-- two-column NOT IN that finds no match by scanning the whole list for a
-- NULL (millions of probes x every port ever used, on random addresses);
-- here a miss is one index lookup, and the NULL cases keep NOT IN's answer.
knownnull AS MATERIALIZED (SELECT protocol, port FROM known WHERE protocol IS NULL OR port IS NULL),
x AS (SELECT sp.*,
             CASE WHEN EXISTS (SELECT 1 FROM known AS k WHERE k.protocol = sp.protocol AND k.port = sp.port) THEN 0
                  WHEN sp.protocol IS NULL OR sp.port IS NULL THEN
                       CASE WHEN EXISTS (SELECT 1 FROM known AS k
                                          WHERE (k.protocol = sp.protocol OR k.protocol IS NULL OR sp.protocol IS NULL)
                                            AND (k.port = sp.port OR k.port IS NULL OR sp.port IS NULL))
                            THEN NULL ELSE 1 END
                  WHEN EXISTS (SELECT 1 FROM knownnull AS k WHERE (k.protocol = sp.protocol OR k.protocol IS NULL)
                                                              AND (k.port = sp.port OR k.port IS NULL)) THEN NULL
                  ELSE 1 END AS nobody,
             protocol = 6 AND port IN (25, 465, 587) AS smtp
        FROM sp WHERE t0 >= (SELECT cut FROM tun)),
-- bytes our host sent to the one destination of a single-destination port
-- (pair: every port, both directions' records from src to dst), one scan
vol AS MATERIALIZED (SELECT src, dst, sum(bytes) AS b FROM pair
                      WHERE src_private = 1 AND dst_private = 0
                        AND (src, dst) IN (SELECT src, one_dst FROM x WHERE hosts = 1)
                      GROUP BY src, dst),
y AS (SELECT x.*, coalesce(vol.b, 0) AS b,
             min(CASE WHEN nobody OR smtp OR coalesce(vol.b, 0) >= 1e6 OR n >= 50 THEN 100 ELSE 39 END,
                 max(0, min(100, 30 + 15 * smtp + 10 * nobody + 8 * log10(n) + 5 * log10(1 + hosts)
                                 + 5 * answered + 8 * log10(1 + coalesce(vol.b, 0) / 1e6)))) AS score
        FROM x LEFT JOIN vol ON x.hosts = 1 AND vol.src = x.src AND vol.dst = x.one_dst)
SELECT 'unusual_port' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
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

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_unusual_port.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_unusual_port
 ORDER BY score DESC;
