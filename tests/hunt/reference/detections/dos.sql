-- dos.sql - floods: outbound attacks from our hosts, inbound floods at them.
--
-- REFERENCE (tests/hunt/reference): row-by-row SQL over `traffic` that
-- tests/shell/detect_reference*.sql compare with sql/detections/dos.sql.
-- Changed on purpose with it (issue 14): the completed-connection floods
-- (CTEs ci..completed, written here with correlated subqueries per row
-- and per candidate minute), and the SYN-only test, which now asks for
-- <= 3 packets of <= 60 B also where tcp_flags = 2.
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
-- Reads      flows via sql/prepare.sql -> traffic.
-- Gates      outbound: private src -> public dst (not an AWS service), > dos.out_packets
--            (10,000) packets in one minute to one (dst, protocol, port)
--            (Turbot Tailpipe's high_packet_traffic, "> 10,000 packets per
--            record", tailpipe-mod-aws-vpc-flow-log-detections),
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
INSERT OR IGNORE INTO tunables VALUES
  ('dos.out_packets', 10000, 'packets per minute to one peer (Tailpipe)'),
  ('dos.syn_sources', 200, 'SYN-only sources per minute (Sigma)'),
  ('dos.udp_sources', 100, 'UDP sources per minute (Sigma)'),
  ('dos.dns_sources', 50, 'UDP sources from port 53 per minute (Sigma)'),
  ('dos.flood_sources', 100, 'new sources per minute that make a completed-connection candidate'),
  ('dos.flood_conns', 500, 'completed connections per minute that make a candidate'),
  ('dos.flood_src_floor', 5, 'baseline floor, new sources per minute'),
  ('dos.flood_conn_floor', 10, 'baseline floor, completed connections per minute'),
  ('dos.flood_ratio', 10, 'surge over the baseline that scores 45 (medium)');

CREATE TEMP VIEW IF NOT EXISTS det_dos AS
WITH
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'dos.out_packets') AS out_pk,
               (SELECT value FROM tunables WHERE name = 'dos.syn_sources') AS syn_src,
               (SELECT value FROM tunables WHERE name = 'dos.udp_sources') AS udp_src,
               (SELECT value FROM tunables WHERE name = 'dos.dns_sources') AS dns_src,
               (SELECT value FROM tunables WHERE name = 'dos.flood_sources') AS fl_src,
               (SELECT value FROM tunables WHERE name = 'dos.flood_conns') AS fl_conn,
               (SELECT value FROM tunables WHERE name = 'dos.flood_src_floor') AS fl_src_floor,
               (SELECT value FROM tunables WHERE name = 'dos.flood_conn_floor') AS fl_conn_floor,
               (SELECT value FROM tunables WHERE name = 'dos.flood_ratio') AS fl_ratio),
o AS (SELECT src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport END AS port,
             start / 60 AS m, sum(packets) AS pk, sum(bytes) AS b
        FROM traffic WHERE resp = 0 AND src_private AND NOT dst_private AND dst_service IS NULL
       GROUP BY 1, 2, 3, 4, 5),
back AS (SELECT src AS peer, dst AS host, sum(packets) AS pk FROM traffic
          WHERE dst_private AND NOT src_private GROUP BY 1, 2),
os AS (SELECT src, dst, protocol, port, max(pk) AS peak, sum(pk) AS total, sum(b) AS bytes,
              min(m) * 60 AS t0, max(m) * 60 + 59 AS t1,
              protocol = 17 AND port IN (22, 23, 80, 3389, 8080) AS udp_on_tcp,
              protocol NOT IN (1, 6, 17, 58) AS odd_proto
         FROM o GROUP BY 1, 2, 3, 4
        HAVING max(pk) > (SELECT out_pk FROM tun)
           AND coalesce((SELECT back.pk FROM back WHERE back.peer = o.dst AND back.host = o.src), 0)
               < 0.1 * sum(pk)),
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
        FROM traffic WHERE dst_private AND NOT src_private AND resp = 0),
im AS (SELECT dst, dstport, kind, m, addr_breadth(src) AS srcs FROM i WHERE kind IS NOT NULL
        GROUP BY 1, 2, 3, 4),
ins AS (SELECT dst, dstport, kind, max(srcs) AS peak, min(m) * 60 AS t0, max(m) * 60 + 59 AS t1,
               CASE kind WHEN 'SYN' THEN (SELECT syn_src FROM tun) WHEN 'DNS' THEN (SELECT dns_src FROM tun)
                         ELSE (SELECT udp_src FROM tun) END AS gate
          FROM im GROUP BY 1, 2, 3),
inbound AS (SELECT NULL AS src, dst, dstport AS port,
                   (SELECT min(m) * 60 FROM im WHERE im.dst = ins.dst AND im.dstport IS ins.dstport
                       AND im.kind = ins.kind AND im.srcs > ins.gate) AS t0,
                   (SELECT max(m) * 60 + 59 FROM im WHERE im.dst = ins.dst AND im.dstport IS ins.dstport
                       AND im.kind = ins.kind AND im.srcs > ins.gate) AS t1,
                   max(0, min(100, 45 + 20 * log10(peak * 1.0 / gate))) AS score,
                   printf('%s flood at %s:%s from %d sources in one minute (gate %d)%s',
                          kind, dst, coalesce(dstport, '-'), peak, gate,
                          CASE kind WHEN 'DNS' THEN ': DNS reflection' WHEN 'SYN' THEN ': SYN without handshake'
                               ELSE '' END) AS evidence
              FROM ins WHERE peak > gate),
-- completed connections from the internet, each with its own bytes
ci AS MATERIALIZED (
        SELECT dst, dstport, src, start / 60 AS m, bytes FROM traffic
         WHERE dst_private AND NOT src_private AND resp = 0 AND protocol = 6
           AND conn_start = 1 AND answered = 1),
-- a source is new in the minute of its first completed connection to the
-- service (none earlier)
cin AS MATERIALIZED (
        SELECT ci.*, NOT EXISTS (SELECT 1 FROM ci AS e WHERE e.dst = ci.dst AND e.dstport = ci.dstport
                                    AND e.src = ci.src AND e.m < ci.m) AS first
          FROM ci),
-- per service and minute
cmin AS MATERIALIZED (
        SELECT dst, dstport, m, count(DISTINCT src) AS srcs, count(*) AS conns, sum(bytes) AS b,
               count(DISTINCT CASE WHEN first THEN src END) AS news
          FROM cin GROUP BY 1, 2, 3),
ccand AS (SELECT * FROM cmin
           WHERE news >= (SELECT fl_src FROM tun) OR conns >= (SELECT fl_conn FROM tun)),
cbase AS (SELECT c.*,
                 (SELECT count(DISTINCT src) FROM ci WHERE ci.dst = c.dst AND ci.dstport = c.dstport) AS all_news,
                 (SELECT count(*) FROM ci WHERE ci.dst = c.dst AND ci.dstport = c.dstport) AS all_conns,
                 (SELECT sum(news) FROM cmin AS w WHERE w.dst = c.dst AND w.dstport = c.dstport
                     AND w.m BETWEEN c.m - 30 AND c.m + 30) AS hour_news,
                 (SELECT sum(conns) FROM cmin AS w WHERE w.dst = c.dst AND w.dstport = c.dstport
                     AND w.m BETWEEN c.m - 30 AND c.m + 30) AS hour_conns,
                 coalesce((SELECT sum(news) FROM cmin AS w WHERE w.dst = c.dst AND w.dstport = c.dstport
                              AND w.m BETWEEN c.m - 22 AND c.m - 3), 0) AS pre_news,
                 coalesce((SELECT sum(conns) FROM cmin AS w WHERE w.dst = c.dst AND w.dstport = c.dstport
                              AND w.m BETWEEN c.m - 22 AND c.m - 3), 0) AS pre_conns,
                 (SELECT max(1, (t1 - t0) / 60 + 1 - 61) FROM vpcflow_span) AS mins
            FROM ccand AS c),
cbb AS (SELECT *, max((SELECT fl_src_floor FROM tun), (all_news - hour_news) * 1.0 / mins, pre_news / 20.0) AS base_src,
               max((SELECT fl_conn_floor FROM tun), (all_conns - hour_conns) * 1.0 / mins, pre_conns / 20.0) AS base_conn,
               pre_news / 20.0 AS pre_src, (all_news - hour_news) * 1.0 / mins AS day_src
          FROM cbase),
csg AS MATERIALIZED (SELECT *, max(news * 1.0 / base_src, conns * 1.0 / base_conn) AS surge FROM cbb),
completed AS (SELECT NULL AS src, dst, dstport AS port,
                     (SELECT min(o.m) FROM csg AS o WHERE o.dst = p.dst AND o.dstport = p.dstport) * 60 AS t0,
                     (SELECT max(o.m) FROM csg AS o WHERE o.dst = p.dst AND o.dstport = p.dstport) * 60 + 59 AS t1,
                     max(0, min(100, 45 + 20 * log10(surge / (SELECT fl_ratio FROM tun)))) AS score,
                     printf('completed-connection flood at %s:%d: in the minute of %s %d new sources (%d sources in all) '
                            || 'opened %d completed connections, %.1f MB sent; %.0fx the baseline of %.1f new sources/min '
                            || 'and %.1f connections/min (log mean %.1f, the 20 min before %.1f new sources/min)%s',
                            dst, dstport, strftime('%H:%M', m * 60, 'unixepoch'), news, srcs, conns, b / 1e6,
                            surge, base_src, base_conn, day_src, pre_src,
                            CASE WHEN pre_src >= base_src AND pre_src > (SELECT fl_src_floor FROM tun)
                                 THEN ': it rose gradually over the 20 minutes before, like a flash crowd'
                                 ELSE '' END) AS evidence
                FROM csg AS p
               WHERE NOT EXISTS (SELECT 1 FROM csg AS o WHERE o.dst = p.dst AND o.dstport = p.dstport
                                    AND (o.surge > p.surge OR (o.surge = p.surge AND o.m < p.m)))),
x AS (SELECT * FROM outbound UNION ALL SELECT * FROM inbound UNION ALL SELECT * FROM completed)
SELECT 'dos' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       evidence
  FROM x;

SELECT * FROM det_dos
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
