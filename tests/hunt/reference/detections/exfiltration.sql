-- exfiltration.sql - large one-way uploads from our hosts to the internet.
--
-- Question   Which host inside the VPC sent a large volume to one internet
--            address, much more than it received back (not an AWS service)?
-- ATT&CK     T1048 Exfiltration Over Alternative Protocol, T1041 Exfiltration
--            Over C2 Channel, T1567 Exfiltration Over Web Service.
--            GuardDuty: Behavior:EC2/TrafficVolumeUnusual.
-- Reads      flows via sql/prepare.sql -> traffic: every record from the host
--            to the peer (out) and back (in), both directions of the
--            connection, whoever opened it. NAT gateway copies and both-ENI
--            copies are already removed, so bytes are counted once.
-- Gate       out >= exfiltration.min_bytes (500 MB: Turbot Tailpipe's per-record
--            large_data_transfer, tailpipe-mod-aws-vpc-flow-log-detections)
--            and pcr(out, in) >= exfiltration.min_pcr (0.4, the "export"
--            band of the producer-consumer ratio, Bullard & Gerth, as the
--            Threat Hunting Project's PCR hunt uses it); the peer is not
--            private and, with v5 fields, not an AWS service
--            (pkt-dst-aws-service: S3 backups are not exfiltration).
-- Score      45 + 20 * log10(out / min_bytes) + 15 * pcr + 10 if the peer was
--            never seen before the baseline cut, clamped 0..100.
-- Tunables   exfiltration.min_bytes 500000000, exfiltration.min_pcr 0.4.
-- v2 / v3+   v2 cannot tell an AWS endpoint from any other internet address:
--            backups to S3 over a gateway endpoint rank as exfiltration there.
--            v5 drops them by pkt-dst-aws-service.
-- False positives  backups and replication to non-AWS targets, CDN origin
--            pushes, log shippers, software uploads to a vendor.

.read sql/prepare.sql
INSERT OR IGNORE INTO tunables VALUES
  ('exfiltration.min_bytes', 500000000, 'bytes out to one peer (Tailpipe: 500 MB)'),
  ('exfiltration.min_pcr', 0.4, 'producer-consumer ratio (PCR >= 0.4 = export)');

CREATE TEMP VIEW IF NOT EXISTS det_exfiltration AS
WITH
tun AS (SELECT (SELECT value FROM tunables WHERE name = 'exfiltration.min_bytes') AS min_bytes,
               (SELECT value FROM tunables WHERE name = 'exfiltration.min_pcr') AS min_pcr,
               (SELECT cut FROM vpcflow_span) AS cut),
o AS (SELECT src AS host, dst AS peer, dstport, srcport, resp, bytes, packets, start, "end", dst_service AS service
        FROM traffic WHERE src_private AND NOT dst_private),
i AS (SELECT dst AS host, src AS peer, bytes, src_service AS service
        FROM traffic WHERE dst_private AND NOT src_private),
out_ AS (SELECT host, peer, sum(bytes) AS out_b, sum(packets) AS pk, min(start) AS t0, max("end") AS t1,
                max(service) AS service,
                (SELECT group_concat(DISTINCT CASE WHEN o2.resp = 0 THEN o2.dstport ELSE o2.srcport END)
                   FROM o AS o2 WHERE o2.host = o.host AND o2.peer = o.peer) AS ports
           FROM o GROUP BY host, peer
          HAVING sum(bytes) >= (SELECT min_bytes FROM tun)),
in_ AS (SELECT host, peer, sum(bytes) AS in_b, max(service) AS service FROM i
         WHERE (host, peer) IN (SELECT host, peer FROM out_) GROUP BY host, peer),
x AS (SELECT out_.*, coalesce(in_.in_b, 0) AS in_b, pcr(out_b, coalesce(in_.in_b, 0)) AS ratio,
             NOT EXISTS (SELECT 1 FROM traffic AS b WHERE b.start < (SELECT cut FROM tun)
                          AND ((b.src = out_.host AND b.dst = out_.peer)
                            OR (b.src = out_.peer AND b.dst = out_.host))) AS new_peer
        FROM out_ LEFT JOIN in_ USING (host, peer)
       WHERE out_.service IS NULL AND in_.service IS NULL),
y AS (SELECT x.*, max(0, min(100, 45 + 20 * log10(out_b * 1.0 / (SELECT min_bytes FROM tun))
                              + 15 * ratio + 10 * new_peer - 35 * (1 - new_peer))) AS score
        FROM x WHERE ratio >= (SELECT min_pcr FROM tun))
SELECT 'exfiltration' AS detection, round(score, 1) AS score,
       CASE WHEN score >= 85 THEN 'critical' WHEN score >= 65 THEN 'high'
            WHEN score >= 40 THEN 'medium' ELSE 'low' END AS severity,
       host AS src, peer AS dst, CASE WHEN ports NOT LIKE '%,%' THEN CAST(ports AS INTEGER) END AS port,
       strftime('%Y-%m-%dT%H:%M:%SZ', t0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%SZ', t1, 'unixepoch') AS last_seen,
       printf('%s sent %.2f GB to %s (port %s) in %s and received %.1f MB: PCR %.2f%s',
              host, out_b / 1e9, peer, ports,
              CASE WHEN t1 - t0 < 120 THEN (t1 - t0) || ' s' WHEN t1 - t0 < 7200
                   THEN ((t1 - t0 + 30) / 60) || ' min' ELSE printf('%.1f h', (t1 - t0) / 3600.0) END,
              in_b / 1e6, ratio,
              CASE WHEN new_peer THEN '; peer never seen before ' ||
                   strftime('%H:%M', (SELECT cut FROM tun), 'unixepoch') ELSE '' END) AS evidence
  FROM y;

SELECT * FROM det_exfiltration
 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet')
 ORDER BY score DESC;
