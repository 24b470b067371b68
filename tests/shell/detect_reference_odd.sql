-- log_coverage finds silences per minute of each interface (sql/detections/
-- log_coverage.sql), which is exact only when every record ends no earlier
-- than it starts: with records that end before they start, or have no end
-- (vpcflow reads such lines as they are), it must read the records as the
-- reference does. eni-odd (tests/shell/scenario_odd.inc): gaps of 3,940 s
-- and 3,970 s inside one minute (the second record's end lies before its
-- start), and a record without an end; the reference (tests/hunt/reference)
-- counts 4 gaps.
.read tests/shell/scenario_odd.inc
.read sql/prepare.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
.read tests/hunt/reference/detections/log_coverage.sql
CREATE TEMP TABLE ref AS SELECT * FROM det_log_coverage;
DROP VIEW det_log_coverage;
.read sql/detections/log_coverage.sql
CREATE TEMP TABLE new AS SELECT * FROM det_log_coverage;
SELECT (SELECT count(*) FROM ref) = (SELECT count(*) FROM new)
       AND NOT EXISTS (SELECT * FROM ref EXCEPT SELECT * FROM new)
       AND NOT EXISTS (SELECT * FROM new EXCEPT SELECT * FROM ref) AS identical,
       (SELECT evidence LIKE '%(4 gap(s) >= 3600 s)%' FROM ref WHERE src = 'eni-odd') AS reference_4_gaps;
