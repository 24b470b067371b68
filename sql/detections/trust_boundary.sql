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

-- HOW IT WORKS (one sort of the crossing attempts per (src, dst), one of
-- their accepted ports; the zones are looked up once per address):
--   az   each private address of the traffic (vpcflow_addresses,
--        ext/day_addrs.c: a list kept by the day, where a UNION over
--        att_port's rows cost ~2 s at 10 M records), with its zone (the
--        most specific CIDR that holds it); v joins only the addresses of
--        attempts between two private addresses;
--   v    those attempts with both zones, where the zones differ and no
--        allowed row covers (src zone, dst zone, port) (src_private = 1
--        AND dst_private = 1, not their truth value: att_port's scan
--        skips the other rows itself, ext/day_summary.c);
--   s    v per (src, dst): attempts, accepted, distinct ports, first and
--        last start; `port` when there is one port (every non-NULL dstport
--        of the pair is that port, so min() is it);
--   ap   each pair's accepted ports, distinct, ascending: the row of the
--        lowest port carries the first 8 (a window frame of it and the 7
--        after it), so no GROUP BY is needed.
CREATE TEMP VIEW IF NOT EXISTS det_trust_boundary AS
WITH
z AS (SELECT cidr, zone, CAST(substr(cidr, instr(cidr, '/') + 1) AS INTEGER) AS len FROM zones),
addrs AS (SELECT addr AS a FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM zones)) CROSS JOIN vpcflow_addresses
           WHERE private = 1),
az AS MATERIALIZED (SELECT a, coalesce((SELECT zone FROM z WHERE ip_in_cidr(addrs.a, z.cidr)
                                         ORDER BY len DESC LIMIT 1), '?') AS zone
                      FROM addrs),
v AS MATERIALIZED (
        SELECT f.src, f.dst, f.dstport, f.n, f.accepted AS n_acc, f.acc_answered, f.t0, f.t1,
               s.zone AS sz, d.zone AS dz
          FROM att_port AS f JOIN az AS s ON s.a = f.src JOIN az AS d ON d.a = f.dst
         WHERE f.src_private = 1 AND f.dst_private = 1 AND f.src <> f.dst AND s.zone <> d.zone
           AND NOT EXISTS (SELECT 1 FROM allowed AS p
                            WHERE (p.src_zone = s.zone OR p.src_zone = '*')
                              AND (p.dst_zone = d.zone OR p.dst_zone = '*')
                              AND (p.port IS NULL OR p.port = f.dstport))),
s AS (SELECT src, dst, sz, dz, sum(n) AS n, sum(acc_answered) AS accepted,
             port_breadth(dstport) AS ports, min(dstport) AS port1, min(t0) AS t0, max(t1) AS t1
        FROM v GROUP BY src, dst),
ap AS MATERIALIZED (
        SELECT src, dst, l AS acc_ports
          FROM (SELECT src, dst, row_number() OVER w AS k,
                       group_concat(p, ',') OVER (w ROWS BETWEEN CURRENT ROW AND 7 FOLLOWING) AS l
                  FROM (SELECT DISTINCT src, dst, dstport AS p FROM v WHERE n_acc > 0)
                WINDOW w AS (PARTITION BY src, dst ORDER BY p))
         WHERE k = 1),
x AS (SELECT s.*, (SELECT acc_ports FROM ap WHERE ap.src = s.src AND ap.dst = s.dst) AS acc_ports,
             max(0, min(100, 35 + 30 * (accepted > 0) + min(15, 5 * log10(1 + n))
                              + 10 * (accepted > 0 AND accepted < n))) AS score
        FROM s)
SELECT 'trust_boundary' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       src, dst, CASE WHEN ports = 1 THEN port1 END AS port,
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
