-- As detect_reference.sql, on the scenario in the 14-field v2 format.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v2');
.read tests/shell/detect_reference.inc
