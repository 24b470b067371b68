-- sessions.sql - pair the two directional records of each connection.
--
-- Usage (from the repository root):
--   .load ./vpcflow
--   CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/');
--   .read sql/sessions.sql
--   SELECT * FROM sessions ORDER BY bytes_out + bytes_in DESC LIMIT 20;
--
-- A flow log writes one record per direction (and per ENI and per
-- aggregation interval). The TEMP view `sessions` has one row per
-- connection: the initiator's records (resp = 0 in flows_n, see
-- sql/prepare.sql) grouped by 5-tuple, joined to the answering records
-- (the reversed 5-tuple), after NAT-gateway copies and both-ENI duplicates
-- are removed. bytes_in/packets_in are 0 when nothing answered
-- (a refused or unanswered attempt: answered = 0).
-- Limits: a 5-tuple reused for two connections within the data (rare; it
-- needs the same client port) is one row; a connection split across the
-- baseline of two data sets is two rows.

.read sql/prepare.sql

CREATE TEMP VIEW IF NOT EXISTS sessions AS
WITH
o AS (SELECT src, dst, srcport, dstport, protocol, min(start) AS start, max("end") AS "end",
             sum(packets) AS packets_out, sum(bytes) AS bytes_out,
             max(action = 'REJECT') AS rejected, max(answered) AS answered,
             group_concat(DISTINCT interface_id) AS interfaces
        FROM traffic WHERE resp = 0 GROUP BY src, dst, srcport, dstport, protocol),
r AS (SELECT src, dst, srcport, dstport, protocol, sum(packets) AS packets_in, sum(bytes) AS bytes_in,
             max("end") AS "end"
        FROM traffic WHERE resp = 1 GROUP BY src, dst, srcport, dstport, protocol)
SELECT o.src AS client, o.srcport AS client_port, o.dst AS server, o.dstport AS server_port,
       o.protocol, strftime('%Y-%m-%dT%H:%M:%SZ', o.start, 'unixepoch') AS started,
       max(o."end", coalesce(r."end", 0)) - o.start AS seconds,
       o.packets_out, o.bytes_out, coalesce(r.packets_in, 0) AS packets_in,
       coalesce(r.bytes_in, 0) AS bytes_in,
       CASE WHEN o.rejected THEN 'REJECT' WHEN r.src IS NULL THEN 'unanswered' ELSE 'ACCEPT' END AS outcome,
       o.interfaces
  FROM o LEFT JOIN r
    ON r.src = o.dst AND r.dst = o.src AND r.srcport IS o.dstport AND r.dstport IS o.srcport
   AND r.protocol IS o.protocol;
