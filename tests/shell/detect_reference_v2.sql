-- As detect_reference.sql, on the scenario in the 14-field v2 format.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v2');
.read fixtures/scenario/context.sql
.read tests/shell/detect_reference.inc
