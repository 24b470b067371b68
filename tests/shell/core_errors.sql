-- Malformed lines are skipped and listed in vpcflow_errors(file, line,
-- reason, text); the good lines of the same file still come out.
.headers off
.nullvalue NULL
.print -- wrong field count
SELECT log_line, srcport, action FROM vpcflow('fixtures/bad/wrong_count.log');
SELECT line, reason FROM vpcflow_errors WHERE file = 'fixtures/bad/wrong_count.log' ORDER BY line;
SELECT text FROM vpcflow_errors WHERE file = 'fixtures/bad/wrong_count.log' AND line = 4;
.print -- not an integer
SELECT log_line, srcport FROM vpcflow('fixtures/bad/not_integer.log');
SELECT line, reason FROM vpcflow_errors WHERE file = 'fixtures/bad/not_integer.log' ORDER BY line;
.print -- the first failing integer field in header order decides
SELECT log_line, bytes, dstport, srcport FROM vpcflow('fixtures/bad/not_integer_order.log');
SELECT line, reason FROM vpcflow_errors WHERE file = 'fixtures/bad/not_integer_order.log' ORDER BY line;
.print -- out of range; the limits themselves are accepted
SELECT log_line, version, srcport, dstport, protocol FROM vpcflow('fixtures/bad/out_of_range.log');
SELECT line, reason FROM vpcflow_errors WHERE file = 'fixtures/bad/out_of_range.log' ORDER BY line;
SELECT srcport, dstport, protocol, packets, bytes, start, "end" FROM vpcflow('fixtures/misc/int64_max.txt');
.print -- control characters (a tab is a separator)
SELECT log_line, srcport FROM vpcflow('fixtures/bad/control_chars.log');
SELECT line, reason FROM vpcflow_errors WHERE file = 'fixtures/bad/control_chars.log' ORDER BY line;
.print -- invalid UTF-8
SELECT log_line, srcport, interface_id FROM vpcflow('fixtures/bad/invalid_utf8.log');
SELECT line, reason, length(CAST(text AS BLOB)) FROM vpcflow_errors WHERE file = 'fixtures/bad/invalid_utf8.log' ORDER BY line;
.print -- long lines: 65536 bytes is a (one-token) line, 65537 is too long
SELECT log_line, srcport FROM vpcflow('fixtures/bad/long_lines.log.gz');
SELECT line, reason, substr(text, 1, 5), length(text) <= 1000 FROM vpcflow_errors WHERE file = 'fixtures/bad/long_lines.log.gz' ORDER BY line;
SELECT length(text) FROM vpcflow_errors WHERE file = 'fixtures/bad/long_lines.log.gz' AND line = 2;
.print -- errors are distinct per file and line: a second scan adds nothing
SELECT count(*) FROM vpcflow_errors;
SELECT count(*) FROM vpcflow('fixtures/bad');
SELECT count(*) FROM vpcflow_errors;
.print -- the whole bad/ directory
SELECT log_file, count(*) FROM vpcflow('fixtures/bad') GROUP BY log_file ORDER BY log_file;
SELECT file, count(*) FROM vpcflow_errors GROUP BY file ORDER BY file;
.print -- the cap: 10000 rows, then one row with file NULL
.once /tmp/vpcflow_core_errors_many.log
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10107) SELECT 'bad line ' || i FROM n;
SELECT count(*) FROM vpcflow('/tmp/vpcflow_core_errors_many.log');
SELECT count(*), count(file), count(*) - count(file) FROM vpcflow_errors;
SELECT line, reason FROM vpcflow_errors WHERE file = '/tmp/vpcflow_core_errors_many.log' ORDER BY line LIMIT 2;
SELECT instr(reason, '128') > 0 FROM vpcflow_errors WHERE file IS NULL;
.system rm -f /tmp/vpcflow_core_errors_many.log
