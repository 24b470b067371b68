-- new_destination (Athena) - our host contacts an internet peer it never
-- contacted in the baseline. Same question, score, output columns and
-- evidence as sql/detections/new_destination.sql (read its header for
-- the why).
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
WITH
tun AS (SELECT (SELECT cut FROM vpcflow_span) AS cut, 20 AS fanout),
hp AS (SELECT src AS host, dst AS peer, min(t0) AS first FROM pair
        WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL GROUP BY src, dst),
newp AS (SELECT host, peer FROM hp WHERE first >= (SELECT cut FROM tun)),
active AS (SELECT DISTINCT f.src AS host FROM flows_t AS f
            WHERE f.src_private = 1 AND f.start < (SELECT cut FROM tun)
              AND f.src IN (SELECT host FROM newp)),
o AS (SELECT f.src AS host, f.dst AS peer, CASE WHEN f.protocol IN (6, 17) THEN f.dstport END AS port,
             f.protocol, f.bytes, f.start, f."end", f.answered, f.conn_start, f.resp
        FROM flows_t AS f JOIN newp ON newp.host = f.src AND newp.peer = f.dst
       WHERE f.src_private = 1 AND f.dst_private = 0 AND f.dst_service IS NULL),
-- one row per (host, peer); port and protocol of an arbitrary record of
-- the pair, as SQLite's bare columns in the local GROUP BY host, peer
np AS (SELECT o.host, o.peer, arbitrary(o.port) AS port, arbitrary(o.protocol) AS protocol,
              sum(o.bytes) AS b, max(o.answered) AS answered,
              greatest(1, sum(o.conn_start)) AS conns, min(o.start) AS t0, max(o."end") AS t1,
              max(CASE WHEN o.resp = 0 THEN 1 ELSE 0 END) AS opened
         FROM o WHERE o.host IN (SELECT host FROM active)
        GROUP BY o.host, o.peer),
np2 AS (SELECT * FROM np WHERE opened = 1),
fan AS (SELECT host, port, protocol, count(*) AS n FROM np2 GROUP BY host, port, protocol),
g AS (SELECT np2.host, CASE WHEN fan.n > (SELECT fanout FROM tun) THEN NULL ELSE np2.peer END AS peer,
             np2.port, np2.protocol, fan.n AS peers, sum(b) AS b, max(answered) AS answered,
             sum(conns) AS conns, min(t0) AS t0, max(t1) AS t1
        FROM np2 JOIN fan ON fan.host = np2.host AND fan.port IS NOT DISTINCT FROM np2.port
                         AND fan.protocol = np2.protocol
       GROUP BY np2.host, CASE WHEN fan.n > (SELECT fanout FROM tun) THEN NULL ELSE np2.peer END,
                np2.port, np2.protocol, fan.n),
-- a few contacts with ordinary volumes stay below medium
x AS (SELECT g.*, least(CASE WHEN peer IS NULL OR b >= 1e6 OR conns >= 50 THEN 100 ELSE 39 END,
                        greatest(0, least(100, 25 + 12 * log10(1 + b / 1e6) + 10 * answered + 5 * log10(1 + conns)))) AS score
        FROM g)
SELECT 'new_destination' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       host AS src, peer AS dst, port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%s first contacted %s%s at %s (never before %s): %d connection(s), %.1f MB sent%s',
              host, CASE WHEN peer IS NULL THEN CAST(peers AS varchar) || ' new internet hosts' ELSE peer END,
              CASE WHEN x.protocol IN (6, 17) THEN format(' on %s/%d', coalesce(pn.name, ''), port)
                   ELSE ' (' || coalesce(pn.name, '') || ')' END,
              date_format(from_unixtime(t0, 'UTC'), '%H:%i'),
              date_format(from_unixtime((SELECT cut FROM tun), 'UTC'), '%H:%i'),
              conns, b / 1e6, CASE WHEN answered = 1 THEN '' ELSE ', never answered' END) AS evidence
  FROM x LEFT JOIN vpcflow_protocol AS pn ON pn.protocol = x.protocol
 ORDER BY score DESC
