-- cost/top_talkers.sql - who moves the bytes, counted once.
--
-- Needs: the default v2 fields. Better with v5 (pkt-* and the AWS service
-- of the peer). Reads flows via sql/prepare.sql, so a flow logged on two
-- ENIs, or at a NAT gateway and at the instance, is counted once (a plain
-- SUM(bytes) over the files counts intra-VPC traffic twice).
-- Columns: host inside the VPC, where its traffic goes (same VPC, internet,
-- AWS service), bytes out and in. Data transfer is billed per GB on the
-- internet, cross-AZ and NAT paths (cross_az.sql, nat_gateway.sql).

.read sql/prepare.sql

WITH t AS (
  SELECT src AS host, bytes AS b_out, 0 AS b_in,
         CASE WHEN dst_private THEN 'vpc' WHEN dst_service IS NOT NULL THEN 'aws:' || dst_service
              ELSE 'internet' END AS peer_kind
    FROM traffic WHERE src_private
  UNION ALL
  SELECT dst, 0, bytes,
         CASE WHEN src_private THEN 'vpc' WHEN src_service IS NOT NULL THEN 'aws:' || src_service
              ELSE 'internet' END
    FROM traffic WHERE dst_private)
SELECT host, peer_kind, round(sum(b_out) / 1e9, 3) AS gb_out, round(sum(b_in) / 1e9, 3) AS gb_in,
       bar(sum(b_out) + sum(b_in), 0, max(sum(b_out) + sum(b_in)) OVER (), 30) AS volume
  FROM t GROUP BY host, peer_kind
 ORDER BY sum(b_out) + sum(b_in) DESC
 LIMIT 25;
