-- alert.sql - make the sqlite3 shell exit non-zero when findings at or above
-- a severity exist, so cron or CI can alert.
--
-- Usage (from the repository root), after sql/hunt.sql in the same session:
--
--   sqlite3 -batch :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.read sql/hunt.sql' < sql/alert.sql || mail -s 'vpcflow findings' soc@example.com
--
-- Threshold: INSERT INTO tunables VALUES ('alert.min_severity', 'critical', NULL)
-- before (default 'high'; one of low, medium, high, critical).
--
-- HOW IT WORKS: the sqlite3 shell exits with status 1 when any statement
-- fails. The last statement inserts the count of findings at or above the
-- threshold into a TEMP table whose TEMP trigger raises ABORT when the
-- count is not zero; the printed list above it says what they are. (RAISE
-- takes only a literal message, hence the fixed text.) With no such
-- findings the insert succeeds and the exit status is 0.

INSERT OR IGNORE INTO tunables VALUES ('alert.min_severity', 'high', 'alert.sql fails at or above this');

CREATE TEMP TABLE IF NOT EXISTS vpcflow_alert(n INTEGER);
CREATE TEMP TRIGGER IF NOT EXISTS vpcflow_alert_raise BEFORE INSERT ON vpcflow_alert
  WHEN NEW.n > 0
BEGIN
  SELECT RAISE(ABORT, 'vpcflow alert: findings at or above the alert severity (listed above)');
END;

CREATE TEMP VIEW IF NOT EXISTS vpcflow_alerting AS
  SELECT * FROM findings
   WHERE CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
      >= CASE (SELECT value FROM tunables WHERE name = 'alert.min_severity')
              WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END;

SELECT count(*) || ' finding(s) at or above ' || (SELECT value FROM tunables WHERE name = 'alert.min_severity')
       AS alert FROM vpcflow_alerting;
SELECT severity, score, detection, src, dst, port, first_seen FROM vpcflow_alerting ORDER BY score DESC;
INSERT INTO vpcflow_alert SELECT count(*) FROM vpcflow_alerting;
