-- Athena guide example 2: rejected traffic by source and destination port.
-- Runs unchanged in Athena and against a vpcflow table named vpc_flow_logs.
SELECT srcaddr, dstport, COUNT(*) AS rejects
FROM vpc_flow_logs
WHERE dt = '2026/02/13' AND action = 'REJECT'
GROUP BY srcaddr, dstport
ORDER BY rejects DESC
LIMIT 20;
