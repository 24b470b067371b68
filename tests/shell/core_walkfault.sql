-- A walk that meets entries it cannot read (issue 18, item 1): each is an
-- error row naming the path and the OS reason, the other files are read;
-- strict mode fails naming it. fixtures/v2/basic.log holds 8 records.
-- (The permission cases need a non-root user: tests/unit/test_reliability.c
-- runs them as nobody.)
.headers off
.nullvalue NULL
.system rm -rf /tmp/vpcflow_walkfault && mkdir -p /tmp/vpcflow_walkfault/t/sub && cp fixtures/v2/basic.log /tmp/vpcflow_walkfault/t/a.log && cp fixtures/v2/basic.log /tmp/vpcflow_walkfault/t/sub/b.log
.system ln -s loop /tmp/vpcflow_walkfault/t/loop && ln -s gone.log /tmp/vpcflow_walkfault/t/current.log && ln -s gone.txt /tmp/vpcflow_walkfault/t/notes
.print -- a symlink loop (ELOOP) and a dangling link named like a log: rows, 16
SELECT count(*) FROM vpcflow('/tmp/vpcflow_walkfault/t');
.print -- ... and one error row each, in path order; the dangling link notes is not a log's name
SELECT file, line, reason FROM vpcflow_errors;
.print -- the same through a glob
DELETE FROM vpcflow_errors;
SELECT count(*) FROM vpcflow('/tmp/vpcflow_walkfault/t/**');
SELECT file, line, reason FROM vpcflow_errors;
.print -- strict: the first problem in path order fails the statement
SELECT count(*) FROM vpcflow('/tmp/vpcflow_walkfault/t', NULL, 1);
.system rm -rf /tmp/vpcflow_walkfault
