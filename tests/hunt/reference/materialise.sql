-- materialise.sql - read after sql/prepare.sql, before the reference
-- detections (tests/hunt/reference/detections): they read `traffic` row
-- by row, with correlated subqueries, as they were written when flows_n
-- was a table with an index on (src, start). flows_n is now a view that
-- reads `flows` again on every read, so the reference gets the table and
-- the index it was written for. The detections of sql/detections do not
-- read `traffic` (they read flows_t, att_port and pair) and are unaffected.
DROP VIEW IF EXISTS temp.traffic;
CREATE TEMP TABLE IF NOT EXISTS flows_n_ref AS SELECT * FROM flows_n;
CREATE INDEX IF NOT EXISTS flows_n_ref_src ON flows_n_ref(src, start);
CREATE TEMP VIEW traffic AS SELECT * FROM flows_n_ref WHERE log_status = 'OK' AND skip = 0;
