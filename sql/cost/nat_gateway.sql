-- cost/nat_gateway.sql - traffic through NAT gateways, per instance and peer.
--
-- Needs: the instances' ENIs in the flow log (VPC- or subnet-level). The
-- NAT gateway is recognised from the data (sql/prepare.sql, translator
-- addresses); with v5 fields the peer's AWS service is named, the usual
-- saving: S3 and DynamoDB through a free gateway endpoint instead of the NAT
-- gateway's per-GB processing charge.
-- Columns: instance, peer (or its AWS service), GB each way, processed GB.

.read sql/prepare.sql

WITH nat AS (SELECT addr FROM vpcflow_translator),
leg AS (
  -- the NAT ENI's instance-side records: instance -> NAT (out) and NAT -> instance (in)
  SELECT srcaddr AS instance, coalesce(pkt_dst, dstaddr) AS peer, dst_service AS service,
         bytes AS b_out, 0 AS b_in
    FROM (SELECT f.*, f.dst AS pkt_dst FROM flows_n AS f)
   WHERE dstaddr IN (SELECT addr FROM nat) AND is_private(srcaddr) AND log_status = 'OK'
  UNION ALL
  SELECT dstaddr, src, src_service, 0, bytes
    FROM flows_n
   WHERE srcaddr IN (SELECT addr FROM nat) AND is_private(dstaddr) AND log_status = 'OK'
     AND dstaddr NOT IN (SELECT addr FROM nat))
SELECT instance, CASE WHEN peer IN (SELECT addr FROM nat) THEN '(peer hidden: v2 format)'
                      ELSE peer END AS peer,
       coalesce(max(service), '') AS aws_service,
       round(sum(b_out) / 1e9, 3) AS gb_out, round(sum(b_in) / 1e9, 3) AS gb_in,
       round((sum(b_out) + sum(b_in)) / 1e9, 3) AS gb_processed
  FROM leg GROUP BY instance, peer
 ORDER BY gb_processed DESC
 LIMIT 25;
