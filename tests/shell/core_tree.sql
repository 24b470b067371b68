-- The whole fixtures tree as one directory: totals worked out file by file
-- in fixtures/README.md ("Totals for the whole tree").
.headers off
.nullvalue NULL
-- scenario/ (the detection tests) and parquet/ (its own unit tests) are
-- left out: the totals below are those of the hand-worked fixtures.
CREATE TEMP VIEW core AS SELECT *, log_file FROM vpcflow('fixtures/')
 WHERE log_file NOT GLOB 'fixtures/scenario/*' AND log_file NOT GLOB 'fixtures/parquet/*';
.print -- rows, files with rows, bytes, packets
SELECT count(*), count(DISTINCT log_file), sum(bytes), sum(packets) FROM core;
.print -- per top-level folder
SELECT substr(log_file, 10, instr(substr(log_file, 10), '/') - 1) AS dir, count(*), sum(bytes), sum(packets)
  FROM core GROUP BY dir ORDER BY dir;
.print -- errors met, per top-level folder
SELECT count(*) FROM vpcflow_errors WHERE file NOT GLOB 'fixtures/parquet/*';
SELECT substr(file, 10, instr(substr(file, 10), '/') - 1) AS dir, count(*) FROM vpcflow_errors WHERE file NOT GLOB 'fixtures/parquet/*' GROUP BY dir ORDER BY dir;
.print -- files are read in byte order of their paths
SELECT count(*) FROM (
  SELECT log_file, lag(log_file) OVER () AS prev FROM core
) WHERE prev IS NOT NULL AND log_file < prev;
.print -- nothing outside .log/.gz names, nothing from dot-files
SELECT count(*) FROM core WHERE log_file NOT LIKE '%.log' AND log_file NOT LIKE '%.gz';
SELECT count(*) FROM core WHERE log_file LIKE '%/.%';
