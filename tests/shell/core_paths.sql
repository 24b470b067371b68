-- Paths: a file (even with glob characters or spaces in its name), a
-- directory (recursive; .log/.gz/.parquet only; no dot-files; byte order),
-- globs (*, ?, [..], **), and the errors for a missing path or no match.
.headers off
.nullvalue NULL
.print -- directory: files in byte order of their paths, rows file by file
SELECT log_file, srcport FROM vpcflow('fixtures/order');
.print -- the same directory written with a trailing slash
SELECT count(*), min(log_file), max(log_file) FROM vpcflow('fixtures/order/');
.print -- * does not cross a slash
SELECT log_file FROM vpcflow('fixtures/order/*.log');
.print -- ** matches zero or more directories
SELECT log_file FROM vpcflow('fixtures/order/**/*.log');
SELECT log_file FROM vpcflow('fixtures/order/**/Z.log');
.print -- ? and [..]
SELECT log_file FROM vpcflow('fixtures/order/?.log');
SELECT log_file FROM vpcflow('fixtures/order/[Za].log');
.print -- a glob returns regular files only (not the directory sub/)
SELECT log_file FROM vpcflow('fixtures/order/sub*');
.print -- ** across the fixtures tree
SELECT log_file, count(*) FROM vpcflow('fixtures/**/basic*') GROUP BY log_file ORDER BY log_file;
.print -- directory misc/: .log files only, dot-files and notes.txt left out
SELECT DISTINCT log_file FROM vpcflow('fixtures/misc');
SELECT count(*), sum(bytes) FROM vpcflow('fixtures/misc');
.print -- a file name with spaces
SELECT log_file, srcport, bytes FROM vpcflow('fixtures/misc/name with spaces.log');
.print -- an existing file whose name has glob characters is read as itself
SELECT log_file, bytes FROM vpcflow('fixtures/misc/glob[1].log');
.print -- while a glob that matches the other file reads that one
SELECT log_file, bytes FROM vpcflow('fixtures/misc/glob?.log');
.print -- dot-files and other names are read when named
SELECT log_file, bytes FROM vpcflow('fixtures/misc/.hidden.log');
SELECT log_file, bytes FROM vpcflow('fixtures/misc/notes.txt');
.print -- a glob star does not match a leading dot
SELECT count(*) FROM vpcflow('fixtures/misc/*hidden*');
.print -- missing path
SELECT count(*) FROM vpcflow('nope.log');
.print -- glob with no match
SELECT count(*) FROM vpcflow('x/*.zz');
.print -- nothing here is a malformed line
SELECT count(*) FROM vpcflow_errors;
