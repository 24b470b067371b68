-- vpcflow is direct-only: a view stored in the schema of main cannot use
-- it (a hostile schema must not read files); TEMP views and CTEs can.
.headers off
.nullvalue NULL
.print -- a view in main: created, but unusable
CREATE VIEW main_v AS SELECT count(*) AS n FROM vpcflow('fixtures/v2/basic.log');
SELECT n FROM main_v;
.print -- a TEMP view works
CREATE TEMP VIEW flows AS SELECT * FROM vpcflow('fixtures/v2/basic.log') WHERE log_status = 'OK';
SELECT count(*), sum(bytes) FROM flows;
SELECT action, count(*) FROM flows GROUP BY action ORDER BY action;
.print -- a CTE works
WITH f AS (SELECT * FROM vpcflow('fixtures/v2/basic.log')) SELECT count(*) FROM f WHERE action = 'REJECT';
.print -- a trigger in main cannot use it either
CREATE TABLE t(x);
CREATE TABLE log(n);
CREATE TRIGGER main_tr AFTER INSERT ON t BEGIN INSERT INTO log SELECT count(*) FROM vpcflow('fixtures/v2/basic.log'); END;
INSERT INTO t VALUES (1);
SELECT count(*) FROM log;
.print -- a TEMP trigger can
DROP TRIGGER main_tr;
CREATE TEMP TRIGGER temp_tr AFTER INSERT ON t BEGIN INSERT INTO log SELECT count(*) FROM vpcflow('fixtures/v2/basic.log'); END;
INSERT INTO t VALUES (2);
SELECT n FROM log;
