-- The GROUP BY fast path never fails a query SQLite could run (issue 18,
-- item 4). A grouping store that cannot finish in memory (its budget
-- VPCFLOW_GROUP_MB, or malloc failing) frees its memory and the scan is
-- read again into a temporary database sorted by SQLite (group.c, THE
-- SPILL). The expectation is always the same query sorted by SQLite
-- itself (GROUP BY +column, or VPCFLOW_GROUP=off in a child process).
.headers off
.nullvalue NULL
.system env -u LD_PRELOAD sh tests/shell/core_groupspill.sh make
.print -- in this process, with SQLite's heap capped (PRAGMA hard_heap_limit):
.print -- the grouped result equals SQLite's own grouping, for plain text,
.print -- gzip and Parquet (fixtures/scenario/v2: 111,951 records, 111,975 lines
.print -- with the headers; many-gzip.parquet: 6000 rows a copy, 12 copies)
CREATE TEMP TABLE ref_t AS SELECT srcaddr, dstaddr, count(*) n, sum(bytes) b,
  max(interface_id) i, min(start) s, max(action) a
  FROM vpcflow('build/groupspill/plain.log') GROUP BY +srcaddr, +dstaddr;
CREATE TEMP TABLE ref_p AS SELECT interface_id, srcport, count(*) n,
  sum(bytes) b, min(start) s, max(action) a
  FROM vpcflow('build/groupspill/pq') GROUP BY +interface_id, +srcport;
SELECT sum(n) FROM ref_t;
SELECT sum(n) FROM ref_p;
.output /dev/null
PRAGMA hard_heap_limit=12000000;
.output stdout
CREATE TEMP TABLE got_plain AS SELECT srcaddr, dstaddr, count(*) n,
  sum(bytes) b, max(interface_id) i, min(start) s, max(action) a
  FROM vpcflow('build/groupspill/plain.log') GROUP BY srcaddr, dstaddr;
CREATE TEMP TABLE got_gz AS SELECT srcaddr, dstaddr, count(*) n,
  sum(bytes) b, max(interface_id) i, min(start) s, max(action) a
  FROM vpcflow('build/groupspill/gz') GROUP BY srcaddr, dstaddr;
.output /dev/null
PRAGMA hard_heap_limit=7000000;
.output stdout
CREATE TEMP TABLE got_pq AS SELECT interface_id, srcport, count(*) n,
  sum(bytes) b, min(start) s, max(action) a
  FROM vpcflow('build/groupspill/pq') GROUP BY interface_id, srcport;
.output /dev/null
PRAGMA hard_heap_limit=0;
.output stdout
.print -- rows missing, rows extra, in each: 0 0 for all three
SELECT 'plain', (SELECT count(*) FROM (SELECT * FROM ref_t EXCEPT SELECT * FROM got_plain)),
  (SELECT count(*) FROM (SELECT * FROM got_plain EXCEPT SELECT * FROM ref_t)),
  (SELECT count(*) FROM got_plain)=(SELECT count(*) FROM ref_t);
SELECT 'gzip', (SELECT count(*) FROM (SELECT * FROM ref_t EXCEPT SELECT * FROM got_gz)),
  (SELECT count(*) FROM (SELECT * FROM got_gz EXCEPT SELECT * FROM ref_t)),
  (SELECT count(*) FROM got_gz)=(SELECT count(*) FROM ref_t);
SELECT 'parquet', (SELECT count(*) FROM (SELECT * FROM ref_p EXCEPT SELECT * FROM got_pq)),
  (SELECT count(*) FROM (SELECT * FROM got_pq EXCEPT SELECT * FROM ref_p)),
  (SELECT count(*) FROM got_pq)=(SELECT count(*) FROM ref_p);
.print -- the same in a child process: a tiny VPCFLOW_GROUP_MB, then
.print -- `ulimit -v` with the default budget; and the plan's estimate by content
.system env VPCFLOW_CHILD_PRELOAD="$LD_PRELOAD" LD_PRELOAD= sh tests/shell/core_groupspill.sh run
.system sh tests/shell/core_groupspill.sh clean
