-- exfiltration (Athena) - large uploads from our hosts to one internet
-- peer. Same question, gate, score, output columns and evidence as
-- sql/detections/exfiltration.sql (read its header for the why).
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
-- * The ports of the evidence: locally group_concat(DISTINCT port) in the
--   order the records were read (file order, about time order); here the
--   distinct ports in order of their records' start time (ties in no
--   fixed order). The list can come out in another order; its set is the
--   same. pcr() is written out.
WITH
tun AS (SELECT 500000000 AS min_bytes, 0.4e0 AS min_pcr, (SELECT cut FROM vpcflow_span) AS cut),
out_ AS (SELECT src AS host, dst AS peer, sum(bytes) AS out_b, sum(packets) AS pk, min(t0) AS t0, max(t1) AS t1,
                max(dst_service) AS service
           FROM pair WHERE src_private = 1 AND dst_private = 0 GROUP BY src, dst
          HAVING sum(bytes) >= (SELECT min_bytes FROM tun)),
o AS (SELECT f.src AS host, f.dst AS peer, f.start,
             CASE WHEN f.resp = 0 THEN f.dstport ELSE f.srcport END AS p
        FROM flows_t AS f JOIN out_ ON out_.host = f.src AND out_.peer = f.dst
       WHERE f.src_private = 1 AND f.dst_private = 0),
op AS (SELECT host, peer, array_join(array_distinct(array_agg(p ORDER BY start)), ',') AS ports
         FROM o GROUP BY host, peer),
in_ AS (SELECT p.dst AS host, p.src AS peer, sum(p.bytes) AS in_b, max(p.src_service) AS service
          FROM pair AS p JOIN out_ ON out_.host = p.dst AND out_.peer = p.src
         WHERE p.dst_private = 1 AND p.src_private = 0 GROUP BY p.dst, p.src),
old AS (SELECT DISTINCT p.src, p.dst FROM pair AS p
         WHERE p.t0 < (SELECT cut FROM tun)
           AND (EXISTS (SELECT 1 FROM out_ WHERE out_.host = p.src AND out_.peer = p.dst)
                OR EXISTS (SELECT 1 FROM out_ WHERE out_.host = p.dst AND out_.peer = p.src))),
x AS (SELECT out_.*, coalesce(in_.in_b, 0) AS in_b,
             CASE WHEN out_b + coalesce(in_.in_b, 0) = 0 THEN NULL
                  ELSE (out_b - coalesce(in_.in_b, 0)) * 1e0 / (out_b + coalesce(in_.in_b, 0)) END AS ratio,
             op.ports,
             CASE WHEN EXISTS (SELECT 1 FROM old AS b WHERE b.src = out_.host AND b.dst = out_.peer)
                    OR EXISTS (SELECT 1 FROM old AS b WHERE b.src = out_.peer AND b.dst = out_.host)
                  THEN 0 ELSE 1 END AS new_peer
        FROM out_ LEFT JOIN in_ ON in_.host = out_.host AND in_.peer = out_.peer
        LEFT JOIN op ON op.host = out_.host AND op.peer = out_.peer
       WHERE out_.service IS NULL AND in_.service IS NULL),
y AS (SELECT x.*, greatest(0, least(100, 45 + 20 * log10(out_b * 1e0 / (SELECT min_bytes FROM tun))
                                       + 15 * ratio + 10 * new_peer - 35 * (1 - new_peer))) AS score
        FROM x WHERE ratio >= (SELECT min_pcr FROM tun))
SELECT 'exfiltration' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       host AS src, peer AS dst, CASE WHEN ports NOT LIKE '%,%' THEN CAST(ports AS integer) END AS port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       format('%s sent %.2f GB to %s (port %s) in %s and received %.1f MB: PCR %.2f%s',
              host, out_b / 1e9, peer, ports,
              CASE WHEN t1 - t0 < 120 THEN CAST(t1 - t0 AS varchar) || ' s'
                   WHEN t1 - t0 < 7200 THEN CAST((t1 - t0 + 30) / 60 AS varchar) || ' min'
                   ELSE format('%.1f h', (t1 - t0) / 3600e0) END,
              in_b / 1e6, ratio,
              CASE WHEN new_peer = 1 THEN '; peer never seen before ' ||
                   date_format(from_unixtime((SELECT cut FROM tun), 'UTC'), '%H:%i') ELSE '' END) AS evidence
  FROM y
 ORDER BY score DESC
