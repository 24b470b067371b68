-- trust_boundary.sql - internal flows between zones the policy does not allow.
--
-- Question   Which internal connections crossed from one network zone to
--            another on a port the user's zone policy does not allow - and
--            which of them were ACCEPTed (the security groups are wrong)?
-- ATT&CK     TA0008 Lateral Movement, T1599 Network Boundary Bridging;
--            also policy drift.
-- Needs      TEMP tables (or views) created before this file runs:
--              zones(cidr TEXT, zone TEXT)             the most specific CIDR wins
--              allowed(src_zone TEXT, dst_zone TEXT, port INTEGER)
--                                                      '*' = any zone, port NULL = any port
--            Traffic inside one zone is allowed. Without the tables the
--            detection prints a note and returns no rows.
-- Reads      flows_t (traffic, sql/summaries.sql); attempts (resp = 0) between
--            private addresses, counted once (both-ENI copies removed), as
--            summarised per (src, dst, protocol, port) in att_port
--            (sql/summaries.sql).
-- Gate       any attempt whose (src zone, dst zone, port) matches no allowed row.
-- Score      35 + 30 if any was ACCEPTed + 5 * log10(1 + attempts) capped at 15
--            + 10 if it reached the destination zone on >= 1 port but is refused on
--            others (probing), clamped 0..100; one row per (src, dst).
-- Tunables   the policy tables.
-- v2 / v3+   identical.
-- False positives  an incomplete policy (every finding is either an attack or a
--            missing allowed row), addresses outside every zone (reported as zone '?').

.read sql/prepare.sql
.read sql/summaries.sql

SELECT 'trust_boundary skipped: create TEMP tables zones(cidr, zone) and allowed(src_zone, dst_zone, port) first' AS note
 WHERE (SELECT v FROM vpcflow_state WHERE k = 'zones_given') = 0
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet');

CREATE TEMP VIEW IF NOT EXISTS det_trust_boundary AS
WITH
z AS (SELECT cidr, zone, CAST(substr(cidr, instr(cidr, '/') + 1) AS INTEGER) AS len FROM zones),
-- attempts summarised per (src, dst, protocol, port) in att_port
addrs AS (SELECT src AS a FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM zones)) CROSS JOIN att_port WHERE src_private = 1
          UNION SELECT dst FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM zones)) CROSS JOIN att_port WHERE dst_private),
az AS (SELECT a, (SELECT zone FROM z WHERE ip_in_cidr(addrs.a, z.cidr) ORDER BY len DESC LIMIT 1) AS zone
         FROM addrs),
a AS (SELECT f.src, f.dst, f.dstport, f.protocol, f.n, f.accepted AS n_acc, f.acc_answered, f.t0, f.t1,
             coalesce(s.zone, '?') AS sz, coalesce(d.zone, '?') AS dz
        FROM att_port AS f JOIN az AS s ON s.a = f.src JOIN az AS d ON d.a = f.dst
       WHERE f.src_private AND f.dst_private AND f.src <> f.dst
         AND EXISTS (SELECT 1 FROM zones)),
v AS MATERIALIZED (SELECT * FROM a WHERE sz <> dz
        AND NOT EXISTS (SELECT 1 FROM allowed AS p
                         WHERE (p.src_zone = a.sz OR p.src_zone = '*')
                           AND (p.dst_zone = a.dz OR p.dst_zone = '*')
                           AND (p.port IS NULL OR p.port = a.dstport))),
s AS (SELECT src, dst, sz, dz, sum(n) AS n, sum(acc_answered) AS accepted,
             port_breadth(dstport) AS ports, min(t0) AS t0, max(t1) AS t1
        FROM v GROUP BY src, dst),
-- the first 8 accepted ports of each pair, ascending, once for all pairs
ap AS MATERIALIZED (
        SELECT src, dst, max(l) AS acc_ports
          FROM (SELECT src, dst, group_concat(p, ',') OVER (PARTITION BY src, dst ORDER BY p
                       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l
                  FROM (SELECT src, dst, p, row_number() OVER (PARTITION BY src, dst ORDER BY p) AS k
                          FROM (SELECT DISTINCT src, dst, dstport AS p FROM v WHERE n_acc > 0))
                 WHERE k <= 8)
         GROUP BY src, dst),
x AS (SELECT s.*, (SELECT acc_ports FROM ap WHERE ap.src = s.src AND ap.dst = s.dst) AS acc_ports,
             max(0, min(100, 35 + 30 * (accepted > 0) + min(15, 5 * log10(1 + n))
                              + 10 * (accepted > 0 AND accepted < n))) AS score
        FROM s)
SELECT 'trust_boundary' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, CASE WHEN ports = 1 THEN (SELECT dstport FROM v WHERE v.src = x.src AND v.dst = x.dst
                                             AND v.dstport IS NOT NULL LIMIT 1) END AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%s (%s) -> %s (%s): %d attempts on %d port(s) not allowed by the zone policy, %d accepted%s',
              src, sz, dst, dz, n, ports, accepted,
              CASE WHEN accepted > 0 THEN ' on ' || acc_ports || ': a security group lets it through'
                   ELSE ', all refused' END) AS evidence
  FROM x;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_trust_boundary.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_trust_boundary
 ORDER BY score DESC;
