-- unusual_port (Athena) - our host talks to an internet server port it
-- never used in the baseline. Same question, score, output columns and
-- evidence as sql/detections/unusual_port.sql (read its header for the
-- why).
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
-- * addr_breadth(dst) becomes count(DISTINCT dst).
-- * "nobody used it before" keeps the local NOT IN semantics with NULLs
--   (spelled out the same way, as EXISTS tests).
WITH
tun AS (SELECT (SELECT cut FROM vpcflow_span) AS cut),
a AS (SELECT src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport ELSE 0 END AS port,
             n, n_action, rejected, answered_max, conns, t0, t1
        FROM att_port WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL),
sp AS (SELECT src, protocol, port, min(t0) AS t0, max(t1) AS t1, greatest(1, sum(conns)) AS n,
              count(DISTINCT dst) AS hosts, min(dst) AS one_dst, max(answered_max) AS answered,
              sum(rejected) * 1e0 / sum(n_action) AS rejected
         FROM a GROUP BY src, protocol, port),
known AS (SELECT DISTINCT protocol, port FROM a WHERE t0 < (SELECT cut FROM tun)),
x AS (SELECT sp.*,
             CASE WHEN EXISTS (SELECT 1 FROM known AS k WHERE k.protocol = sp.protocol AND k.port = sp.port) THEN 0
                  WHEN sp.protocol IS NULL OR sp.port IS NULL THEN
                       CASE WHEN EXISTS (SELECT 1 FROM known AS k
                                          WHERE (k.protocol = sp.protocol OR k.protocol IS NULL OR sp.protocol IS NULL)
                                            AND (k.port = sp.port OR k.port IS NULL OR sp.port IS NULL))
                            THEN NULL ELSE 1 END
                  WHEN EXISTS (SELECT 1 FROM known AS k WHERE (k.protocol IS NULL OR k.port IS NULL)
                                                          AND (k.protocol = sp.protocol OR k.protocol IS NULL)
                                                          AND (k.port = sp.port OR k.port IS NULL)) THEN NULL
                  ELSE 1 END AS nobody,
             CASE WHEN protocol = 6 AND port IN (25, 465, 587) THEN 1 ELSE 0 END AS smtp
        FROM sp WHERE t0 >= (SELECT cut FROM tun)),
-- bytes the host sent to the port's one destination (any port)
vol AS (SELECT p.src, p.dst, sum(p.bytes) AS b FROM pair AS p
         WHERE p.src_private = 1 AND p.dst_private = 0
           AND EXISTS (SELECT 1 FROM x WHERE x.hosts = 1 AND x.src = p.src AND x.one_dst = p.dst)
         GROUP BY p.src, p.dst),
-- a host's first use of a port others use stays below medium unless it is
-- mail, >= 1 MB or >= 50 connections
y AS (SELECT x.*, coalesce(vol.b, 0) AS b,
             least(CASE WHEN nobody = 1 OR smtp = 1 OR coalesce(vol.b, 0) >= 1e6 OR n >= 50 THEN 100 ELSE 39 END,
                   greatest(0, least(100, 30 + 15 * smtp + 10 * nobody + 8 * log10(n) + 5 * log10(1 + hosts)
                                          + 5 * answered + 8 * log10(1 + coalesce(vol.b, 0) / 1e6)))) AS score
        FROM x LEFT JOIN vol ON x.hosts = 1 AND vol.src = x.src AND vol.dst = x.one_dst)
SELECT 'unusual_port' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, CASE WHEN hosts = 1 THEN one_dst END AS dst, CASE WHEN y.protocol IN (6, 17) THEN port END AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%s first used %s%s at %s: %d connections to %d internet hosts, %d%% refused%s%s%s',
              src, coalesce(pn.name, ''), CASE WHEN y.protocol IN (6, 17) THEN '/' || CAST(port AS varchar) ELSE '' END,
              date_format(from_unixtime(t0, 'UTC'), '%H:%i'), n, hosts, CAST(round(100 * rejected) AS bigint),
              CASE WHEN b >= 1e6 THEN format('; %.1f MB sent to it', b / 1e6) ELSE '' END,
              CASE WHEN nobody = 1 THEN '; no host used it before ' ||
                        date_format(from_unixtime((SELECT cut FROM tun), 'UTC'), '%H:%i')
                   ELSE '' END,
              CASE WHEN smtp = 1 THEN '; outbound mail from a non-mail host (spambot?)' ELSE '' END) AS evidence
  FROM y LEFT JOIN vpcflow_protocol AS pn ON pn.protocol = y.protocol
 ORDER BY score DESC
