-- exfiltration.sql - large one-way uploads from our hosts to the internet.
--
-- Question   Which host inside the VPC sent a large volume to one internet
--            address, much more than it received back (not an AWS service)?
-- ATT&CK     T1048 Exfiltration Over Alternative Protocol, T1041 Exfiltration
--            Over C2 Channel, T1567 Exfiltration Over Web Service.
--            GuardDuty: Behavior:EC2/TrafficVolumeUnusual.
-- Reads      flows_t (traffic, sql/summaries.sql): every record from the host
--            to the peer (out) and back (in), both directions of the
--            connection, whoever opened it: the sums from pair
--            (sql/summaries.sql), the ports of the candidates from traffic. NAT gateway copies and both-ENI
--            copies are already removed, so bytes are counted once.
-- Gate       out >= exfiltration.min_bytes (500 MB: Turbot Tailpipe's per-record
--            large_data_transfer, tailpipe-mod-aws-vpc-flow-log-detections)
--            and pcr(out, in) >= exfiltration.min_pcr (0.4, the "export"
--            band of the producer-consumer ratio, Bullard & Gerth, as the
--            Threat Hunting Project's PCR hunt uses it); the peer is not
--            private and, with v5 fields, not an AWS service
--            (pkt-dst-aws-service: S3 backups are not exfiltration).
-- Score      45 + 20 * log10(out / min_bytes) + 15 * pcr + 10 if the peer was
--            never seen before the baseline cut, - 35 if it was (the host
--            already used that peer: a backup or replication target looks
--            so; a known peer reaches medium from ~3 GB), clamped 0..100.
-- Tunables   exfiltration.min_bytes 500000000, exfiltration.min_pcr 0.4.
-- v2 / v3+   v2 cannot tell an AWS endpoint from any other internet address:
--            backups to S3 over a gateway endpoint rank as exfiltration there.
--            v5 drops them by pkt-dst-aws-service.
-- False positives  backups and replication to non-AWS targets, CDN origin
--            pushes, log shippers, software uploads to a vendor.

.read sql/prepare.sql
.read sql/summaries.sql

CREATE TEMP VIEW IF NOT EXISTS det_exfiltration AS
WITH
tun AS (SELECT max(value) FILTER (WHERE name = 'exfiltration.min_bytes') AS min_bytes,
               max(value) FILTER (WHERE name = 'exfiltration.min_pcr') AS min_pcr,
               (SELECT cut FROM vpcflow_span) AS cut
          FROM vpcflow_tun),
out_ AS (SELECT src AS host, dst AS peer, sum(bytes) AS out_b, sum(packets) AS pk, min(t0) AS t0, max(t1) AS t1,
                max(dst_service) AS service
           FROM pair WHERE src_private = 1 AND dst_private = 0 GROUP BY src, dst
          HAVING sum(bytes) >= (SELECT min_bytes FROM tun)),
-- the raw records of the candidate pairs, for their ports; k keeps the
-- order of the scan, the order in which group_concat lists them
o AS MATERIALIZED (SELECT row_number() OVER () AS k, src AS host, dst AS peer, dstport, srcport, resp
                     FROM flows_t
                    WHERE src_private = 1 AND dst_private = 0 AND (src, dst) IN (SELECT host, peer FROM out_)),
in_ AS (SELECT dst AS host, src AS peer, sum(bytes) AS in_b, max(src_service) AS service FROM pair
         WHERE dst_private = 1 AND src_private = 0 AND (dst, src) IN (SELECT host, peer FROM out_) GROUP BY dst, src),
-- candidate pairs already seen before the cut, either way
old AS MATERIALIZED (SELECT src, dst FROM pair WHERE t0 < (SELECT cut FROM tun)
                      AND ((src, dst) IN (SELECT host, peer FROM out_) OR (dst, src) IN (SELECT host, peer FROM out_))),
x AS (SELECT out_.*, coalesce(in_.in_b, 0) AS in_b, pcr(out_b, coalesce(in_.in_b, 0)) AS ratio,
             (SELECT group_concat(DISTINCT p)
                FROM (SELECT CASE WHEN o2.resp = 0 THEN o2.dstport ELSE o2.srcport END AS p
                        FROM o AS o2 WHERE o2.host = out_.host AND o2.peer = out_.peer ORDER BY o2.k)) AS ports,
             NOT (EXISTS (SELECT 1 FROM old AS b WHERE b.src = out_.host AND b.dst = out_.peer)
                  OR EXISTS (SELECT 1 FROM old AS b WHERE b.src = out_.peer AND b.dst = out_.host)) AS new_peer
        FROM out_ LEFT JOIN in_ USING (host, peer)
       WHERE out_.service IS NULL AND in_.service IS NULL),
y AS (SELECT x.*, max(0, min(100, 45 + 20 * log10(out_b * 1.0 / (SELECT min_bytes FROM tun))
                              + 15 * ratio + 10 * new_peer - 35 * (1 - new_peer))) AS score
        FROM x WHERE ratio >= (SELECT min_pcr FROM tun))
SELECT 'exfiltration' AS detection, round(score, 1) AS score,
       vpcflow_severity(score) AS severity,
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

-- Printed unless the hunt runs it ('quiet'): the one-row guard is the outer
-- loop (CROSS JOIN keeps it there), so a quiet read computes nothing.
SELECT det_exfiltration.* FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'quiet'))
       CROSS JOIN det_exfiltration
 ORDER BY score DESC;
