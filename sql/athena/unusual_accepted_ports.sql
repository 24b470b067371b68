-- Athena guide example 3: accepted destination ports used by few flows.
-- Runs unchanged in Athena and against a vpcflow table named vpc_flow_logs.
SELECT dstport, protocol, COUNT(*) AS flows, COUNT(DISTINCT srcaddr) AS sources
FROM vpc_flow_logs
WHERE dt = '2026/02/13' AND action = 'ACCEPT' AND dstport < 1024
GROUP BY dstport, protocol
HAVING COUNT(*) < 10
ORDER BY flows ASC, dstport
LIMIT 20;
