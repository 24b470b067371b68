-- AWS's documented sample queries for VPC flow logs in Athena (Athena user
-- guide, "Create a table for Amazon VPC flow logs and query it", and the
-- archived awsdocs/amazon-athena-user-guide vpc-flow-logs.md), as they run
-- against a vpcflow table named vpc_flow_logs.
--
-- Unchanged: queries using only standard SQL. Changed, and marked so: the
-- Presto date functions (day_of_week(date), current_date - interval '7' day)
-- have no SQLite spelling, and Athena's `date` partition column is the
-- vpcflow table's hidden dt column ('YYYY/MM/DD'); the change is the
-- smallest that keeps the meaning.

-- First 100 rows (unchanged).
SELECT * FROM vpc_flow_logs LIMIT 100;

-- Rejected TCP traffic (changed: day_of_week(date) -> strftime('%u', ...) of dt).
SELECT strftime('%u', replace(dt, '/', '-')) AS day, dt AS date, interface_id, srcaddr, action, protocol
FROM vpc_flow_logs
WHERE action = 'REJECT' AND protocol = 6
LIMIT 100;

-- Top 10 HTTPS destinations by packets over the last 7 days of the data
-- (changed: "date > current_date - interval '7' day" is measured from the
-- newest dt in the table, since offline logs are not "today's").
SELECT SUM(packets) AS packetcount, dstaddr
FROM vpc_flow_logs
WHERE dstport = 443
  AND dt > strftime('%Y/%m/%d', (SELECT max(replace(dt, '/', '-')) FROM vpc_flow_logs), '-7 days')
GROUP BY dstaddr
ORDER BY packetcount DESC
LIMIT 10;

-- Sources in 10.0.0.0/8 (Athena has no CIDR test; AWS's sample splits the
-- address). Changed: split_part(srcaddr, '.', 1) = '10' -> substr/instr.
SELECT * FROM vpc_flow_logs
WHERE substr(srcaddr, 1, instr(srcaddr, '.') - 1) = '10'
LIMIT 100;
