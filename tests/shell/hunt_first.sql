-- vpcflow_first_record (ext/day_first.c) on the hand-written v2 file
-- tests/hunt/eni_tie.log, line by line (line 1 is the header):
--   2 eni-a 10.0.0.9  -> 10.0.0.2  40001 -> 53  UDP  start 1700000100
--   3 eni-a 10.0.0.2  -> 10.0.0.9  40002 -> 53  UDP  start 1700000200
--   4 eni-a 10.0.0.30 -> 10.0.0.2  40003 -> 53  UDP  start 1700000300
--   5 eni-a 10.0.0.9  -> 10.0.0.30 40004 -> 53  UDP  start 1700000400
--   6 eni-b 10.0.0.9  -> 10.0.0.2  40001 -> 53  UDP  start 1700000100
-- all OK, account 123456789012, no VPC (v2). Each expectation by hand
-- from the rule in the file's header.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('tests/hunt/eni_tie.log');
.mode list
.nullvalue NULL
-- before the day is prepared: the error says what to do
SELECT * FROM vpcflow_first_record('10.0.0.9', NULL, NULL, 1700000100);
SELECT records, traffic FROM vpcflow_prepare('flows', 3);
-- 10.0.0.9 at 1700000100: lines 2 and 6, same second and file: line 2
SELECT log_line, protocol, interface_id, account_id, vpc_id, start, rule
  FROM vpcflow_first_record('10.0.0.9', NULL, NULL, 1700000100);
-- to 10.0.0.30 port 53: line 5 is 300 s after the minute; last_seen
-- 1700000400 reaches it
SELECT count(*) FROM vpcflow_first_record('10.0.0.9', '10.0.0.30', 53, 1700000100);
SELECT log_line, rule FROM vpcflow_first_record('10.0.0.9', '10.0.0.30', 53, 1700000100, 1700000400);
-- no source: to 10.0.0.2 port 53 from 1700000250: line 4 (at 300)
SELECT log_line, rule FROM vpcflow_first_record(NULL, '10.0.0.2', 53, 1700000250);
-- a source list (not an address of the day): the same by destination
SELECT log_line, rule FROM vpcflow_first_record('10.0.0.9,10.0.0.30', '10.0.0.2', 53, 1700000250);
-- an ENI: eni-b's traffic in its minute (line 6); none in 101's minute
-- nor any record after -> no row; eni-a from 101: no traffic before 161,
-- so its first record of any status from 101 on: line 3 (at 200)
SELECT log_line, rule FROM vpcflow_first_record('eni-b', NULL, NULL, 1700000050);
SELECT count(*) FROM vpcflow_first_record('eni-b', NULL, NULL, 1700000101);
SELECT log_line, rule FROM vpcflow_first_record('eni-a', NULL, NULL, 1700000101);
-- from a table, in a join (the hunt's shape)
CREATE TEMP TABLE h(src, dst, port, t0);
INSERT INTO h VALUES ('10.0.0.30', NULL, 53, 1700000300), ('10.0.0.2', '10.0.0.9', 40002, 1700000200),
                     ('10.0.0.99', NULL, NULL, 1700000100);
SELECT h.src, r.log_line FROM h LEFT JOIN vpcflow_first_record(h.src, h.dst, h.port, h.t0) AS r ORDER BY 1;
-- errors
SELECT * FROM vpcflow_first_record('10.0.0.9');
SELECT * FROM vpcflow_first_record('10.0.0.9', NULL, NULL, 1700000100, NULL, 'nearest');
