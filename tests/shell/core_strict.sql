-- Strict mode: the first malformed line is an SQL error naming file:line.
.headers off
.nullvalue NULL
.print -- table-valued form, third argument 1
SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log', NULL, 1);
SELECT count(*) FROM vpcflow('fixtures/bad/not_integer.log', NULL, 1);
SELECT count(*) FROM vpcflow('fixtures/bad/out_of_range.log', NULL, 1);
SELECT count(*) FROM vpcflow('fixtures/bad/control_chars.log', NULL, 1);
SELECT count(*) FROM vpcflow('fixtures/bad/invalid_utf8.log', NULL, 1);
SELECT count(*) FROM vpcflow('fixtures/bad/long_lines.log.gz', NULL, 1);
SELECT count(*) FROM vpcflow('fixtures/gzip/truncated.log.gz', NULL, 1);
.print -- strict 0 is the default: skip and record
SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log', NULL, 0);
.print -- strict on a clean file is no different
SELECT count(*), sum(bytes) FROM vpcflow('fixtures/v2/basic.log', NULL, 1);
.print -- strict with a format string
SELECT count(*) FROM vpcflow('fixtures/custom/nat6_headerless.txt', 'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr', 1);
.print -- strict over a directory stops at the first bad line in path order
SELECT count(*) FROM vpcflow('fixtures/bad', NULL, 1);
.print -- CREATE ... strict=1
CREATE VIRTUAL TABLE temp.s USING vpcflow('fixtures/bad/not_integer_order.log', strict=1);
SELECT count(*) FROM s;
.print -- the non-strict scan recorded its errors
SELECT file, line, reason FROM vpcflow_errors WHERE file = 'fixtures/bad/wrong_count.log' ORDER BY line;
