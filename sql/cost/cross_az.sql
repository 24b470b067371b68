-- cost/cross_az.sql - traffic between Availability Zones inside the VPC.
--
-- Needs: az-id (v4) to name the zones; with v3 subnet-id, each subnet is
-- reported instead; with v2 alone the zone of an address is unknown and
-- the query says so. Intra-VPC flows are logged on both ENIs: the sender's
-- egress copy gives the sender's zone, the receiver's ingress copy the
-- receiver's zone, so the zone of each address is learnt from the records
-- its own ENI wrote.
-- Columns: source zone, destination zone, GB (cross-AZ transfer is billed
-- in each direction).

.read sql/prepare.sql

WITH
addr_az AS (SELECT CASE WHEN dir = 'egress' THEN srcaddr ELSE dstaddr END AS addr,
                   max(coalesce(az_id, subnet_id)) AS az
              FROM flows_n WHERE log_status = 'OK' AND dir IS NOT NULL GROUP BY 1),
t AS (SELECT coalesce(s.az, '?') AS src_az, coalesce(d.az, '?') AS dst_az, f.bytes
        FROM traffic AS f
        LEFT JOIN addr_az AS s ON s.addr = f.src LEFT JOIN addr_az AS d ON d.addr = f.dst
       WHERE f.src_private AND f.dst_private)
SELECT src_az, dst_az, round(sum(bytes) / 1e9, 3) AS gb,
       CASE WHEN src_az = '?' OR dst_az = '?' THEN 'zone unknown (needs az-id or subnet-id)'
            WHEN src_az <> dst_az THEN 'cross-AZ: billed' ELSE 'same zone' END AS note
  FROM t GROUP BY src_az, dst_az
 ORDER BY (src_az <> dst_az) DESC, gb DESC;
