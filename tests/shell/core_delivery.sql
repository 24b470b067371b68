-- Delivery shapes: CloudWatch Logs export prefix, Firehose {"message":...},
-- millisecond epochs, and gzip (by magic bytes, multi-member, truncated).
.headers off
.nullvalue NULL
.print -- CloudWatch export: leading ISO-8601 token dropped; a plain line still parses
SELECT log_line, version, account_id, interface_id, srcport, bytes, start, "end", action, log_status
  FROM vpcflow('fixtures/delivery/cloudwatch_export.log');
.print -- Firehose wrapper
SELECT log_line, version, srcaddr, dstaddr, srcport, dstport, packets, bytes, action, log_status
  FROM vpcflow('fixtures/delivery/firehose.log');
.print -- millisecond epochs are scaled to seconds (at 100000000000 and above)
SELECT srcport, start, "end", typeof(start) FROM vpcflow('fixtures/delivery/millis.log');
.print -- gzip
SELECT log_line, srcport, bytes, action FROM vpcflow('fixtures/gzip/basic.log.gz');
.print -- two gzip members, the second repeating the header
SELECT log_line, srcport, bytes, action FROM vpcflow('fixtures/gzip/multi.log.gz');
.print -- gzip data named .log, plain text named .gz
SELECT log_file, log_line, srcport, bytes FROM vpcflow('fixtures/gzip/disguised.log');
SELECT log_file, log_line, srcport, bytes FROM vpcflow('fixtures/gzip/plain.gz');
.print -- truncated gzip: complete rows before the cut are kept
SELECT log_line, srcport, bytes FROM vpcflow('fixtures/gzip/truncated.log.gz');
.print -- errors so far (the truncation only)
SELECT file, line, reason, CASE WHEN line IS NULL THEN 'n/a' ELSE text END FROM vpcflow_errors ORDER BY line IS NULL, line;
.print -- the whole gzip directory
SELECT log_file, count(*), sum(bytes), sum(packets) FROM vpcflow('fixtures/gzip') GROUP BY log_file ORDER BY log_file;
.print -- reading it again adds no error rows
SELECT count(*) FROM vpcflow_errors;
