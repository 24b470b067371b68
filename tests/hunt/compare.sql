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
CREATE TEMP TABLE diffs(what TEXT, n INTEGER);
INSERT INTO diffs SELECT 'row count', abs((SELECT count(*) FROM ref_n) - (SELECT count(*) FROM flows_n));
INSERT INTO diffs SELECT 'ref EXCEPT new', count(*) FROM (SELECT * FROM ref_n EXCEPT SELECT * FROM flows_n);
INSERT INTO diffs SELECT 'new EXCEPT ref', count(*) FROM (SELECT * FROM flows_n EXCEPT SELECT * FROM ref_n);
INSERT INTO diffs SELECT 'translators', count(*) FROM (SELECT * FROM (SELECT * FROM ref_tr EXCEPT SELECT * FROM vpcflow_translator)
                 UNION ALL SELECT * FROM (SELECT * FROM vpcflow_translator EXCEPT SELECT * FROM ref_tr));
INSERT INTO diffs SELECT 'eni addresses', count(*) FROM (SELECT * FROM (SELECT * FROM ref_eni EXCEPT SELECT * FROM vpcflow_eni)
                 UNION ALL SELECT * FROM (SELECT * FROM vpcflow_eni EXCEPT SELECT * FROM ref_eni));
INSERT INTO diffs SELECT 'state', count(*) FROM (SELECT * FROM (SELECT * FROM ref_state EXCEPT SELECT * FROM vpcflow_state)
                 UNION ALL SELECT * FROM (SELECT * FROM vpcflow_state EXCEPT SELECT * FROM ref_state));
-- column by column, row for row (typeof too: 1 and '1' differ)
INSERT INTO diffs SELECT 'columns', count(*) FROM ref_n AS a JOIN flows_n AS b ON a.rowid = b.rowid WHERE
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
SELECT printf('rows %d, differences %d%s', (SELECT count(*) FROM ref_n), sum(n),
              coalesce(' (' || group_concat(CASE WHEN n > 0 THEN what || ': ' || n END, ', ') || ')', ''))
  FROM diffs;
SELECT printf('reference set: dir %d, skip=1 %d, skip=2 %d, resp %d, answered %d, conn_start %d, translators %d, eni addresses %d',
              sum(dir IS NOT NULL),
              sum(skip = 1), sum(skip = 2), sum(resp), sum(answered), sum(conn_start), (SELECT count(*) FROM ref_tr), (SELECT count(*) FROM ref_eni))
  FROM ref_n;
