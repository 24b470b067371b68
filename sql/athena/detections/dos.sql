-- dos (Athena) - denial of service, outbound (our host floods a peer) and
-- inbound (many sources flood one of our ports). Same question, gates,
-- score, output columns and evidence as sql/detections/dos.sql (read its
-- header for the why).
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
-- * addr_breadth(src) per minute becomes count(DISTINCT src): the local
--   function compares parsed addresses (two spellings of one IPv6 address
--   count once), count(DISTINCT) compares the text. AWS writes one
--   spelling, so the counts agree on flow logs.
WITH
tun AS (SELECT 10000 AS out_pk, 200 AS syn_src, 100 AS udp_src, 50 AS dns_src),
o AS (SELECT src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport END AS port,
             start / 60 AS m, sum(packets) AS pk, sum(bytes) AS b
        FROM flows_t WHERE resp = 0 AND src_private = 1 AND dst_private = 0 AND dst_service IS NULL
       GROUP BY src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport END, start / 60),
os0 AS (SELECT src, dst, protocol, port, max(pk) AS peak, sum(pk) AS total, sum(b) AS bytes,
               min(m) * 60 AS t0, max(m) * 60 + 59 AS t1,
               CASE WHEN protocol = 17 AND port IN (22, 23, 80, 3389, 8080) THEN 1 ELSE 0 END AS udp_on_tcp,
               CASE WHEN protocol NOT IN (1, 6, 17, 58) THEN 1 ELSE 0 END AS odd_proto
          FROM o GROUP BY src, dst, protocol, port
         HAVING max(pk) > (SELECT out_pk FROM tun)),
back AS (SELECT f.src AS peer, f.dst AS host, sum(f.packets) AS pk FROM flows_t AS f
          WHERE f.dst_private = 1 AND f.src_private = 0
            AND EXISTS (SELECT 1 FROM os0 WHERE os0.dst = f.src AND os0.src = f.dst)
          GROUP BY f.src, f.dst),
os AS (SELECT os0.* FROM os0 LEFT JOIN back ON back.peer = os0.dst AND back.host = os0.src
        WHERE coalesce(back.pk, 0) < 0.1 * os0.total),
outbound AS (SELECT os.src, os.dst, os.port, os.t0, os.t1,
                    greatest(0, least(100, 55 + 15 * log10(peak * 1e0 / (SELECT out_pk FROM tun))
                                         + 10 * udp_on_tcp + 10 * odd_proto)) AS score,
                    format('%s sent %d %s packets (%.1f MB) to %s%s, peak %d packets/min%s%s; our host is the attacker',
                           os.src, total, coalesce(pn.name, ''), bytes / 1e6, os.dst,
                           CASE WHEN port IS NOT NULL THEN ':' || CAST(port AS varchar) ELSE '' END, peak,
                           CASE WHEN udp_on_tcp = 1 THEN ', UDP on a TCP-only port' ELSE '' END,
                           CASE WHEN odd_proto = 1 THEN ', unusual protocol' ELSE '' END) AS evidence
               FROM os LEFT JOIN vpcflow_protocol AS pn ON pn.protocol = os.protocol),
i AS (SELECT dst, dstport, src, start / 60 AS m, start,
             CASE WHEN protocol = 6 AND (tcp_flags = 2 OR (tcp_flags IS NULL AND packets <= 3
                        AND bytes <= 60 * packets)) THEN 'SYN'
                  WHEN protocol = 17 AND srcport = 53 THEN 'DNS'
                  WHEN protocol = 17 THEN 'UDP' END AS kind
        FROM flows_t WHERE dst_private = 1 AND src_private = 0 AND resp = 0),
im AS (SELECT dst, dstport, kind, m, count(DISTINCT src) AS srcs FROM i WHERE kind IS NOT NULL
        GROUP BY dst, dstport, kind, m),
img AS (SELECT im.*, CASE kind WHEN 'SYN' THEN (SELECT syn_src FROM tun) WHEN 'DNS' THEN (SELECT dns_src FROM tun)
                               ELSE (SELECT udp_src FROM tun) END AS gate
          FROM im),
ins AS (SELECT dst, dstport, kind, max(srcs) AS peak, gate,
               min(m) FILTER (WHERE srcs > gate) * 60 AS t0, max(m) FILTER (WHERE srcs > gate) * 60 + 59 AS t1
          FROM img GROUP BY dst, dstport, kind, gate),
inbound AS (SELECT CAST(NULL AS varchar) AS src, dst, dstport AS port, t0, t1,
                   greatest(0, least(100, 45 + 20 * log10(peak * 1e0 / gate))) AS score,
                   format('%s flood at %s:%s from %d sources in one minute (gate %d)%s',
                          kind, dst, coalesce(CAST(dstport AS varchar), '-'), peak, gate,
                          CASE kind WHEN 'DNS' THEN ': DNS reflection' WHEN 'SYN' THEN ': SYN without handshake'
                               ELSE '' END) AS evidence
              FROM ins WHERE peak > gate),
x AS (SELECT * FROM outbound UNION ALL SELECT * FROM inbound)
SELECT 'dos' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       evidence
  FROM x
 ORDER BY score DESC
