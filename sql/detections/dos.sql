-- dos.sql - floods: outbound attacks from our hosts, inbound floods at them.
--
-- Question   Is one of our hosts flooding an internet address (packets per
--            minute, UDP at TCP ports, unusual protocols), or is one of our
--            hosts being flooded by many sources (SYN, UDP, DNS reflection),
--            or is one of our services taking a flood of completed
--            connections (an HTTP/application flood from a botnet)?
-- ATT&CK     T1498 Network Denial of Service (.001 direct flood, .002
--            reflection), T1499 Endpoint DoS; a compromised host used for
--            attacks is also T1496 Resource Hijacking. GuardDuty:
--            Backdoor:EC2/DenialOfService.Dns/.Tcp/.Udp/.UdpOnTcpPorts/
--            .UnusualProtocol (High).
-- Reads      flows_t (traffic) and pair (sql/summaries.sql): outbound reads
--            flows_t only for the (src, dst) pairs whose packets in pair pass
--            the gate in all (issue #12: no other pair can have a minute that
--            does; same rows, a third of the detection's time), and sums the
--            packets coming back from pair, which holds their sums.
-- Gates      outbound: private src -> public dst (not an AWS service), > dos.out_packets
--            (10,000) packets in one minute to one (dst, protocol, port)
--            (Tailpipe's "> 10,000 packets per record"),
--            with fewer than 10 % as many packets coming back: a bulk TCP
--            upload is acknowledged (about one ACK per two segments), a flood
--            is not (the upload is exfiltration's business).
--            inbound: per (dst, port) per minute, distinct sources sending
--            SYN-only records (<= 3 packets of <= 60 B, a SYN and its retries,
--            with tcp_flags = 2 where logged: AWS logs no ACK flag, so the
--            first 60 s window of a connection that carried data says 2 too) > dos.syn_sources (200, Sigma SYN flood
--           ); UDP sources > dos.udp_sources (100, Sigma); UDP
--            from source port 53 > dos.dns_sources (50, Sigma).
--            completed: per (dst, TCP port) per minute, completed connections
--            from the internet (conn_start = 1 AND answered = 1: the
--            client's SYN|FIN = 3 record with its SYN-ACK|FIN = 19 reply, or
--            in v2 a new 5-tuple with a reverse record; both-ENI and NAT
--            copies are already folded in flows_t) and NEW sources (sources
--            whose first completed connection to that service of the whole
--            log falls in that minute). A minute is a candidate when new
--            sources >= dos.flood_sources (100) or connections >=
--            dos.flood_conns (500). Its baseline is, for each of the two
--            rates, the largest of: the service's mean per minute over the
--            log outside the hour around the minute, the mean over the 20
--            minutes ending 3 minutes before it, and a floor for services
--            without baseline (dos.flood_src_floor 5 new sources/min,
--            dos.flood_conn_floor 10 connections/min). The surge is the
--            larger rate / baseline; each service reports its minute of
--            largest surge. The 20-minute window is what tells a flood (a
--            jump within a minute or two) from a flash crowd (arrivals
--            ramping up over tens of minutes: the window has risen with it).
-- Score      outbound: 55 + 15 * log10(peak packets/min / 10,000) + 10 if UDP
--            to a TCP-only port (22, 23, 80, 3389, 8080) + 10 if the protocol
--            is not ICMP/TCP/UDP; inbound: 45 + 20 * log10(peak sources / gate);
--            completed: 45 + 20 * log10(surge / dos.flood_ratio (10)), so a
--            surge of 10x is medium, 100x 65 (high), 1000x 85; every
--            candidate is reported, a busy service at its usual level low.
--            Clamped 0..100.
-- Tunables   dos.out_packets 10000, dos.syn_sources 200, dos.udp_sources 100,
--            dos.dns_sources 50, dos.flood_sources 100, dos.flood_conns 500,
--            dos.flood_src_floor 5, dos.flood_conn_floor 10, dos.flood_ratio 10.
-- v2 / v3+   v2 recognises SYN-only records by size; v3+ by size and tcp-flags = 2.
-- False positives  load tests, media streaming, QUIC (UDP 443 is not flagged as
--            "UDP on a TCP port"), VPN/GRE tunnels, flash crowds and popular
--            public endpoints, health checks from many load-balancer nodes;
--            completed: a launch or a news spike that arrives all at once
--            (a crowd that ramps up over 20+ minutes scores low), a load
--            test from many addresses. Misses a flood that ramps up as
--            slowly as a crowd, and one from sources already seen that day.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_dos AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'dos.out_packets') AS out_pk,
               max(value) FILTER (WHERE name = 'dos.syn_sources') AS syn_src,
               max(value) FILTER (WHERE name = 'dos.udp_sources') AS udp_src,
               max(value) FILTER (WHERE name = 'dos.dns_sources') AS dns_src,
               max(value) FILTER (WHERE name = 'dos.flood_sources') AS fl_src,
               max(value) FILTER (WHERE name = 'dos.flood_conns') AS fl_conn,
               max(value) FILTER (WHERE name = 'dos.flood_src_floor') AS fl_src_floor,
               max(value) FILTER (WHERE name = 'dos.flood_conn_floor') AS fl_conn_floor,
               max(value) FILTER (WHERE name = 'dos.flood_ratio') AS fl_ratio
          FROM vpcflow_tun),
-- only the (src, dst) pairs that sent more than the gate in all (pair sums
-- every record with a public side: packets are never negative, so no
-- minute of a pair can pass the gate unless its total does; a day with a
-- negative count, which the readers do not produce, takes every pair)
ocand AS (SELECT src, dst FROM pair
           WHERE src_private = 1 AND dst_private = 0 AND dst_service IS NULL
           GROUP BY src, dst HAVING sum(packets) > (SELECT out_pk FROM tun)),
o AS (SELECT src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport END AS port,
             start / 60 AS m, sum(packets) AS pk, sum(bytes) AS b
        FROM flows_t WHERE resp = 0 AND src_private = 1 AND dst_private = 0 AND dst_service IS NULL
         AND ((src, dst) IN (SELECT src, dst FROM ocand)
              OR EXISTS (SELECT 1 FROM flows_t WHERE packets < 0))
       GROUP BY 1, 2, 3, 4, 5),
os0 AS (SELECT src, dst, protocol, port, max(pk) AS peak, sum(pk) AS total, sum(b) AS bytes,
               min(m) * 60 AS t0, max(m) * 60 + 59 AS t1,
               protocol = 17 AND port IN (22, 23, 80, 3389, 8080) AS udp_on_tcp,
               protocol NOT IN (1, 6, 17, 58) AS odd_proto
          FROM o GROUP BY 1, 2, 3, 4
         HAVING max(pk) > (SELECT out_pk FROM tun)),
-- packets coming back, summed only for the few flood candidates
back AS (SELECT src AS peer, dst AS host, sum(packets) AS pk FROM pair
          WHERE dst_private = 1 AND src_private = 0 AND (src, dst) IN (SELECT dst, src FROM os0)
          GROUP BY 1, 2),
os AS (SELECT os0.* FROM os0 LEFT JOIN back ON back.peer = os0.dst AND back.host = os0.src
        WHERE coalesce(back.pk, 0) < 0.1 * os0.total),
outbound AS (SELECT src, dst, port, t0, t1,
                    max(0, min(100, 55 + 15 * log10(peak * 1.0 / (SELECT out_pk FROM tun))
                                + 10 * udp_on_tcp + 10 * odd_proto)) AS score,
                    printf('%s sent %d %s packets (%.1f MB) to %s%s, peak %d packets/min%s%s; our host is the attacker',
                           src, total, protocol_name(protocol), bytes / 1e6, dst,
                           CASE WHEN port IS NOT NULL THEN ':' || port ELSE '' END, peak,
                           CASE WHEN udp_on_tcp THEN ', UDP on a TCP-only port' ELSE '' END,
                           CASE WHEN odd_proto THEN ', unusual protocol' ELSE '' END) AS evidence
               FROM os),
i AS (SELECT dst, dstport, src, start / 60 AS m, start,
             CASE WHEN protocol = 6 AND (tcp_flags = 2 OR tcp_flags IS NULL) AND packets <= 3
                       AND bytes <= 60 * packets THEN 'SYN'
                  WHEN protocol = 17 AND srcport = 53 THEN 'DNS'
                  WHEN protocol = 17 THEN 'UDP' END AS kind
        FROM flows_t WHERE dst_private = 1 AND src_private = 0 AND resp = 0),
im AS (SELECT dst, dstport, kind, m, addr_breadth(src) AS srcs FROM i WHERE kind IS NOT NULL
        GROUP BY 1, 2, 3, 4),
img AS (SELECT im.*, CASE kind WHEN 'SYN' THEN (SELECT syn_src FROM tun) WHEN 'DNS' THEN (SELECT dns_src FROM tun)
                                 ELSE (SELECT udp_src FROM tun) END AS gate
          FROM im),
ins AS (SELECT dst, dstport, kind, max(srcs) AS peak, gate,
               min(m) FILTER (WHERE srcs > gate) * 60 AS t0, max(m) FILTER (WHERE srcs > gate) * 60 + 59 AS t1
          FROM img GROUP BY 1, 2, 3),
inbound AS (SELECT NULL AS src, dst, dstport AS port, t0, t1,
                   max(0, min(100, 45 + 20 * log10(peak * 1.0 / gate))) AS score,
                   printf('%s flood at %s:%s from %d sources in one minute (gate %d)%s',
                          kind, dst, coalesce(dstport, '-'), peak, gate,
                          CASE kind WHEN 'DNS' THEN ': DNS reflection' WHEN 'SYN' THEN ': SYN without handshake'
                               ELSE '' END) AS evidence
              FROM ins WHERE peak > gate),
-- completed connections from the internet (filters on integer columns
-- only): first the services that had, in some minute, as many completed
-- connections as a candidate needs (new sources <= sources <= connections,
-- so no other service can have a candidate minute), then their
-- connections folded per source and minute
csv AS (SELECT DISTINCT dst, dstport FROM flows_t
         WHERE resp = 0 AND conn_start = 1 AND answered = 1 AND protocol = 6
           AND dst_private = 1 AND src_private = 0
         GROUP BY dst, dstport, start / 60
        HAVING count(*) >= (SELECT min(fl_src, fl_conn) FROM tun)),
cs AS (SELECT dst, dstport, src, start / 60 AS m, count(*) AS conns, sum(bytes) AS b
         FROM flows_t
        WHERE resp = 0 AND conn_start = 1 AND answered = 1 AND protocol = 6
          AND dst_private = 1 AND src_private = 0 AND (dst, dstport) IN (SELECT dst, dstport FROM csv)
        GROUP BY 1, 2, 3, 4),
-- the minute each source first completed a connection to the service
cf AS (SELECT dst, dstport, src, min(m) AS m FROM cs GROUP BY 1, 2, 3),
cn AS (SELECT dst, dstport, m, count(*) AS news FROM cf GROUP BY 1, 2, 3),
cm AS (SELECT c.dst, c.dstport, c.m, count(*) AS srcs, sum(c.conns) AS conns, sum(c.b) AS b,
              coalesce(n.news, 0) AS news
         FROM cs AS c LEFT JOIN cn AS n ON n.dst = c.dst AND n.dstport = c.dstport AND n.m = c.m
        GROUP BY 1, 2, 3),
ct AS (SELECT dst, dstport, sum(news) AS news, sum(conns) AS conns FROM cm GROUP BY 1, 2),
cc AS (SELECT cm.* FROM cm, tun WHERE cm.news >= tun.fl_src OR cm.conns >= tun.fl_conn),
-- each candidate minute against the hour around it and the 20 minutes
-- ending 3 minutes before it (a range join: candidates are few)
cw AS (SELECT c.dst, c.dstport, c.m,
              sum(w.news) AS hour_news, sum(w.conns) AS hour_conns,
              coalesce(sum(w.news) FILTER (WHERE w.m BETWEEN c.m - 22 AND c.m - 3), 0) AS pre_news,
              coalesce(sum(w.conns) FILTER (WHERE w.m BETWEEN c.m - 22 AND c.m - 3), 0) AS pre_conns
         FROM cc AS c JOIN cm AS w ON w.dst = c.dst AND w.dstport = c.dstport
                                  AND w.m BETWEEN c.m - 30 AND c.m + 30
        GROUP BY 1, 2, 3),
cb AS (SELECT c.*, max(tun.fl_src_floor, (t.news - w.hour_news) * 1.0 / sp.mins, w.pre_news / 20.0) AS base_src,
              max(tun.fl_conn_floor, (t.conns - w.hour_conns) * 1.0 / sp.mins, w.pre_conns / 20.0) AS base_conn,
              w.pre_news / 20.0 AS pre_src, (t.news - w.hour_news) * 1.0 / sp.mins AS day_src, tun.fl_ratio,
              tun.fl_src_floor
         FROM cc AS c JOIN cw AS w ON w.dst = c.dst AND w.dstport = c.dstport AND w.m = c.m
              JOIN ct AS t ON t.dst = c.dst AND t.dstport = c.dstport
              CROSS JOIN tun
              CROSS JOIN (SELECT max(1, (t1 - t0) / 60 + 1 - 61) AS mins FROM vpcflow_span) AS sp),
cr AS (SELECT cb.*, max(news * 1.0 / base_src, conns * 1.0 / base_conn) AS surge,
              row_number() OVER (PARTITION BY dst, dstport
                                 ORDER BY max(news * 1.0 / base_src, conns * 1.0 / base_conn) DESC, m) AS k,
              min(m) OVER (PARTITION BY dst, dstport) AS m0, max(m) OVER (PARTITION BY dst, dstport) AS m1
         FROM cb),
completed AS (SELECT NULL AS src, dst, dstport AS port, m0 * 60 AS t0, m1 * 60 + 59 AS t1,
                     max(0, min(100, 45 + 20 * log10(surge / fl_ratio))) AS score,
                     printf('completed-connection flood at %s:%d: in the minute of %s %d new sources (%d sources in all) '
                            || 'opened %d completed connections, %.1f MB sent; %.0fx the baseline of %.1f new sources/min '
                            || 'and %.1f connections/min (log mean %.1f, the 20 min before %.1f new sources/min)%s',
                            dst, dstport, strftime('%H:%M', m * 60, 'unixepoch'), news, srcs, conns, b / 1e6,
                            surge, base_src, base_conn, day_src, pre_src,
                            CASE WHEN pre_src >= base_src AND pre_src > fl_src_floor
                                 THEN ': it rose gradually over the 20 minutes before, like a flash crowd'
                                 ELSE '' END) AS evidence
                FROM cr WHERE k = 1),
x AS (SELECT * FROM outbound UNION ALL SELECT * FROM inbound UNION ALL SELECT * FROM completed)
SELECT 'dos' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       src, dst, port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       evidence
  FROM x;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_dos.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_dos
 ORDER BY score DESC;
