-- export/common.sql - read first by every sql/export/*.sql script: run
-- the hunt with its printed output thrown away, then give the exports one
-- view of the findings, highest score first, with the severity filter.
--
-- @min_severity (optional: low, medium, high or critical; default low)
-- keeps the findings at or above it. vpcflow-hunt --min-severity sets it.
--
-- HOW IT WORKS: `.output /dev/null` sends the hunt's tables nowhere (the
-- phase line and errors are on stderr and stay); `.bail on` stops at the
-- first error with the shell's status 1.
.bail on
.output /dev/null
.read sql/hunt.sql
.output stdout
CREATE TEMP TABLE IF NOT EXISTS vpcflow_need(what TEXT, ok INTEGER);
CREATE TEMP TRIGGER IF NOT EXISTS vpcflow_need_severity BEFORE INSERT ON vpcflow_need
  WHEN NEW.what = '@min_severity' AND NOT NEW.ok
BEGIN
  SELECT RAISE(ABORT, 'vpcflow export: @min_severity must be low, medium, high or critical');
END;
INSERT INTO vpcflow_need SELECT '@min_severity', coalesce(@min_severity, 'low') IN ('low', 'medium', 'high', 'critical');
DROP VIEW IF EXISTS temp.vpcflow_export;
CREATE TEMP VIEW vpcflow_export AS
SELECT row_number() OVER (ORDER BY score DESC, detection, src, dst) AS rank, *
  FROM findings
 WHERE CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
    >= (SELECT CASE v WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
          FROM vpcflow_state WHERE k = 'export_min_severity');
INSERT OR REPLACE INTO vpcflow_state VALUES ('export_min_severity', coalesce(@min_severity, 'low'));
