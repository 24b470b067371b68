-- Parquet files through the vpcflow table (fixtures/parquet/README.md has
-- the rows each file was written with).
.headers off
.nullvalue NULL
.print -- the 6 v2 rows: count, bytes, packets, types, row numbers
SELECT count(*), sum(bytes), sum(packets), group_concat(log_line) FROM vpcflow('fixtures/parquet/v2-dict-gzip.parquet');
SELECT typeof(version), typeof(srcport), typeof(bytes), typeof(start), typeof(action) FROM vpcflow('fixtures/parquet/v2-pagev2-snappy.parquet') LIMIT 1;
SELECT count(*) FROM vpcflow('fixtures/parquet/v2-plain.parquet') WHERE srcaddr IS NULL AND log_status IN ('NODATA', 'SKIPDATA');
.print -- text and Parquet in one folder: one result
.system rm -rf /tmp/vpcflow-pq-mixed && mkdir -p /tmp/vpcflow-pq-mixed && cp fixtures/parquet/v2-plain-gzip.parquet /tmp/vpcflow-pq-mixed/a.log.parquet && printf '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n' > /tmp/vpcflow-pq-mixed/b.log
SELECT count(*), sum(bytes), count(DISTINCT log_file) FROM vpcflow('/tmp/vpcflow-pq-mixed/');
.system rm -rf /tmp/vpcflow-pq-mixed
.print -- 6000 generated rows: REJECT every 10th, dstport 443 every 3rd, srcport NULL every 11th
SELECT count(*), sum(bytes), sum(action = 'REJECT'), sum(dstport = 443), sum(srcport IS NULL) FROM vpcflow('fixtures/parquet/many-gzip.parquet');
SELECT count(*) FROM vpcflow('fixtures/parquet/many-pagev2-snappy.parquet') WHERE action = 'REJECT' AND dstport = 443;
.print -- row groups: start ranges (one group in milliseconds), action, ports
SELECT count(*), min(start), max(start) FROM vpcflow('fixtures/parquet/groups.parquet') WHERE start BETWEEN 1600003600 AND 1600003700;
SELECT count(*), min(start) FROM vpcflow('fixtures/parquet/groups.parquet') WHERE start >= 1600010800 AND start < 1600010900;
SELECT count(*), min(log_line) FROM vpcflow('fixtures/parquet/groups.parquet') WHERE action = 'REJECT';
SELECT count(*) FROM vpcflow('fixtures/parquet/groups.parquet') WHERE dstport IN (22, 53);
.print -- refused files: one error each, naming the feature; no rows
SELECT count(*) FROM vpcflow('fixtures/parquet/nested-struct.parquet');
SELECT count(*) FROM vpcflow('fixtures/parquet/footer-past-end.parquet');
SELECT line IS NULL, reason FROM vpcflow_errors ORDER BY file;
.print -- the peer's pandas file: None is text in its integer columns
-- (only columns a query uses are decoded, so count(*) alone reads 3 rows)
SELECT count(*) FROM vpcflow('fixtures/parquet/flows.parquet');
SELECT count(*), sum(bytes) FROM vpcflow('fixtures/parquet/flows.parquet');
SELECT line, reason FROM vpcflow_errors WHERE file = 'fixtures/parquet/flows.parquet' ORDER BY line;
