-- brute_force.sql - password guessing over SSH, RDP and WinRM.
--
-- Question   Which source opened many short, login-sized connections to one
--            host's SSH/RDP/WinRM port in a few minutes?
-- ATT&CK     T1110 Brute Force (T1110.001 Password Guessing). GuardDuty:
--            UnauthorizedAccess:EC2/SSHBruteForce, RDPBruteForce,
--            Impact:EC2/WinRMBruteForce (Low as target, High as actor).
-- Reads      flows_t (traffic, sql/summaries.sql); connection starts
--            (conn_start = 1, resp = 0) to ports brute_force.ports.
-- Gate       >= brute_force.min_attempts (25) attempts per (src, dst, port) in
--            one 5-minute bucket (Microsoft Sentinel's AWSVPCFlow rule "Remote
--            Desktop Network Brute force": >= 25 / 5 min) AND >= 50 % of the
--            attempts login-shaped: SSH 11-51 packets per flow (a login
--            attempt for SSHCure, Hellemons et al., AIMS 2012), other ports
--            < 20 KB per flow. Bulk copies (scp, rsync, CI deploys) move far
--            more and are not login-shaped.
-- Score      35 + 20 * log10(peak attempts per 5 min / min_attempts)
--            + 20 * login-shaped share + 20 if our host is the actor
--            (GuardDuty High) + 10 if the actor is inside and the target on
--            the internet, clamped 0..100.
-- Tunables   brute_force.min_attempts 25, brute_force.ports '22,3389,5985,5986'.
-- v2 / v3+   v2 counts connection starts by new 5-tuples; v3+ by SYN flags.
-- False positives  configuration management (Ansible), CI deploys, bastions,
--            monitoring SSH checks: all far below 25 login-sized connections per
--            5 minutes to one host, or not login-shaped.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_brute_force AS
WITH RECURSIVE
tun AS (SELECT max(value) FILTER (WHERE name = 'brute_force.min_attempts') AS min_att,
               ',' || max(value) FILTER (WHERE name = 'brute_force.ports') || ',' AS ports
          FROM vpcflow_tun),
-- the items of the ports list as integers: a port the instr() test below
-- accepts is the text of one item, so dstport IN (these) keeps every such
-- record, and vpcflow_traffic applies that IN in C (sql/README.md
-- "Filters in C"); instr() still decides
item(p, rest) AS (SELECT NULL, substr(ports, 2) FROM tun
                  UNION ALL
                  SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
                    FROM item WHERE instr(rest, ',') > 0),
a AS (SELECT src, dst, dstport, start, packets, bytes, action, src_private, dst_private,
             CASE WHEN dstport = 22 THEN packets BETWEEN 11 AND 51 ELSE bytes < 20000 END AS login
        FROM flows_t
       WHERE resp = 0 AND conn_start = 1 AND protocol = 6
         AND dstport IN (SELECT CAST(p AS INTEGER) FROM item WHERE p IS NOT NULL)
         AND instr((SELECT ports FROM tun), ',' || dstport || ',') > 0),
b AS (SELECT src, dst, dstport, start / 300 AS bucket, count(*) AS n FROM a GROUP BY 1, 2, 3, 4),
pk AS (SELECT src, dst, dstport, max(n) AS peak FROM b GROUP BY 1, 2, 3),
s AS (SELECT src, dst, dstport, count(*) AS attempts, avg(login) AS login_share,
             avg(action = 'REJECT') AS rejected, avg(packets) AS ppf, avg(bytes) AS bpf,
             max(src_private) AS actor, max(src_private AND dst_private = 0) AS outward,
             min(start) AS t0, max(start) AS t1
        FROM a GROUP BY 1, 2, 3),
x AS (SELECT s.*, pk.peak,
             max(0, min(100, 35 + 20 * log10(pk.peak * 1.0 / (SELECT min_att FROM tun))
                         + 20 * s.login_share + 20 * s.actor + 10 * s.outward)) AS score
        FROM s JOIN pk USING (src, dst, dstport)
       WHERE pk.peak >= (SELECT min_att FROM tun) AND s.login_share >= 0.5)
SELECT 'brute_force' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       src, dst, dstport AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%d %s attempts from %s on %s in %s (peak %d per 5 min), %d%% login-sized, %.0f packets / %.0f B per attempt, %d%% rejected%s',
              attempts, CASE dstport WHEN 22 THEN 'SSH' WHEN 3389 THEN 'RDP' ELSE 'WinRM' END,
              src, dst,
              CASE WHEN t1 - t0 < 120 THEN (t1 - t0) || ' s' WHEN t1 - t0 < 7200
                   THEN ((t1 - t0 + 30) / 60) || ' min' ELSE printf('%.1f h', (t1 - t0) / 3600.0) END,
              peak, CAST(round(100 * login_share) AS INTEGER), ppf, bpf,
              CAST(round(100 * rejected) AS INTEGER),
              CASE WHEN actor THEN '; our host is the attacker' ELSE '' END) AS evidence
  FROM x;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_brute_force.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_brute_force
 ORDER BY score DESC;
