-- compare.sql - read by tests/hunt/diff.sh after temp.flows exists: the
-- reference normalisation (tests/hunt/prepare_reference.sql, today's SQL
-- kept unchanged) and sql/prepare.sql (ext/norm.c) over the same table,
-- compared row for row (by rowid: both keep the scan order) on every
-- column, as sets (EXCEPT both ways), and their lists and state.
-- Prints one line: "rows N, differences D" and, per flag, how many rows
-- the reference set, so a data set that exercises nothing is visible.
.read tests/hunt/prepare_reference.sql
ALTER TABLE temp.flows_n RENAME TO ref_n;
ALTER TABLE temp.vpcflow_translator RENAME TO ref_tr;
ALTER TABLE temp.vpcflow_eni RENAME TO ref_eni;
CREATE TEMP TABLE ref_state AS SELECT * FROM vpcflow_state;
DELETE FROM vpcflow_state WHERE k NOT IN ('ioc_given', 'zones_given');
.read sql/prepare.sql
-- flows_n is a view that reads flows again: read it once, into new_n
CREATE TEMP TABLE new_n AS SELECT * FROM flows_n;
CREATE TEMP TABLE diffs(what TEXT, n INTEGER);
INSERT INTO diffs SELECT 'row count', abs((SELECT count(*) FROM ref_n) - (SELECT count(*) FROM new_n));
INSERT INTO diffs SELECT 'ref EXCEPT new', count(*) FROM (SELECT * FROM ref_n EXCEPT SELECT * FROM new_n);
INSERT INTO diffs SELECT 'new EXCEPT ref', count(*) FROM (SELECT * FROM new_n EXCEPT SELECT * FROM ref_n);
INSERT INTO diffs SELECT 'translators', count(*) FROM (SELECT * FROM (SELECT * FROM ref_tr EXCEPT SELECT * FROM vpcflow_translator)
                 UNION ALL SELECT * FROM (SELECT * FROM vpcflow_translator EXCEPT SELECT * FROM ref_tr));
INSERT INTO diffs SELECT 'eni addresses', count(*) FROM (SELECT * FROM (SELECT * FROM ref_eni EXCEPT SELECT * FROM vpcflow_eni)
                 UNION ALL SELECT * FROM (SELECT * FROM vpcflow_eni EXCEPT SELECT * FROM ref_eni));
INSERT INTO diffs SELECT 'state', count(*) FROM (SELECT * FROM (SELECT * FROM ref_state EXCEPT SELECT * FROM vpcflow_state)
                 UNION ALL SELECT * FROM (SELECT * FROM vpcflow_state EXCEPT SELECT * FROM ref_state));
-- column by column, row for row (typeof too: 1 and '1' differ)
INSERT INTO diffs SELECT 'columns', count(*) FROM ref_n AS a JOIN new_n AS b ON a.rowid = b.rowid WHERE
  a."log_file" IS NOT b."log_file" OR typeof(a."log_file") <> typeof(b."log_file") OR
  a."dt" IS NOT b."dt" OR typeof(a."dt") <> typeof(b."dt") OR
  a."version" IS NOT b."version" OR typeof(a."version") <> typeof(b."version") OR
  a."account_id" IS NOT b."account_id" OR typeof(a."account_id") <> typeof(b."account_id") OR
  a."interface_id" IS NOT b."interface_id" OR typeof(a."interface_id") <> typeof(b."interface_id") OR
  a."vpc_id" IS NOT b."vpc_id" OR typeof(a."vpc_id") <> typeof(b."vpc_id") OR
  a."subnet_id" IS NOT b."subnet_id" OR typeof(a."subnet_id") <> typeof(b."subnet_id") OR
  a."instance_id" IS NOT b."instance_id" OR typeof(a."instance_id") <> typeof(b."instance_id") OR
  a."region" IS NOT b."region" OR typeof(a."region") <> typeof(b."region") OR
  a."az_id" IS NOT b."az_id" OR typeof(a."az_id") <> typeof(b."az_id") OR
  a."resource_id" IS NOT b."resource_id" OR typeof(a."resource_id") <> typeof(b."resource_id") OR
  a."log_status" IS NOT b."log_status" OR typeof(a."log_status") <> typeof(b."log_status") OR
  a."action" IS NOT b."action" OR typeof(a."action") <> typeof(b."action") OR
  a."reject_reason" IS NOT b."reject_reason" OR typeof(a."reject_reason") <> typeof(b."reject_reason") OR
  a."srcaddr" IS NOT b."srcaddr" OR typeof(a."srcaddr") <> typeof(b."srcaddr") OR
  a."dstaddr" IS NOT b."dstaddr" OR typeof(a."dstaddr") <> typeof(b."dstaddr") OR
  a."src" IS NOT b."src" OR typeof(a."src") <> typeof(b."src") OR
  a."dst" IS NOT b."dst" OR typeof(a."dst") <> typeof(b."dst") OR
  a."srcport" IS NOT b."srcport" OR typeof(a."srcport") <> typeof(b."srcport") OR
  a."dstport" IS NOT b."dstport" OR typeof(a."dstport") <> typeof(b."dstport") OR
  a."protocol" IS NOT b."protocol" OR typeof(a."protocol") <> typeof(b."protocol") OR
  a."packets" IS NOT b."packets" OR typeof(a."packets") <> typeof(b."packets") OR
  a."bytes" IS NOT b."bytes" OR typeof(a."bytes") <> typeof(b."bytes") OR
  a."start" IS NOT b."start" OR typeof(a."start") <> typeof(b."start") OR
  a."end" IS NOT b."end" OR typeof(a."end") <> typeof(b."end") OR
  a."tcp_flags" IS NOT b."tcp_flags" OR typeof(a."tcp_flags") <> typeof(b."tcp_flags") OR
  a."traffic_path" IS NOT b."traffic_path" OR typeof(a."traffic_path") <> typeof(b."traffic_path") OR
  a."src_service" IS NOT b."src_service" OR typeof(a."src_service") <> typeof(b."src_service") OR
  a."dst_service" IS NOT b."dst_service" OR typeof(a."dst_service") <> typeof(b."dst_service") OR
  a."dir" IS NOT b."dir" OR typeof(a."dir") <> typeof(b."dir") OR
  a."src_private" IS NOT b."src_private" OR typeof(a."src_private") <> typeof(b."src_private") OR
  a."dst_private" IS NOT b."dst_private" OR typeof(a."dst_private") <> typeof(b."dst_private") OR
  a."skip" IS NOT b."skip" OR typeof(a."skip") <> typeof(b."skip") OR
  a."resp" IS NOT b."resp" OR typeof(a."resp") <> typeof(b."resp") OR
  a."answered" IS NOT b."answered" OR typeof(a."answered") <> typeof(b."answered") OR
  a."conn_start" IS NOT b."conn_start" OR typeof(a."conn_start") <> typeof(b."conn_start");
INSERT INTO diffs SELECT 'column count', abs((SELECT count(*) FROM pragma_table_info('ref_n')) - (SELECT count(*) FROM pragma_table_info('flows_n')))
  + (SELECT count(*) FROM pragma_table_info('ref_n') AS a JOIN pragma_table_info('flows_n') AS b ON a.cid = b.cid
      WHERE a.name IS NOT b.name OR a.type IS NOT b.type);
.read sql/summaries.sql
-- The day's tables (ext/day.c) against the SQL they replace, over the
-- reference's rows: the same rows in the same order (rowid is part of each
-- row compared), the same values and types (EXCEPT tells 1 from '1').
CREATE TEMP TABLE ref_t AS
  SELECT resp, src_private, dst_private, protocol, action, conn_start, answered, dstport, srcport, src, dst,
         start, "end", packets, bytes, tcp_flags, dst_service, src_service, interface_id, log_file,
         account_id, vpc_id
    FROM ref_n WHERE log_status = 'OK' AND skip = 0;
CREATE TEMP TABLE new_t AS
  SELECT resp, src_private, dst_private, protocol, action, conn_start, answered, dstport, srcport, src, dst,
         start, "end", packets, bytes, tcp_flags, dst_service, src_service, interface_id, log_file,
         account_id, vpc_id
    FROM vpcflow_traffic;
CREATE TEMP TABLE ref_ap AS
  SELECT src, dst, protocol, dstport, dst_service,
         count(*), count(action), sum(action = 'REJECT'), sum(action = 'ACCEPT'),
         count(action = 'REJECT' OR answered = 0), sum(action = 'REJECT' OR answered = 0),
         sum(answered), max(answered), sum(action = 'ACCEPT' AND answered = 1), sum(conn_start),
         min(start), max(start), src_private, dst_private
    FROM ref_t WHERE resp = 0 GROUP BY src, dst, protocol, dstport, dst_service;
CREATE TEMP TABLE ref_pair AS
  SELECT src, dst, src_service, dst_service, count(*), sum(bytes), sum(packets),
         min(start), max("end"), src_private, dst_private
    FROM ref_t WHERE NOT (src_private AND dst_private) GROUP BY src, dst, src_service, dst_service;
CREATE TEMP TABLE ref_cov AS
  SELECT interface_id, start / 60 AS m, sum(log_status = 'SKIPDATA'), sum(log_status = 'NODATA'),
         sum(log_status = 'OK'), min(start), max("end"),
         min(start) FILTER (WHERE log_status = 'SKIPDATA'), max("end") FILTER (WHERE log_status = 'SKIPDATA'),
         sum(start IS NOT NULL AND ("end" IS NULL OR "end" < start))
    FROM ref_n WHERE interface_id IS NOT NULL GROUP BY interface_id, start / 60;
CREATE TEMP TABLE new_cov AS SELECT * FROM vpcflow_coverage ORDER BY interface_id, m;
-- att_port and pair are views (of the day's vpcflow_att_port, vpcflow_pair):
-- copied in the order they give, so rowid numbers their rows
CREATE TEMP TABLE new_ap AS SELECT * FROM att_port;
CREATE TEMP TABLE new_pair AS SELECT * FROM pair;
INSERT INTO diffs SELECT 'flows_t', (SELECT count(*) FROM (SELECT rowid, * FROM ref_t EXCEPT SELECT rowid, * FROM new_t))
  + (SELECT count(*) FROM (SELECT rowid, * FROM new_t EXCEPT SELECT rowid, * FROM ref_t))
  + abs((SELECT count(*) FROM ref_t) - (SELECT count(*) FROM new_t));
INSERT INTO diffs SELECT 'att_port', (SELECT count(*) FROM (SELECT rowid, * FROM ref_ap EXCEPT SELECT rowid, * FROM new_ap))
  + (SELECT count(*) FROM (SELECT rowid, * FROM new_ap EXCEPT SELECT rowid, * FROM ref_ap))
  + abs((SELECT count(*) FROM ref_ap) - (SELECT count(*) FROM new_ap));
INSERT INTO diffs SELECT 'pair', (SELECT count(*) FROM (SELECT rowid, * FROM ref_pair EXCEPT SELECT rowid, * FROM new_pair))
  + (SELECT count(*) FROM (SELECT rowid, * FROM new_pair EXCEPT SELECT rowid, * FROM ref_pair))
  + abs((SELECT count(*) FROM ref_pair) - (SELECT count(*) FROM new_pair));
INSERT INTO diffs SELECT 'coverage', (SELECT count(*) FROM (SELECT rowid, * FROM ref_cov EXCEPT SELECT rowid, * FROM new_cov))
  + (SELECT count(*) FROM (SELECT rowid, * FROM new_cov EXCEPT SELECT rowid, * FROM ref_cov))
  + abs((SELECT count(*) FROM ref_cov) - (SELECT count(*) FROM new_cov));
INSERT INTO diffs SELECT 'day counts', count(*) FROM vpcflow_day WHERE
  records IS NOT (SELECT count(*) FROM ref_n) OR traffic IS NOT (SELECT count(*) FROM ref_t)
  OR ok IS NOT (SELECT count(*) FROM ref_n WHERE log_status = 'OK')
  OR nodata IS NOT (SELECT count(*) FROM ref_n WHERE log_status = 'NODATA')
  OR skipdata IS NOT (SELECT count(*) FROM ref_n WHERE log_status = 'SKIPDATA')
  OR nat IS NOT (SELECT count(*) FROM ref_n WHERE skip = 1) OR dup IS NOT (SELECT count(*) FROM ref_n WHERE skip = 2)
  OR files IS NOT (SELECT count(DISTINCT log_file) FROM ref_n)
  OR t0 IS NOT (SELECT min(start) FROM ref_n WHERE log_status = 'OK')
  OR t1 IS NOT (SELECT max("end") FROM ref_n WHERE log_status = 'OK');
SELECT printf('rows %d, differences %d%s', (SELECT count(*) FROM ref_n), sum(n),
              coalesce(' (' || group_concat(CASE WHEN n > 0 THEN what || ': ' || n END, ', ') || ')', ''))
  FROM diffs;
SELECT printf('reference set: dir %d, skip=1 %d, skip=2 %d, resp %d, answered %d, conn_start %d, translators %d, eni addresses %d',
              sum(dir IS NOT NULL),
              sum(skip = 1), sum(skip = 2), sum(resp), sum(answered), sum(conn_start), (SELECT count(*) FROM ref_tr), (SELECT count(*) FROM ref_eni))
  FROM ref_n;
