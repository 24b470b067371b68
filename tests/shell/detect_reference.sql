-- The rewritten detections (sql/detections, sql/summaries.sql) against
-- today's SQL kept as the reference (tests/hunt/reference/detections) on
-- the v5 scenario: the same rows, every column. The scenario injects an
-- attack for every detection, so each reference finds something.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read fixtures/scenario/context.sql
.read tests/shell/detect_reference.inc
