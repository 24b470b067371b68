-- log_coverage finds silences per minute of each interface (sql/detections/
-- log_coverage.sql), which is exact only when every record ends no earlier
-- than it starts: with records that end before they start, or have no end
-- (vpcflow reads such lines as they are), it must read the records as the
-- reference does. eni-odd below: gaps of 3,940 s and 3,970 s inside one
-- minute (the second record's end lies before its start), and a record
-- without an end; the reference (tests/hunt/reference) counts 4 gaps.
-- `flows` is a view here (the scenario and the odd records): the
-- normaliser reads any table or view, through SQL values.
CREATE VIRTUAL TABLE temp.scenario USING vpcflow('fixtures/scenario/v5');
CREATE TEMP TABLE odd AS SELECT * FROM scenario WHERE 0;
INSERT INTO odd(interface_id, log_status, start, "end") VALUES
  ('eni-odd', 'OK', 1770956000, 1770956060),
  ('eni-odd', 'OK', 1770960000, 1770946000),
  ('eni-odd', 'OK', 1770960030, 1770960090),
  ('eni-odd', 'OK', 1770970000, NULL),
  ('eni-odd', 'OK', 1770970020, 1770970080);
CREATE TEMP VIEW flows AS SELECT * FROM scenario UNION ALL SELECT * FROM odd;
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
