-- As detect_reference.sql, on the second scenario day (fixtures/scenario/day2,
-- v5): other addresses, volumes and times, the same rows from the reference
-- and the rewritten detections.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/day2/v5');
.read fixtures/scenario/day2/context.sql
.read tests/shell/detect_reference.inc
