-- exposed_service (Athena) - a port of our host that the internet reaches
-- (accepted and answered), above all one a scanner found. Same question,
-- gate, score, output columns and evidence as
-- sql/detections/exposed_service.sql (read its header for the why).
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
-- * port_breadth()/addr_breadth() become count(DISTINCT ...) (the same
--   count on flow logs: AWS writes one spelling per address).
-- * The scanner list (src): locally group_concat(DISTINCT) in scan order;
--   here the distinct scanners sorted (same set, maybe another order).
-- * The public-port list is an ARRAY (contains()).
WITH
tun AS (SELECT 10 AS scan_ports, 0.5e0 AS min_open, ARRAY[80, 443] AS public_ports),
scanner AS (SELECT src FROM att_port WHERE src_private = 0 AND dst_private = 1 AND dstport IS NOT NULL
             GROUP BY src
             HAVING count(DISTINCT dstport) >= (SELECT scan_ports FROM tun)
                AND sum(rejected) * 1e0 / sum(n_action) >= 0.8),
okc AS (SELECT src, dst, srcport, dstport, protocol, start FROM flows_t
         WHERE resp = 0 AND src_private = 0 AND dst_private = 1 AND dstport IS NOT NULL
           AND action = 'ACCEPT' AND answered = 1),
rev AS (SELECT f.src, f.dst, f.srcport, f.dstport, f.protocol, f.start FROM flows_t AS f
         WHERE f.src_private = 1 AND f.dst_private = 0
           AND (f.protocol <> 6 OR f.tcp_flags IS NULL OR bitwise_and(f.tcp_flags, 18) = 18)),
ok AS (SELECT okc.*, CASE WHEN okc.src IN (SELECT src FROM scanner) THEN 1 ELSE 0 END AS by_scanner FROM okc
        WHERE EXISTS (SELECT 1 FROM rev AS r
                       WHERE r.src = okc.dst AND r.dst = okc.src AND r.srcport = okc.dstport
                         AND r.dstport = okc.srcport AND r.protocol = okc.protocol
                         AND r.start BETWEEN okc.start - 120 AND okc.start + 120)),
tried AS (SELECT dst, dstport, protocol, count(DISTINCT src) AS sources FROM att_port
           WHERE src_private = 0 AND dst_private = 1 AND dstport IS NOT NULL GROUP BY dst, dstport, protocol),
acc AS (SELECT dst, dstport, protocol, count(DISTINCT src) AS accepted,
               count(DISTINCT src) FILTER (WHERE by_scanner = 1) AS scanners,
               array_join(array_sort(array_distinct(array_agg(src) FILTER (WHERE by_scanner = 1))), ',') AS scanner_list,
               count(*) AS conns, min(start) AS t0, max(start) AS t1
          FROM ok GROUP BY dst, dstport, protocol),
x AS (SELECT acc.*, tried.sources,
             CASE WHEN acc.dstport IN (21, 22, 23, 135, 139, 445, 1433, 1521, 2375, 2376, 3306, 3389, 5432,
                                       5601, 5900, 5985, 5986, 6379, 6443, 7001, 8888, 9042, 9200, 9300,
                                       10250, 11211, 27017, 50070) THEN 1 ELSE 0 END AS sensitive,
             CASE WHEN contains((SELECT public_ports FROM tun), acc.dstport) THEN 1 ELSE 0 END AS public
        FROM acc JOIN tried ON tried.dst = acc.dst AND tried.dstport = acc.dstport AND tried.protocol = acc.protocol),
y0 AS (SELECT x.*, greatest(0, least(100, 20 + 25 * sensitive + 15 * (CASE WHEN dstport IN (9200, 9300) THEN 1 ELSE 0 END)
                                        + 25 * (CASE WHEN scanners > 0 THEN 1 ELSE 0 END)
                                        + 10 * log10(1 + accepted) - 25 * public)) AS s
         FROM x WHERE scanners > 0 OR accepted * 1e0 / sources >= (SELECT min_open FROM tun)),
-- intended public ports and ICMP stay low; any other exposure is medium at least
y AS (SELECT y0.*, CASE WHEN public = 1 OR protocol IN (1, 58) THEN least(30, s) ELSE greatest(40, s) END AS score
        FROM y0)
SELECT 'exposed_service' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       NULLIF(scanner_list, '') AS src, dst, dstport AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%s/%d on %s accepted %d connections from %d of %d internet sources%s%s',
              coalesce(pn.name, ''), dstport, dst, conns, accepted, sources,
              CASE WHEN scanners > 0 THEN format(', incl. %d scanner(s) refused elsewhere (%s)',
                                                 scanners, scanner_list) ELSE '' END,
              CASE WHEN public = 1 THEN '; listed as a public port'
                   WHEN sensitive = 1 THEN '; sensitive port: restrict the security group' ELSE '' END) AS evidence
  FROM y LEFT JOIN vpcflow_protocol AS pn ON pn.protocol = y.protocol
 ORDER BY score DESC
