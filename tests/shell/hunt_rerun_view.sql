-- A view over findings (alert.sql's vpcflow_alerting, export's, a user's)
-- must not stop a second hunt in the same session. hunt.sql adds the
-- drill-down columns with ALTER TABLE ... ADD COLUMN, which keeps the
-- view valid; a rebuild of findings (CREATE ... AS, DROP, RENAME, tried in
-- issue #12) fails there, because a plain RENAME re-checks every view and
-- one whose table was just dropped has none. Expected (fixtures/README.md,
-- detect_scenario): the scenario's 123 findings, through the view, after
-- the second hunt, which completes; findings has the 9 columns of the
-- detections and the 7 of the drill-down.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read fixtures/scenario/context.sql
.output /dev/null
.read sql/hunt.sql
CREATE TEMP VIEW my_findings AS SELECT count(*) AS n FROM findings;
.read sql/hunt.sql
.output stdout
.mode list
SELECT n FROM my_findings;
SELECT v FROM vpcflow_state WHERE k = 'hunt';
SELECT count(*), group_concat(name, ' ') FROM pragma_table_info('findings');
