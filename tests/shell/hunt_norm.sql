-- vpcflow_normalize() over a hand-written v2 file (tests/hunt/eni_tie.log,
-- no flow-direction): eni-a's records name 10.0.0.2 3 times, 10.0.0.9 3
-- times, 10.0.0.30 2 times -> its own address is 10.0.0.2 (a tie goes to
-- the smaller address); eni-b's one record names both once -> 10.0.0.2.
-- All UDP to port 53 from ports >= 1024: no record is a reply (resp 0);
-- no record has a reverse, so answered 0; each 5-tuple appears once per
-- ENI and the repeated one (40001, eni-b) starts at the same second as
-- eni-a's copy, not before it -> conn_start 1 for all. Also the errors.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('tests/hunt/eni_tie.log');
.mode list
SELECT interface_id, srcaddr, dstaddr, coalesce(dir, '-'), skip, resp, answered, conn_start
  FROM vpcflow_normalize('flows');
SELECT * FROM vpcflow_eni_addresses('flows') ORDER BY 1;
SELECT count(*) FROM vpcflow_translators('flows', 3);
SELECT * FROM vpcflow_normalize('no_such_table');
SELECT * FROM vpcflow_normalize(NULL);
