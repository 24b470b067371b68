-- sessions.sql, investigate/, cost/ and athena/ on the v5 scenario. Values
-- are the ones tests/scenario/gen.py writes: the exfiltration connection
-- sends 1,800,000 packets / 2,500,000,000 bytes and gets 600,000 packets /
-- 1,000,000 bytes back; the S3 backup is four 2,000,000,000-byte streams.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read sql/sessions.sql
SELECT client, server, server_port, packets_out, bytes_out, packets_in, bytes_in, outcome
  FROM sessions WHERE server = '198.51.100.150';
-- a refused probe of the port scan: no answer, REJECT
SELECT outcome, packets_in FROM sessions
 WHERE client = '10.0.1.15' AND server = '10.0.2.30' AND server_port = 80;
.output /dev/null
.read sql/cost/top_talkers.sql
.output stdout
.parameter set @ip 10.0.2.30
.output /dev/null
.read sql/investigate/timeline.sql
.read sql/investigate/peers.sql
.read sql/investigate/hourly.sql
.output stdout
WITH t AS (
  SELECT CASE WHEN src = @ip THEN dst ELSE src END AS peer,
         sum(CASE WHEN src = @ip THEN bytes ELSE 0 END) AS b_out
    FROM traffic WHERE src = @ip OR dst = @ip GROUP BY 1)
SELECT peer, b_out FROM t WHERE peer = '198.51.100.150';
-- the Athena examples run unchanged on a table named vpc_flow_logs
CREATE VIRTUAL TABLE temp.vpc_flow_logs USING vpcflow('fixtures/scenario/v5');
.output /dev/null
.read sql/athena/top_talkers.sql
.read sql/athena/rejected_by_source.sql
.read sql/athena/unusual_accepted_ports.sql
.read sql/athena/aws_samples.sql
.output stdout
SELECT 'athena files ran';
