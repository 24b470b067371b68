-- Default v2 file with a header: SELECT *, types, NULLs from '-',
-- log_file/log_line, counts and sums. See fixtures/README.md (v2/basic.log).
.headers off
.nullvalue NULL
.print -- select star
SELECT * FROM vpcflow('fixtures/v2/basic.log');
.print -- log_file, log_line
SELECT log_file, log_line, srcport FROM vpcflow('fixtures/v2/basic.log');
.print -- types of row 1
SELECT typeof(version), typeof(account_id), typeof(interface_id), typeof(srcaddr),
       typeof(dstaddr), typeof(srcport), typeof(dstport), typeof(protocol),
       typeof(packets), typeof(bytes), typeof(start), typeof("end"),
       typeof(action), typeof(log_status), typeof(log_file), typeof(log_line)
  FROM vpcflow('fixtures/v2/basic.log') WHERE log_line = 2;
.print -- types of the NODATA row
SELECT typeof(version), typeof(account_id), typeof(srcaddr), typeof(srcport),
       typeof(protocol), typeof(packets), typeof(bytes), typeof(start),
       typeof(action), typeof(log_status)
  FROM vpcflow('fixtures/v2/basic.log') WHERE log_status = 'NODATA';
.print -- account_id keeps its leading zero
SELECT DISTINCT account_id, length(account_id) FROM vpcflow('fixtures/v2/basic.log');
.print -- count, sums
SELECT count(*), sum(bytes), sum(packets), count(bytes), min(start), max("end")
  FROM vpcflow('fixtures/v2/basic.log');
.print -- by action
SELECT action, count(*), sum(bytes) FROM vpcflow('fixtures/v2/basic.log')
 GROUP BY action ORDER BY action;
.print -- by log_status
SELECT log_status, count(*) FROM vpcflow('fixtures/v2/basic.log')
 GROUP BY log_status ORDER BY log_status;
.print -- leave NODATA/SKIPDATA out
SELECT count(*), sum(bytes) FROM vpcflow('fixtures/v2/basic.log') WHERE log_status = 'OK';
.print -- ICMP
SELECT srcaddr, srcport, dstport, protocol FROM vpcflow('fixtures/v2/basic.log') WHERE protocol = 1;
.print -- integer comparisons work on integers
SELECT count(*) FROM vpcflow('fixtures/v2/basic.log') WHERE dstport < 1024;
SELECT group_concat(dstport, ',') FROM vpcflow('fixtures/v2/basic.log') WHERE dstport > 100;
.print -- hidden catalog fields not in the file are NULL
SELECT count(*), count(vpc_id), count(tcp_flags), count(reject_reason), count(packets_lost_no_route)
  FROM vpcflow('fixtures/v2/basic.log');
.print -- headerless file: default v2 layout, first record is line 1
SELECT log_line, srcaddr, dstport, bytes, action FROM vpcflow('fixtures/v2/headerless.log');
SELECT count(*), sum(bytes), sum(packets) FROM vpcflow('fixtures/v2/headerless.log');
.print -- IPv6 and ICMPv6
SELECT srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, action FROM vpcflow('fixtures/v2/ipv6.log');
.print -- no errors from clean files
SELECT count(*) FROM vpcflow_errors;
.print -- planner shapes: IN, LIMIT, join of two scans, path from an outer row
SELECT srcport FROM vpcflow('fixtures/v2/basic.log') WHERE srcport IN (443, 0) ORDER BY srcport;
SELECT count(*) FROM (SELECT * FROM vpcflow('fixtures/v2/basic.log') LIMIT 3);
SELECT count(*) FROM vpcflow('fixtures/v2/basic.log') a JOIN vpcflow('fixtures/v2/headerless.log') b ON a.action = b.action;
SELECT p, (SELECT count(*) FROM vpcflow(x.p)) FROM (SELECT 'fixtures/v2/basic.log' AS p UNION ALL SELECT 'fixtures/v2/headerless.log') x;
.print -- dt: the UTC date of start when the path has no date folders
SELECT DISTINCT dt FROM vpcflow('fixtures/v2/basic.log') WHERE log_status = 'OK';
SELECT dt FROM vpcflow('fixtures/v2/ipv6.log') LIMIT 1;
