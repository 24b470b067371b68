-- make demo: a tour of vpcflow over the bundled fixtures.
-- Run as: sqlite3 -batch -box :memory: -cmd '.load ./vpcflow' < sql/demo.sql
-- Every file below fixtures/ (.log and .gz) is read once into a TEMP table;
-- malformed lines are skipped and listed in vpcflow_errors.
CREATE TEMP TABLE flows AS
  SELECT *, log_file, log_line FROM vpcflow('fixtures/');

.print 'Files read and records kept'
SELECT count(DISTINCT log_file) AS files, count(*) AS records,
       sum(log_status = 'OK') AS ok, sum(log_status = 'NODATA') AS nodata,
       sum(log_status = 'SKIPDATA') AS skipdata
  FROM flows;

.print ''
.print 'Actions (NODATA/SKIPDATA rows left out)'
SELECT ifnull(action, '(none)') AS action, count(*) AS flows,
       sum(packets) AS packets, sum(bytes) AS bytes
  FROM flows WHERE log_status = 'OK'
 GROUP BY action ORDER BY flows DESC;

.print ''
.print 'Top talkers by bytes sent'
SELECT srcaddr, count(*) AS flows, sum(bytes) AS bytes
  FROM flows WHERE log_status = 'OK' AND srcaddr IS NOT NULL
 GROUP BY srcaddr ORDER BY bytes DESC LIMIT 5;

.print ''
.print 'Rejected traffic by source and destination port'
SELECT srcaddr, dstport, protocol, count(*) AS flows, sum(packets) AS packets
  FROM flows WHERE action = 'REJECT'
 GROUP BY srcaddr, dstport, protocol ORDER BY flows DESC, packets DESC LIMIT 8;

.print ''
.print 'Capture gaps: NODATA and SKIPDATA windows'
SELECT interface_id, log_status,
       datetime(start, 'unixepoch') AS from_utc, datetime("end", 'unixepoch') AS to_utc
  FROM flows WHERE log_status IN ('NODATA', 'SKIPDATA') AND start IS NOT NULL
 ORDER BY start LIMIT 10;

.print ''
.print 'Malformed lines met (vpcflow_errors), by kind'
SELECT CASE WHEN reason LIKE 'wrong field count%' THEN 'wrong field count'
            WHEN reason LIKE 'not an integer%' THEN 'not an integer'
            WHEN reason LIKE 'out of range%' THEN 'out of range'
            WHEN reason LIKE 'control character%' THEN 'control character'
            WHEN reason LIKE 'invalid UTF-8%' THEN 'invalid UTF-8'
            ELSE reason END AS kind,
       count(*) AS lines
  FROM vpcflow_errors GROUP BY kind ORDER BY lines DESC;

.print ''
.print 'A few of them'
SELECT file, line, reason FROM vpcflow_errors ORDER BY file, line LIMIT 6;
