-- dos.sql - floods: outbound attacks from our hosts, inbound floods at them.
--
-- Question   Is one of our hosts flooding an internet address (packets per
--            minute, UDP at TCP ports, unusual protocols), or is one of our
--            hosts being flooded by many sources (SYN, UDP, DNS reflection)?
-- ATT&CK     T1498 Network Denial of Service (.001 direct flood, .002
--            reflection), T1499 Endpoint DoS; a compromised host used for
--            attacks is also T1496 Resource Hijacking. GuardDuty:
--            Backdoor:EC2/DenialOfService.Dns/.Tcp/.Udp/.UdpOnTcpPorts/
--            .UnusualProtocol (High).
-- Reads      flows_t (traffic, sql/summaries.sql).
-- Gates      outbound: private src -> public dst (not an AWS service), > dos.out_packets
--            (10,000) packets in one minute to one (dst, protocol, port)
--            (Tailpipe's "> 10,000 packets per record", competitors.md §1.4),
--            with fewer than 10 % as many packets coming back: a bulk TCP
--            upload is acknowledged (about one ACK per two segments), a flood
--            is not (the upload is exfiltration's business).
--            inbound: per (dst, port) per minute, distinct sources sending
--            SYN-only records (tcp_flags = 2; in v2: <= 3 packets of <= 60 B,
--            a SYN and its retries) > dos.syn_sources (200, Sigma SYN flood
--            [SG5]); UDP sources > dos.udp_sources (100, Sigma [SG6]); UDP
--            from source port 53 > dos.dns_sources (50, Sigma [SG7]).
-- Score      outbound: 55 + 15 * log10(peak packets/min / 10,000) + 10 if UDP
--            to a TCP-only port (22, 23, 80, 3389, 8080) + 10 if the protocol
--            is not ICMP/TCP/UDP; inbound: 45 + 20 * log10(peak sources / gate).
--            Clamped 0..100.
-- Tunables   dos.out_packets 10000, dos.syn_sources 200, dos.udp_sources 100,
--            dos.dns_sources 50.
-- v2 / v3+   v2 recognises SYN-only records by size; v3+ by tcp-flags = 2.
-- False positives  load tests, media streaming, QUIC (UDP 443 is not flagged as
--            "UDP on a TCP port"), VPN/GRE tunnels, flash crowds and popular
--            public endpoints, health checks from many load-balancer nodes.

.read sql/prepare.sql
.read sql/summaries.sql
INSERT OR IGNORE INTO tunables VALUES
  ('dos.out_packets', 10000, 'packets per minute to one peer (Tailpipe)'),
  ('dos.syn_sources', 200, 'SYN-only sources per minute (Sigma)'),
  ('dos.udp_sources', 100, 'UDP sources per minute (Sigma)'),
  ('dos.dns_sources', 50, 'UDP sources from port 53 per minute (Sigma)');

CREATE TEMP VIEW IF NOT EXISTS det_dos AS
WITH
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'dos.out_packets') AS out_pk,
               (SELECT value FROM tunables WHERE name = 'dos.syn_sources') AS syn_src,
               (SELECT value FROM tunables WHERE name = 'dos.udp_sources') AS udp_src,
               (SELECT value FROM tunables WHERE name = 'dos.dns_sources') AS dns_src),
o AS (SELECT src, dst, protocol, CASE WHEN protocol IN (6, 17) THEN dstport END AS port,
             start / 60 AS m, sum(packets) AS pk, sum(bytes) AS b
        FROM flows_t WHERE resp = 0 AND src_private = 1 AND dst_private = 0 AND dst_service IS NULL
       GROUP BY 1, 2, 3, 4, 5),
os0 AS (SELECT src, dst, protocol, port, max(pk) AS peak, sum(pk) AS total, sum(b) AS bytes,
               min(m) * 60 AS t0, max(m) * 60 + 59 AS t1,
               protocol = 17 AND port IN (22, 23, 80, 3389, 8080) AS udp_on_tcp,
               protocol NOT IN (1, 6, 17, 58) AS odd_proto
          FROM o GROUP BY 1, 2, 3, 4
         HAVING max(pk) > (SELECT out_pk FROM tun)),
-- packets coming back, summed only for the few flood candidates
back AS (SELECT src AS peer, dst AS host, sum(packets) AS pk FROM flows_t
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
             CASE WHEN protocol = 6 AND (tcp_flags = 2 OR (tcp_flags IS NULL AND packets <= 3
                        AND bytes <= 60 * packets)) THEN 'SYN'
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
x AS (SELECT * FROM outbound UNION ALL SELECT * FROM inbound)
SELECT 'dos' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
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
