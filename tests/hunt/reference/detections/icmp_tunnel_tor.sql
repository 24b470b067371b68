-- icmp_tunnel_tor.sql - ICMP tunnels and Tor connections to the internet.
--
-- Question   Which host sends large ICMP payloads to the internet, or connects
--            to Tor's relay/directory ports?
-- ATT&CK     T1095 Non-Application Layer Protocol (ICMP tunnel), T1572 Protocol
--            Tunneling, T1090.003 Proxy: Multi-hop Proxy (Tor). GuardDuty:
--            UnauthorizedAccess:EC2/TorClient, TorRelay (threat-list based).
-- Reads      flows via sql/prepare.sql -> traffic; our host -> internet.
-- Gates      ICMP/ICMPv6 with >= icmp_tunnel_tor.icmp_bytes (256) bytes per
--            packet on average (Elastic "Potential ICMP Tunneling"; Splunk
--            uses > 1,000); TCP attempts (resp = 0) to dstport 9001 or
--            9030 (Tor ORPort/DirPort, Elastic "Tor Activity to the Internet"
--           ) that were ACCEPTed.
-- Score      ICMP: 40 + 15 if >= 1,000 B/packet + 10 * log10(MB sent);
--            Tor: 50 + 10 * log10(MB moved). Clamped 0..100.
-- Tunables   icmp_tunnel_tor.icmp_bytes 256, icmp_tunnel_tor.tor_ports '9001,9030'.
-- v2 / v3+   identical; response flows (a server replying to a client whose
--            ephemeral port happens to be 9001) are not attempts.
-- False positives  path-MTU and diagnostic pings with large payloads, vendor
--            monitors, ephemeral ports colliding with 9001/9030, non-Tor
--            services on those ports.

.read sql/prepare.sql
INSERT OR IGNORE INTO tunables VALUES
  ('icmp_tunnel_tor.icmp_bytes', 256, 'average ICMP bytes per packet (Elastic)'),
  ('icmp_tunnel_tor.tor_ports', '9001,9030', 'Tor ORPort and DirPort (Elastic)');

CREATE TEMP VIEW IF NOT EXISTS det_icmp_tunnel_tor AS
WITH
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'icmp_tunnel_tor.icmp_bytes') AS ib,
               ',' || (SELECT replace(value, ' ', '') FROM tunables WHERE name = 'icmp_tunnel_tor.tor_ports') || ',' AS tor),
ic AS (SELECT src, dst, sum(bytes) AS b, sum(packets) AS pk, min(start) AS t0, max("end") AS t1
         FROM traffic WHERE protocol IN (1, 58) AND src_private AND NOT dst_private
        GROUP BY 1, 2 HAVING sum(bytes) * 1.0 / sum(packets) >= (SELECT ib FROM tun)),
tor AS (SELECT src, dst, dstport, sum(bytes) AS b, count(*) AS recs, min(start) AS t0, max("end") AS t1,
               (SELECT sum(r.bytes) FROM traffic AS r WHERE r.src = t.dst AND r.dst = t.src
                   AND r.srcport = t.dstport) AS back
          FROM traffic AS t
         WHERE resp = 0 AND protocol = 6 AND src_private AND NOT dst_private AND action = 'ACCEPT'
           AND instr((SELECT tor FROM tun), ',' || dstport || ',') > 0
         GROUP BY 1, 2, 3),
x AS (SELECT src, dst, NULL AS port, t0, t1,
             max(0, min(100, 40 + 15 * (b * 1.0 / pk >= 1000) + 10 * log10(max(b / 1e6, 0.1)))) AS score,
             printf('%d ICMP packets from %s to %s averaging %.0f B (normal pings are 64-84 B), %.1f MB in %s',
                    pk, src, dst, b * 1.0 / pk, b / 1e6,
                    CASE WHEN t1 - t0 < 7200 THEN ((t1 - t0 + 30) / 60) || ' min'
                         ELSE printf('%.1f h', (t1 - t0) / 3600.0) END) AS evidence
        FROM ic
      UNION ALL
      SELECT src, dst, dstport, t0, t1,
             max(0, min(100, 50 + 10 * log10(max((b + coalesce(back, 0)) / 1e6, 0.1)))),
             printf('%s connected to %s:%d (Tor relay port) for %s, %.1f MB out, %.1f MB in',
                    src, dst, dstport,
                    CASE WHEN t1 - t0 < 7200 THEN ((t1 - t0 + 30) / 60) || ' min'
                         ELSE printf('%.1f h', (t1 - t0) / 3600.0) END,
                    b / 1e6, coalesce(back, 0) / 1e6)
        FROM tor)
SELECT 'icmp_tunnel_tor' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       evidence
  FROM x;

SELECT * FROM det_icmp_tunnel_tor
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
