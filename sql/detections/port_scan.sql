-- port_scan.sql - vertical port scan: one source tries many ports of one host.
--
-- Question   Which source probed many ports of one destination in a short
--            time, and which of those ports answered?
-- ATT&CK     T1046 Network Service Discovery. GuardDuty: Recon:EC2/Portscan.
-- Reads      flows (any vpcflow table): flows_t (traffic, sql/summaries.sql);
--            candidates from att_port (sql/summaries.sql), their raw attempts
--            and the answers to them from traffic.
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
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_port_scan AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'port_scan.min_ports') AS min_ports,
               max(value) FILTER (WHERE name = 'port_scan.window') AS win
          FROM vpcflow_tun),
-- A pair reaches min_ports only if it has min_ports attempt records:
-- vpcflow_att_keys_pair counts them in C (ext/day_attkeys.c), so only the
-- att_port rows of those pairs are grouped (on random addresses there are
-- none, and the one-row guards, outer loops, skip the scans below).
keys AS MATERIALIZED (SELECT src, dst FROM vpcflow_att_keys_pair WHERE n >= (SELECT min_ports FROM tun)),
cand AS MATERIALIZED (
        SELECT src, dst FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM keys)) CROSS JOIN att_port
         WHERE protocol IN (6, 17) AND dstport IS NOT NULL AND (src, dst) IN (SELECT src, dst FROM keys)
         GROUP BY src, dst HAVING port_breadth(dstport) >= (SELECT min_ports FROM tun)),
-- the raw attempts of the candidates only, in one scan
ca AS (SELECT src, dst, srcport, dstport, protocol, start, action, answered, packets, bytes
         FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM cand)) CROSS JOIN flows_t
        WHERE resp = 0 AND protocol IN (6, 17) AND dstport IS NOT NULL
          AND (src, dst) IN (SELECT src, dst FROM cand)),
w AS (SELECT src, dst, start,
             port_breadth(dstport) OVER (PARTITION BY src, dst
               ORDER BY start * 1.0 / (SELECT win FROM tun)
               RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS breadth
        FROM ca),
pk AS (SELECT src, dst, max(breadth) AS peak FROM w GROUP BY src, dst),
peak AS (SELECT pk.src, pk.dst, pk.peak, min(w.start) AS tp
           FROM pk JOIN w ON w.src = pk.src AND w.dst = pk.dst AND w.breadth = pk.peak
          GROUP BY pk.src, pk.dst),
peak_span AS (SELECT peak.src, peak.dst, peak.peak,
                     peak.tp - min(ca.start) AS pspan
                FROM peak JOIN ca ON ca.src = peak.src AND ca.dst = peak.dst
                 AND ca.start >= peak.tp - (SELECT win FROM tun)
               GROUP BY peak.src, peak.dst),
s AS (SELECT src, dst, port_breadth(dstport) AS ports, count(*) AS attempts,
             avg(action = 'REJECT') AS rejected,
             avg(action = 'REJECT' OR answered = 0) AS failed,
             avg(packets <= 2 AND bytes IN (40 * packets, 44 * packets)) AS crafted,
             max(src_private) AS insider, min(start) AS t0, max(start) AS t1
        FROM (SELECT ca.*, is_private(ca.src) AS src_private FROM ca)
       GROUP BY src, dst),
-- answers that show an open port (SYN-ACK, or any answer without tcp-flags):
-- the records from the candidates' targets back to them, in one scan
rev AS MATERIALIZED (SELECT src, dst, srcport, dstport, protocol, start
         FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM cand)) CROSS JOIN flows_t
         WHERE (tcp_flags IS NULL OR (tcp_flags & 18) = 18)
           AND (src, dst) IN (SELECT dst, src FROM cand)),
op AS (SELECT DISTINCT ca.src, ca.dst, ca.dstport FROM ca
        WHERE ca.action = 'ACCEPT' AND ca.answered = 1
          AND EXISTS (SELECT 1 FROM rev AS r
                       WHERE r.src = ca.dst AND r.dst = ca.src
                         AND r.srcport = ca.dstport AND r.dstport = ca.srcport
                         AND r.protocol = ca.protocol
                         AND r.start BETWEEN ca.start - 120 AND ca.start + 120)
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
       vpcflow_severity(score) AS severity,
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

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_port_scan.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_port_scan
 ORDER BY score DESC;
