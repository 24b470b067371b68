-- port_scan.sql - vertical port scan: one source tries many ports of one host.
--
-- Question   Which source probed many ports of one destination in a short
--            time, and which of those ports answered?
-- ATT&CK     T1046 Network Service Discovery. GuardDuty: Recon:EC2/Portscan.
-- Reads      flows (any vpcflow table), through sql/prepare.sql -> traffic.
--            Only connection attempts count (resp = 0), so a server's replies
--            to many client ports are never a "scan"; each intra-VPC attempt
--            counts once although both ENIs logged it.
-- Gate       port_breadth(dstport) >= port_scan.min_ports (25) within
--            port_scan.window (300 s), sliding: "25 ports / 5 min", Sumo Logic
--            Cloud SIEM "Amazon VPC - Port Scan" (SumoLogic's
--            cloud-siem-content-catalog). Elastic's "Potential Port Scan"
--            uses >= 50 ports / 1 min (elastic/detection-rules); Splunk's
--            "Internal Vertical Port Scan" >= 500 / 1 h (splunk/
--            security_content). The catalog: sql/README.md.
-- Score      40 + 20 * log10(peak ports / min_ports)   breadth
--            + 15 if the source is inside the VPC      an insider scanning
--            + 10 * share of attempts rejected or unanswered (TRW's failures)
--            + 5  if >= 80 % of probes are 40 or 44 bytes per packet in at
--                 most 2 packets: a SYN without TCP options (or MSS only),
--                 which scanners craft and real operating systems never send
--                 (Linux and Windows SYNs carry MSS, SACK, window scale: >= 52 B).
--            clamped to 0..100. critical >= 85, high >= 65, medium >= 40.
-- Evidence   ports, span, rejected share, open ports (ACCEPTed and answered;
--            with tcp-flags, only a SYN-ACK answer counts as open), crafted share.
-- Tunables   port_scan.min_ports 25, port_scan.window 300 (seconds).
-- v2 / v3+   v2: "open" = any answer (an RST from an allowed but closed port
--            also counts); v3+: SYN-ACK only; pkt-* addresses name the real pair.
-- False positives  vulnerability scanners and asset inventories (allowlist their
--            sources), monitoring that checks many ports, load-balancer health
--            checks on many target ports, NAT/proxy hosts whose many clients
--            all look like one source.

.read sql/prepare.sql
INSERT OR IGNORE INTO tunables VALUES
  ('port_scan.min_ports', 25, 'distinct ports in the window (Sumo Logic: 25 / 5 min)'),
  ('port_scan.window', 300, 'sliding window, seconds');

CREATE TEMP VIEW IF NOT EXISTS det_port_scan AS
WITH
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'port_scan.min_ports') AS min_ports,
               (SELECT value FROM tunables WHERE name = 'port_scan.window') AS win),
a AS (SELECT src, dst, srcport, dstport, protocol, start, action, answered, packets, bytes
        FROM traffic WHERE resp = 0 AND protocol IN (6, 17) AND dstport IS NOT NULL),
cand AS (SELECT src, dst FROM a GROUP BY src, dst
          HAVING port_breadth(dstport) >= (SELECT min_ports FROM tun)),
ca AS (SELECT a.* FROM a JOIN cand USING (src, dst)),
w AS (SELECT src, dst, start,
             port_breadth(dstport) OVER (PARTITION BY src, dst
               ORDER BY start * 1.0 / (SELECT win FROM tun)
               RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS breadth
        FROM ca),
pk AS (SELECT src, dst, max(breadth) AS peak FROM w GROUP BY src, dst),
peak AS (SELECT pk.src, pk.dst, pk.peak,
                (SELECT min(w.start) FROM w WHERE w.src = pk.src AND w.dst = pk.dst
                    AND w.breadth = pk.peak) AS tp
           FROM pk),
peak_span AS (SELECT peak.src, peak.dst, peak.peak,
                     peak.tp - (SELECT min(ca.start) FROM ca
                                 WHERE ca.src = peak.src AND ca.dst = peak.dst
                                   AND ca.start >= peak.tp - (SELECT win FROM tun)) AS pspan
                FROM peak),
s AS (SELECT src, dst, port_breadth(dstport) AS ports, count(*) AS attempts,
             avg(action = 'REJECT') AS rejected,
             avg(action = 'REJECT' OR answered = 0) AS failed,
             avg(packets <= 2 AND bytes IN (40 * packets, 44 * packets)) AS crafted,
             max(src_private) AS insider, min(start) AS t0, max(start) AS t1
        FROM (SELECT ca.*, is_private(ca.src) AS src_private FROM ca)
       GROUP BY src, dst),
op AS (SELECT DISTINCT ca.src, ca.dst, ca.dstport FROM ca
        WHERE ca.action = 'ACCEPT' AND ca.answered = 1
          AND EXISTS (SELECT 1 FROM traffic AS r
                       WHERE r.src = ca.dst AND r.dst = ca.src
                         AND r.srcport = ca.dstport AND r.dstport = ca.srcport
                         AND r.protocol = ca.protocol
                         AND r.start BETWEEN ca.start - 120 AND ca.start + 120
                         AND (r.tcp_flags IS NULL OR (r.tcp_flags & 18) = 18))
        ORDER BY ca.dstport),
opn AS (SELECT src, dst, count(*) AS n,
               group_concat(CASE WHEN k <= 10 THEN dstport END, ', ') AS list
          FROM (SELECT op.*, row_number() OVER (PARTITION BY src, dst ORDER BY dstport) AS k FROM op)
         GROUP BY src, dst),
x AS (SELECT s.*, peak.peak, peak.pspan,
             max(0, min(100, 40 + 20 * log10(peak.peak * 1.0 / (SELECT min_ports FROM tun))
                         + 15 * s.insider + 10 * s.failed + 5 * (s.crafted >= 0.8))) AS score,
             coalesce(opn.list || CASE WHEN opn.n > 10 THEN ' (+' || (opn.n - 10) || ')' ELSE '' END,
                      'none') AS open
        FROM s JOIN peak_span AS peak USING (src, dst)
        LEFT JOIN opn USING (src, dst)
       WHERE peak.peak >= (SELECT min_ports FROM tun))
SELECT 'port_scan' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       src, dst, NULL AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%d ports on %s in %s%s, %d%% rejected, %d%% failed, open: %s; %d%% of probes %s',
              peak, dst,
              CASE WHEN pspan < 120 THEN pspan || ' s' ELSE ((pspan + 30) / 60) || ' min' END,
              CASE WHEN ports > peak THEN printf(' (%d over %s)', ports,
                     CASE WHEN t1 - t0 < 7200 THEN ((t1 - t0 + 30) / 60) || ' min'
                          ELSE printf('%.1f h', (t1 - t0) / 3600.0) END) ELSE '' END,
              CAST(round(100 * rejected) AS INTEGER),
              CAST(round(100 * failed) AS INTEGER), open, CAST(round(100 * crafted) AS INTEGER),
              '40/44 B per packet (SYN without TCP options: crafted)') AS evidence
  FROM x;

SELECT * FROM det_port_scan
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
