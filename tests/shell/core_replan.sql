-- A GROUP BY plans its scan: xBestIndex lists the path and stamps each
-- file (size, time, inode) so that the scan can tell a file that changes
-- under it (ext/plan.c, plan_estimate_bytes). A statement that is planned
-- and never scanned (EXPLAIN QUERY PLAN here; also one that fails or is
-- interrupted before its scan) must not leave its stamps to the next
-- statement: files touched in between (same size, a new time: what a
-- re-sync that rewrites them in place does) are read as they are now.
-- Before the fix, the second statement failed with "file was rewritten
-- while being read" (found by the soak, seed 11113177294065628856).
-- Expected: fixtures/v2 has 8 + 3 + 2 = 13 records (basic.log and ipv6.log
-- have a header line, headerless.log none) from 10 distinct srcaddr
-- (`grep -v ^version fixtures/v2/*.log | awk '{print $4}' | sort -u`).
.headers off
.system env -u LD_PRELOAD sh -c "rm -rf build/core_replan && mkdir -p build/core_replan && cp fixtures/v2/*.log build/core_replan/"
.output /dev/null
EXPLAIN QUERY PLAN SELECT srcaddr, count(*) FROM vpcflow('build/core_replan') GROUP BY srcaddr;
.output stdout
.system env -u LD_PRELOAD sh -c "touch -m -d '2001-02-03 04:05:06' build/core_replan/basic.log build/core_replan/headerless.log build/core_replan/ipv6.log"
SELECT sum(n), count(*) FROM (SELECT srcaddr, count(*) n FROM vpcflow('build/core_replan') GROUP BY srcaddr);
SELECT count(*) FROM vpcflow_errors;
.print -- the same with a file replaced by a copy (another inode)
.output /dev/null
EXPLAIN QUERY PLAN SELECT srcaddr, count(*) FROM vpcflow('build/core_replan') GROUP BY srcaddr;
.output stdout
.system env -u LD_PRELOAD sh -c "cp build/core_replan/basic.log build/core_replan/basic.tmp && mv build/core_replan/basic.tmp build/core_replan/basic.log"
SELECT sum(n), count(*) FROM (SELECT srcaddr, count(*) n FROM vpcflow('build/core_replan') GROUP BY srcaddr);
SELECT count(*) FROM vpcflow_errors;
.system env -u LD_PRELOAD sh -c "rm -rf build/core_replan"
