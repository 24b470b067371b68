-- dos (Athena) - denial of service, outbound (our host floods a peer),
-- inbound (many sources flood one of our ports with SYNs or UDP) and
-- floods of completed connections against a service's own baseline.
-- Same question, gates, score, output columns and evidence as
-- sql/detections/dos.sql (read its header for the why).
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
tun AS (SELECT 10000 AS out_pk, 200 AS syn_src, 100 AS udp_src, 50 AS dns_src,
               100 AS fl_src, 500 AS fl_conn, 5e0 AS fl_src_floor, 10e0 AS fl_conn_floor, 10e0 AS fl_ratio),
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
             CASE WHEN protocol = 6 AND (tcp_flags = 2 OR tcp_flags IS NULL) AND packets <= 3
                       AND bytes <= 60 * packets THEN 'SYN'
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
-- floods of completed connections: per service and minute, new sources
-- and completed connections against the service's own baseline
-- first the services that had, in some minute, as many completed
-- connections as a candidate needs (new sources <= sources <=
-- connections, so no other service can have a candidate minute), then
-- their connections folded per source and minute
csv AS (SELECT DISTINCT dst, dstport FROM flows_t
         WHERE resp = 0 AND conn_start = 1 AND answered = 1 AND protocol = 6
           AND dst_private = 1 AND src_private = 0
         GROUP BY dst, dstport, start / 60
        HAVING count(*) >= (SELECT least(fl_src, fl_conn) FROM tun)),
cs AS (SELECT f.dst, f.dstport, f.src, f.start / 60 AS m, count(*) AS conns, sum(f.bytes) AS b
         FROM flows_t AS f JOIN csv ON csv.dst = f.dst AND csv.dstport = f.dstport
        WHERE f.resp = 0 AND f.conn_start = 1 AND f.answered = 1 AND f.protocol = 6
          AND f.dst_private = 1 AND f.src_private = 0
        GROUP BY f.dst, f.dstport, f.src, f.start / 60),
cf AS (SELECT dst, dstport, src, min(m) AS m FROM cs GROUP BY dst, dstport, src),
cn AS (SELECT dst, dstport, m, count(*) AS news FROM cf GROUP BY dst, dstport, m),
cm AS (SELECT c.dst, c.dstport, c.m, count(*) AS srcs, sum(c.conns) AS conns, sum(c.b) AS b,
              coalesce(n.news, 0) AS news
         FROM cs AS c LEFT JOIN cn AS n ON n.dst = c.dst AND n.dstport = c.dstport AND n.m = c.m
        GROUP BY c.dst, c.dstport, c.m, coalesce(n.news, 0)),
ct AS (SELECT dst, dstport, sum(news) AS news, sum(conns) AS conns FROM cm GROUP BY dst, dstport),
cc AS (SELECT cm.* FROM cm CROSS JOIN tun WHERE cm.news >= tun.fl_src OR cm.conns >= tun.fl_conn),
cw AS (SELECT c.dst, c.dstport, c.m,
              sum(w.news) AS hour_news, sum(w.conns) AS hour_conns,
              coalesce(sum(w.news) FILTER (WHERE w.m BETWEEN c.m - 22 AND c.m - 3), 0) AS pre_news,
              coalesce(sum(w.conns) FILTER (WHERE w.m BETWEEN c.m - 22 AND c.m - 3), 0) AS pre_conns
         FROM cc AS c JOIN cm AS w ON w.dst = c.dst AND w.dstport = c.dstport
                                  AND w.m BETWEEN c.m - 30 AND c.m + 30
        GROUP BY c.dst, c.dstport, c.m),
cb AS (SELECT c.*,
              greatest(tun.fl_src_floor, (t.news - w.hour_news) * 1e0 / sp.mins, w.pre_news / 20e0) AS base_src,
              greatest(tun.fl_conn_floor, (t.conns - w.hour_conns) * 1e0 / sp.mins, w.pre_conns / 20e0) AS base_conn,
              w.pre_news / 20e0 AS pre_src, (t.news - w.hour_news) * 1e0 / sp.mins AS day_src, tun.fl_ratio,
              tun.fl_src_floor
         FROM cc AS c JOIN cw AS w ON w.dst = c.dst AND w.dstport = c.dstport AND w.m = c.m
              JOIN ct AS t ON t.dst = c.dst AND t.dstport = c.dstport
              CROSS JOIN tun
              CROSS JOIN (SELECT greatest(1, (t1 - t0) / 60 + 1 - 61) AS mins FROM vpcflow_span) AS sp),
cr AS (SELECT cb.*, greatest(news / base_src, conns / base_conn) AS surge,
              row_number() OVER (PARTITION BY dst, dstport
                                 ORDER BY greatest(news / base_src, conns / base_conn) DESC, m) AS k,
              min(m) OVER (PARTITION BY dst, dstport) AS m0, max(m) OVER (PARTITION BY dst, dstport) AS m1
         FROM cb),
completed AS (SELECT CAST(NULL AS varchar) AS src, dst, dstport AS port, m0 * 60 AS t0, m1 * 60 + 59 AS t1,
                     greatest(0, least(100, 45 + 20 * log10(surge / fl_ratio))) AS score,
                     format('completed-connection flood at %s:%d: in the minute of %s %d new sources (%d sources in all) '
                            || 'opened %d completed connections, %.1f MB sent; %.0fx the baseline of %.1f new sources/min '
                            || 'and %.1f connections/min (log mean %.1f, the 20 min before %.1f new sources/min)%s',
                            dst, dstport, date_format(from_unixtime(m * 60, 'UTC'), '%H:%i'), news, srcs, conns, b / 1e6,
                            surge, base_src, base_conn, day_src, pre_src,
                            CASE WHEN pre_src >= base_src AND pre_src > fl_src_floor
                                 THEN ': it rose gradually over the 20 minutes before, like a flash crowd'
                                 ELSE '' END) AS evidence
                FROM cr WHERE k = 1),
x AS (SELECT * FROM outbound UNION ALL SELECT * FROM inbound UNION ALL SELECT * FROM completed)
SELECT 'dos' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, port,
       date_format(from_unixtime(t0, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS first_seen,
       date_format(from_unixtime(t1, 'UTC'), '%Y-%m-%dT%H:%i:%sZ') AS last_seen,
       evidence
  FROM x
 ORDER BY score DESC
