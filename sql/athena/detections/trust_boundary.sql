-- trust_boundary (Athena) - internal flows between zones that the zone
-- policy does not allow (views zones and allowed, see user_tables.sql).
-- Same question, gate, score, output columns and evidence as
-- sql/detections/trust_boundary.sql (read its header for the why).
--
-- HOW TO RUN  Create the views of prepare.sql first (its header: the DDL
-- from vpcflow_athena_ddl(), the days in vpcflow_days, which is where the
-- partition filter on dt lives). Then run this SELECT in an Athena engine
-- version 3 workgroup. Tunables: the literals of the tun CTE.
--
-- DIFFERENCES FROM THE LOCAL VERSION (what Trino forces)
-- * printf() becomes format() (Java's formatter: %.1f rounds half-up on
--   the decimal value, C's printf on the binary one; a x.x5 case can
--   differ in the last digit), strftime() becomes date_format() in UTC.
-- * ip_in_cidr(a, cidr) becomes contains(cidr, CAST(a AS IPADDRESS)); the
--   most specific zone wins (ties between two zones of one length: either,
--   as locally).
-- * port_breadth() becomes count(DISTINCT dstport).
-- * Without the policy views the local file prints a note; here the empty
--   views of user_tables.sql give no rows.
WITH
z AS (SELECT cidr, zone, CAST(substr(cidr, strpos(cidr, '/') + 1) AS integer) AS len FROM zones),
addrs AS (SELECT src AS a FROM att_port WHERE src_private = 1 AND EXISTS (SELECT 1 FROM zones)
          UNION SELECT dst FROM att_port WHERE dst_private = 1 AND EXISTS (SELECT 1 FROM zones)),
azr AS (SELECT addrs.a, z.zone, row_number() OVER (PARTITION BY addrs.a ORDER BY z.len DESC) AS k
          FROM addrs JOIN z ON contains(z.cidr, TRY_CAST(addrs.a AS IPADDRESS))),
az AS (SELECT addrs.a, azr.zone FROM addrs LEFT JOIN azr ON azr.a = addrs.a AND azr.k = 1),
a AS (SELECT f.src, f.dst, f.dstport, f.protocol, f.n, f.accepted AS n_acc, f.acc_answered, f.t0, f.t1,
             coalesce(s.zone, '?') AS sz, coalesce(d.zone, '?') AS dz
        FROM att_port AS f JOIN az AS s ON s.a = f.src JOIN az AS d ON d.a = f.dst
       WHERE f.src_private = 1 AND f.dst_private = 1 AND f.src <> f.dst),
v AS (SELECT * FROM a WHERE sz <> dz
        AND NOT EXISTS (SELECT 1 FROM allowed AS p
                         WHERE (p.src_zone = a.sz OR p.src_zone = '*')
                           AND (p.dst_zone = a.dz OR p.dst_zone = '*')
                           AND (p.port IS NULL OR p.port = a.dstport))),
s AS (SELECT src, dst, arbitrary(sz) AS sz, arbitrary(dz) AS dz, sum(n) AS n, sum(acc_answered) AS accepted,
             count(DISTINCT dstport) AS ports, min(t0) AS t0, max(t1) AS t1,
             arbitrary(dstport) FILTER (WHERE dstport IS NOT NULL) AS one_port,
             -- the first 8 accepted ports of the pair, ascending
             array_join(slice(array_sort(array_distinct(array_agg(dstport) FILTER (WHERE n_acc > 0 AND dstport IS NOT NULL))), 1, 8), ',') AS acc_ports
        FROM v GROUP BY src, dst),
x AS (SELECT s.*,
             greatest(0, least(100, 35 + 30 * (CASE WHEN accepted > 0 THEN 1 ELSE 0 END) + least(15, 5 * log10(1 + n))
                                  + 10 * (CASE WHEN accepted > 0 AND accepted < n THEN 1 ELSE 0 END))) AS score
        FROM s)
SELECT 'trust_boundary' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, CASE WHEN ports = 1 THEN one_port END AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%s (%s) -> %s (%s): %d attempts on %d port(s) not allowed by the zone policy, %d accepted%s',
              src, sz, dst, dz, n, ports, accepted,
              CASE WHEN accepted > 0 THEN ' on ' || acc_ports || ': a security group lets it through'
                   ELSE ', all refused' END) AS evidence
  FROM x
 ORDER BY score DESC
