-- dns_tunnel.sql - DNS to external resolvers: volume and rate per minute.
--
-- Question   Which host sends DNS traffic straight to an internet resolver, and
--            does its volume or rate look like data moving through DNS?
-- ATT&CK     T1071.004 Application Layer Protocol: DNS, T1048.003 Exfiltration
--            Over Unencrypted Non-C2 Protocol. (Traffic to the Amazon-provided
--            resolver is never in flow logs, so tunnels through it are invisible.)
-- Reads      flows_t (traffic, sql/summaries.sql); our host -> internet, port 53
--            (UDP and TCP), attempts only; replies for the PCR.
-- Gate       per minute: bytes out > dns_tunnel.bytes_per_min (300,000; Sigma
--            "High DNS Bytes Out") or packets out (about one query each)
--            > dns_tunnel.queries_per_min (1,000; Sigma "High DNS Requests Rate"
--           ). Below the gate every external resolver is still listed as
--            low (Panther: "unapproved outbound DNS").
-- Score      over the gate: 50 + 20 * log10(peak bytes/min / gate) + 10 * PCR;
--            under it: 15. Clamped 0..100.
-- Tunables   dns_tunnel.bytes_per_min 300000, dns_tunnel.queries_per_min 1000.
-- v2 / v3+   identical (pkt-* names the resolver behind a NAT gateway).
-- False positives  hosts configured with public resolvers (low), DNS servers
--            and forwarders that query upstream, mail servers (many lookups).

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_dns_tunnel AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'dns_tunnel.bytes_per_min') AS bpm,
               max(value) FILTER (WHERE name = 'dns_tunnel.queries_per_min') AS qpm
          FROM vpcflow_tun),
q AS (SELECT src, dst, start / 60 AS m, sum(bytes) AS b, sum(packets) AS pk
        FROM flows_t WHERE resp = 0 AND dstport = 53 AND protocol IN (6, 17)
         AND src_private = 1 AND dst_private = 0
       GROUP BY 1, 2, 3),
s AS (SELECT src, dst, sum(b) AS out_b, sum(pk) AS queries, max(b) AS peak_b, max(pk) AS peak_q,
             min(m) * 60 AS t0, max(m) * 60 + 59 AS t1,
             sum(b > (SELECT bpm FROM tun) OR pk > (SELECT qpm FROM tun)) AS hot_minutes
        FROM q GROUP BY 1, 2),
-- the replies (from port 53) of the resolvers back to our hosts, summed once
back AS (SELECT src, dst, sum(bytes) AS b FROM flows_t
          WHERE srcport = 53 AND (src, dst) IN (SELECT dst, src FROM s) GROUP BY src, dst),
x AS (SELECT s.*, coalesce(back.b, 0) AS in_b
        FROM s LEFT JOIN back ON back.src = s.dst AND back.dst = s.src),
y AS (SELECT x.*, pcr(out_b, in_b) AS ratio,
             CASE WHEN hot_minutes > 0
                  THEN max(0, min(100, 50 + 20 * log10(max(peak_b * 1.0 / (SELECT bpm FROM tun),
                                                           peak_q * 1.0 / (SELECT qpm FROM tun)))
                                  + 10 * coalesce(pcr(out_b, in_b), 0)))
                  ELSE 15 END AS score
        FROM x)
SELECT 'dns_tunnel' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
       src, dst, 53 AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       CASE WHEN hot_minutes > 0
            THEN printf('%s sent %.1f MB of DNS to %s, up to %.0f KB and %d queries per minute (%d minutes over the gate), PCR %.2f',
                        src, out_b / 1e6, dst, peak_b / 1e3, peak_q, hot_minutes, coalesce(ratio, 0))
            ELSE printf('%s uses the external resolver %s directly (%d queries, %.1f KB): allowed?',
                        src, dst, queries, out_b / 1e3) END AS evidence
  FROM y;

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_dns_tunnel.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_dns_tunnel
 ORDER BY score DESC;
