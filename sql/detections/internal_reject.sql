-- internal_reject.sql - refused traffic that starts INSIDE the VPC.
--
-- Question   Which of our own hosts is being refused by security groups or
--            NACLs - a compromised host probing, rather than internet noise?
-- ATT&CK     T1046 Network Service Discovery, T1018 Remote System Discovery
--            (from a foothold); also misconfiguration.
-- Reads      flows_t (traffic, sql/summaries.sql); attempts (resp = 0) from a
--            private source with action = 'REJECT' (refused at the receiver's
--            ENI or by the sender's own egress rules; each flow once).
-- Gate       >= internal_reject.min_rejects (10) refused attempts in total and
--            >= internal_reject.min_peak (5) in the busiest 10 minutes: a steady
--            refused health check every 5 minutes is configuration, not probing.
-- Score      30 + 15 * log10(peak refused attempts in 10 min / 5)
--            + 8 * log10(distinct (dst, port) targets), clamped 0..100: a burst
--            against many targets ranks above a steady refused health check
--            (Splunk's blocked-outbound spike and Sumo's "Excessive
--            Outbound Firewall Blocks" 500 / 5 min are the volume anchors).
-- Tunables   internal_reject.min_rejects 10, internal_reject.min_peak 5.
-- v2 / v3+   identical.
-- False positives  a health check or agent aimed at a blocked port (steady,
--            one target: low score), SG/NACL rollouts, retry storms after an
--            outage, NACLs refusing return traffic on ephemeral ports.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_internal_reject AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'internal_reject.min_rejects') AS min_rej,
               max(value) FILTER (WHERE name = 'internal_reject.min_peak') AS min_peak
          FROM vpcflow_tun),
a AS (SELECT src, dst, dstport, protocol, start, dst_private FROM flows_t
       WHERE resp = 0 AND src_private = 1 AND action = 'REJECT'),
-- b and top are MATERIALIZED: read by a subquery per source, they would
-- otherwise be recomputed (grouped and sorted again) for every source. The
-- top three are listed in text order (ORDER BY t), the order in which the
-- automatic index on top has always handed them to group_concat.
b AS MATERIALIZED (SELECT src, start / 600 AS k, count(*) AS n FROM a GROUP BY 1, 2),
s AS (SELECT src, count(*) AS n, count(DISTINCT dst || ':' || coalesce(dstport, '')) AS targets,
             addr_breadth(dst) AS hosts, port_breadth(dstport) AS ports, avg(dst_private) AS internal,
             min(start) AS t0, max(start) AS t1,
             (SELECT max(n) FROM b WHERE b.src = a.src) AS peak
        FROM a GROUP BY src HAVING count(*) >= (SELECT min_rej FROM tun)),
s2 AS (SELECT * FROM s WHERE peak >= (SELECT min_peak FROM tun)),
top AS MATERIALIZED (SELECT src, dst || ':' || coalesce(dstport, '-') AS t, count(*) AS n,
               row_number() OVER (PARTITION BY src ORDER BY count(*) DESC, dst, dstport) AS k
          FROM a GROUP BY src, dst, dstport),
x AS (SELECT s.*, (SELECT group_concat(t, ', ') FROM (SELECT t FROM top WHERE top.src = s.src AND top.k <= 3 ORDER BY t)) AS top3,
             max(0, min(100, 30 + 15 * log10(peak / 5.0) + 8 * log10(targets))) AS score
        FROM s2 AS s)
SELECT 'internal_reject' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       src, CASE WHEN hosts = 1 THEN (SELECT dst FROM a WHERE a.src = x.src LIMIT 1) END AS dst,
       CASE WHEN ports = 1 THEN (SELECT dstport FROM a WHERE a.src = x.src LIMIT 1) END AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%d refused attempts from %s to %d hosts / %d ports (%d%% internal), peak %d in 10 min; top: %s',
              n, src, hosts, ports, CAST(round(100 * internal) AS INTEGER), peak, top3) AS evidence
  FROM x;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_internal_reject.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_internal_reject
 ORDER BY score DESC;
