-- port_sweep.sql - horizontal sweep: one source tries one port on many hosts.
--
-- Question   Which source tried the same port on many addresses in an hour,
--            and how many answered?
-- ATT&CK     T1046 Network Service Discovery, T1018 Remote System Discovery.
--            GuardDuty: Impact:EC2/PortSweep (our instance probing the internet: High).
-- Reads      flows_t (traffic, sql/summaries.sql); attempts only (resp = 0):
--            candidates from att_port (sql/summaries.sql), then their raw rows.
-- Gate       addr_breadth(dst) >= port_sweep.min_hosts (100) for one
--            (src, protocol, dstport) within port_sweep.window (3600 s, sliding).
--            Elastic "Potential Network Sweep": >= 100 hosts / 9 min;
--            Splunk "Internal Horizontal Port Scan": >= 250 / 1 h.
-- Score      40 + 20 * log10(peak hosts / min_hosts)
--            + 15 if a host inside the VPC sweeps the internet (GuardDuty High)
--            + 10 * share of attempts rejected or unanswered
--            + 5  if >= 80 % of probes are crafted 40/44-byte SYNs, clamped 0..100.
-- Tunables   port_sweep.min_hosts 100, port_sweep.window 3600.
-- v2 / v3+   identical logic; v3+ adds pkt-* (the real peer behind a NAT).
-- False positives  asset discovery, NAC/inventory scanners, DNS/NTP clients
--            that query many servers, monitoring that scrapes every host on one
--            port (fan-out below 100 here), configuration management over SSH.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_port_sweep AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'port_sweep.min_hosts') AS min_hosts,
               max(value) FILTER (WHERE name = 'port_sweep.window') AS win
          FROM vpcflow_tun),
-- A key reaches min_hosts only if it has min_hosts attempt records:
-- vpcflow_att_keys_port counts them in C (ext/day_attkeys.c), so only the
-- att_port rows of those keys are grouped (on random addresses there are
-- none, and the one-row guard, the outer loop, skips the scan), with the
-- rows whose dst is not an address, so that addr_breadth() still stops on
-- a malformed one (those exist only if some traffic record has one).
keys AS MATERIALIZED (SELECT src, protocol, dstport FROM vpcflow_att_keys_port
                       WHERE n >= (SELECT min_hosts FROM tun)),
cand AS MATERIALIZED (
        SELECT src, protocol, dstport
          FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM keys)
                   OR EXISTS (SELECT 1 FROM flows_t WHERE resp = 0 AND dstport IS NOT NULL
                                 AND dst_private IS NULL AND dst IS NOT NULL))
               CROSS JOIN att_port
         WHERE dstport IS NOT NULL
           AND ((src, protocol, dstport) IN (SELECT src, protocol, dstport FROM keys) OR dst_private IS NULL)
         GROUP BY 1, 2, 3 HAVING addr_breadth(dst) >= (SELECT min_hosts FROM tun)),
-- the raw attempts of the candidates only, in one scan (none without one)
ca AS (SELECT src, dst, dstport, protocol, start, action, answered, packets, bytes,
              src_private, dst_private
         FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM cand)) CROSS JOIN flows_t
        WHERE resp = 0 AND dstport IS NOT NULL
          AND (src, protocol, dstport) IN (SELECT src, protocol, dstport FROM cand)),
w AS (SELECT src, protocol, dstport,
             addr_breadth(dst) OVER (PARTITION BY src, protocol, dstport
               ORDER BY start * 1.0 / (SELECT win FROM tun)
               RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS breadth
        FROM ca),
peak AS (SELECT src, protocol, dstport, max(breadth) AS peak FROM w GROUP BY 1, 2, 3),
s AS (SELECT src, protocol, dstport, addr_breadth(dst) AS hosts, count(*) AS attempts,
             sum(answered) AS answered, avg(action = 'REJECT' OR answered = 0) AS failed,
             avg(packets <= 2 AND bytes IN (40 * packets, 44 * packets)) AS crafted,
             max(src_private AND dst_private = 0) AS outward, avg(dst_private) AS internal,
             min(start) AS t0, max(start) AS t1
        FROM ca GROUP BY 1, 2, 3),
x AS (SELECT s.*, peak.peak,
             max(0, min(100, 40 + 20 * log10(peak.peak * 1.0 / (SELECT min_hosts FROM tun))
                         + 15 * s.outward + 10 * s.failed + 5 * (s.crafted >= 0.8))) AS score
        FROM s JOIN peak USING (src, protocol, dstport)
       WHERE peak.peak >= (SELECT min_hosts FROM tun))
SELECT 'port_sweep' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       src, NULL AS dst, dstport AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%s/%d tried on %d %s hosts in %s (peak %d per %d s), %d answered, %d%% failed; %d%% of probes crafted 40/44-byte SYNs',
              protocol_name(protocol), dstport, hosts,
              CASE WHEN internal = 1 THEN 'internal' WHEN internal = 0 THEN 'internet' ELSE 'internal+internet' END,
              CASE WHEN t1 - t0 < 120 THEN (t1 - t0) || ' s' WHEN t1 - t0 < 7200
                   THEN ((t1 - t0 + 30) / 60) || ' min' ELSE printf('%.1f h', (t1 - t0) / 3600.0) END,
              peak, (SELECT win FROM tun), answered, CAST(round(100 * failed) AS INTEGER),
              CAST(round(100 * crafted) AS INTEGER)) AS evidence
  FROM x;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_port_sweep.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_port_sweep
 ORDER BY score DESC;
