-- Nothing silent, arguments checked, vpcflow_errors emptied by DELETE,
-- Parquet counts consistent. Expected values come from the fixtures'
-- documented contents (fixtures/README.md, fixtures/parquet/README.md).
.headers off
.nullvalue NULL
.system env -u LD_PRELOAD sh tests/shell/core_hygiene.sh
.print -- an empty folder (a failed sync): an error, not 0 rows
SELECT count(*) FROM vpcflow('/tmp/vpcflow_core_hygiene/empty');
.print -- a folder of other files: what was skipped, and the glob to use
SELECT count(*) FROM vpcflow('/tmp/vpcflow_core_hygiene/other/');
.print -- Firehose names without an extension: skipped by the walk, read by a glob (3 rows, 5100 bytes)
SELECT count(*) FROM vpcflow('/tmp/vpcflow_core_hygiene/firehose');
SELECT count(*), sum(bytes) FROM vpcflow('/tmp/vpcflow_core_hygiene/firehose/**');
.print -- a v5 file without a header and no format: an error naming file, line, reason
SELECT count(*) FROM vpcflow('/tmp/vpcflow_core_hygiene/v5-noheader.log');
.print -- ... read with its format: 2 rows, 15515 bytes
SELECT count(*), sum(bytes), group_concat(flow_direction, ' ') FROM vpcflow('/tmp/vpcflow_core_hygiene/v5-noheader.log',
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${region} ${az-id} ${sublocation-type} ${sublocation-id} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}');
.print -- a file with some bad lines: its good rows, as before (bad/wrong_count.log: 2 rows, 3 errors)
DELETE FROM vpcflow_errors;
SELECT count(*), sum(bytes) FROM vpcflow('fixtures/bad/wrong_count.log');
SELECT count(*) FROM vpcflow_errors;
.print -- a tree where one file reads nothing: the others' rows (8 + 2), that file's 2 errors recorded
DELETE FROM vpcflow_errors;
SELECT count(*) FROM vpcflow('/tmp/vpcflow_core_hygiene/tree');
SELECT replace(file, '/tmp/vpcflow_core_hygiene/tree/', ''), line, reason FROM vpcflow_errors ORDER BY line;
.print -- a header-only file whose header has a field vpcflow has no column for: 0 rows, one note, no error
DELETE FROM vpcflow_errors;
SELECT count(*) FROM vpcflow('/tmp/vpcflow_core_hygiene/header-only.log');
SELECT line, substr(reason, 1, 40) FROM vpcflow_errors;
.print -- strict: the whole file fails at its first bad line, whatever the spelling
SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log', NULL, 'yes');
SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log', NULL, 'On');
SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log', NULL, 'false');
SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log', NULL, 'maybe');
.print -- a 4th argument would filter on log_file: an error
SELECT count(*) FROM vpcflow('fixtures/v2/basic.log', NULL, 0, 'fixtures/v2/basic.log');
CREATE VIRTUAL TABLE temp.basic USING vpcflow('fixtures/v2/basic.log', strict=TRUE);
SELECT count(*) FROM basic('fixtures/v2/basic.log');
SELECT count(*) FROM basic WHERE log_file = 'fixtures/v2/basic.log';
CREATE VIRTUAL TABLE temp.bad USING vpcflow('fixtures/v2/basic.log', strict=sometimes);
.print -- vpcflow_errors: DELETE empties it, by row or whole; a line met again is shown again
DELETE FROM vpcflow_errors;
SELECT count(*) FROM vpcflow('fixtures/bad');
SELECT count(*) FROM vpcflow_errors;
DELETE FROM vpcflow_errors WHERE file = 'fixtures/bad/wrong_count.log';
SELECT count(*), sum(file = 'fixtures/bad/wrong_count.log') FROM vpcflow_errors;
SELECT count(*) FROM vpcflow('fixtures/bad/wrong_count.log');
SELECT line, reason FROM vpcflow_errors WHERE file = 'fixtures/bad/wrong_count.log' ORDER BY line;
UPDATE vpcflow_errors SET reason = 'x';
INSERT INTO vpcflow_errors VALUES ('f', 1, 'r', 't');
DELETE FROM vpcflow_errors;
SELECT count(*) FROM vpcflow_errors;
.print -- Parquet ZSTD: count(*) and SELECT * see the same 6 rows (bytes 4249+4249+8855+336)
SELECT count(*) FROM vpcflow('fixtures/parquet/v2-zstd.parquet');
SELECT count(*), sum(bytes), group_concat(log_status, ' ') FROM (SELECT * FROM vpcflow('fixtures/parquet/v2-zstd.parquet'));
.print -- a codec still not read: refused whole, the same error for count(*) and SELECT *
SELECT count(*) FROM vpcflow('fixtures/parquet/v2-lz4.parquet');
SELECT * FROM vpcflow('fixtures/parquet/v2-lz4.parquet');
.system env -u LD_PRELOAD sh tests/shell/core_hygiene.sh clean
