-- lateral_movement.sql - a host fanning out to new internal hosts on admin ports.
--
-- Question   Which host inside the VPC suddenly contacted many internal hosts on
--            remote-administration ports it had never used with them before?
-- ATT&CK     TA0008 Lateral Movement: T1021 Remote Services (.001 RDP, .002 SMB,
--            .004 SSH, .006 WinRM).
-- Reads      flows_t (traffic, sql/summaries.sql); attempts (resp = 0) from a
--            private source to a private destination on lateral_movement.ports,
--            as summarised per (src, dst, protocol, port) in att_port
--            (sql/summaries.sql).
-- Baseline   the first half of the data's time span (tunable
--            baseline_fraction in prepare.sql): an edge (src, dst, port) seen
--            there is old. Jump hosts, patch, backup and AD servers have old
--            edges, which is what removes them.
-- Gate       >= lateral_movement.min_new_hosts (5) internal destinations
--            reached over NEW edges within one hour (our default; Sumo Logic's
--            first-seen SMB rule uses a 35-day baseline, Splunk >= 250
--            hosts / 1 h for horizontal scans).
-- Score      40 + 25 * log10(new hosts / min_new_hosts) + 15 * rejected or
--            unanswered share + 10 if >= 3 different admin ports, clamped 0..100.
-- Tunables   lateral_movement.min_new_hosts 5,
--            lateral_movement.ports '21,22,23,135,139,445,3389,5900,5985,5986'.
-- v2 / v3+   identical; both-ENI duplicates are counted once either way.
-- False positives  a new jump host or vulnerability scanner, a patch server's
--            first run, a new deployment that lands inside the analysis window
--            (widen the data so that their edges fall in the baseline).

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_lateral_movement AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'lateral_movement.min_new_hosts') AS min_new,
               ',' || max(value) FILTER (WHERE name = 'lateral_movement.ports') || ',' AS ports,
               (SELECT cut FROM vpcflow_span) AS cut
          FROM vpcflow_tun),
edge AS (SELECT src, dst, dstport, min(t0) AS first, sum(n) AS n,
                sum(failed) * 1.0 / sum(n_failed) AS failed
           FROM att_port
          WHERE src_private = 1 AND dst_private = 1 AND src <> dst
            AND instr((SELECT ports FROM tun), ',' || dstport || ',') > 0
          GROUP BY 1, 2, 3),
new AS (SELECT * FROM edge WHERE first >= (SELECT cut FROM tun)),
w AS MATERIALIZED (SELECT src, first,
             addr_breadth(dst) OVER (PARTITION BY src ORDER BY first
               RANGE BETWEEN 3600 PRECEDING AND CURRENT ROW) AS breadth
        FROM new),
-- each source's new ports, ascending (a window keeps that order), once for
-- all sources rather than a scan of every new edge per source
pl AS MATERIALIZED (
        SELECT src, max(l) AS port_list
          FROM (SELECT src, group_concat(dstport, ',') OVER (PARTITION BY src ORDER BY dstport
                       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l
                  FROM (SELECT DISTINCT src, dstport FROM new))
         GROUP BY src),
s AS (SELECT src, count(*) AS edges, addr_breadth(dst) AS hosts, port_breadth(dstport) AS ports,
             avg(failed) AS failed, min(first) AS t0, max(first) AS t1
        FROM new GROUP BY src),
x AS (SELECT s.*, (SELECT port_list FROM pl WHERE pl.src = s.src) AS port_list,
             (SELECT max(breadth) FROM w WHERE w.src = s.src) AS peak,
             (SELECT count(*) FROM edge AS e WHERE e.src = s.src AND e.first < (SELECT cut FROM tun)) AS old_edges
        FROM s),
y AS (SELECT x.*, max(0, min(100, 40 + 25 * log10(peak * 1.0 / (SELECT min_new FROM tun))
                              + 15 * failed + 10 * (ports >= 3))) AS score
        FROM x WHERE peak >= (SELECT min_new FROM tun))
SELECT 'lateral_movement' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       src, NULL AS dst, CASE WHEN ports = 1 THEN CAST(port_list AS INTEGER) END AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%d new admin-port edges from %s to %d internal hosts in %s (ports %s), %d%% refused or unanswered; %d edges in the baseline before %s',
              edges, src, hosts,
              CASE WHEN t1 - t0 < 120 THEN (t1 - t0) || ' s' WHEN t1 - t0 < 7200
                   THEN ((t1 - t0 + 30) / 60) || ' min' ELSE printf('%.1f h', (t1 - t0) / 3600.0) END,
              port_list, CAST(round(100 * failed) AS INTEGER), old_edges,
              strftime('%H:%M', (SELECT cut FROM tun), 'unixepoch')) AS evidence
  FROM y;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_lateral_movement.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_lateral_movement
 ORDER BY score DESC;
