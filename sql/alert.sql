-- alert.sql - give cron or CI an exit status that says what the hunt found.
--
-- Usage (from the repository root), after sql/hunt.sql in the same session:
--
--   sqlite3 -bail -batch :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.read sql/hunt.sql' < sql/alert.sql
--   case $? in
--     0) ;;                                          # quiet
--     2) mail -s 'vpcflow findings' soc@example.com ;;
--     3) mail -s 'vpcflow: no traffic in the logs' ops@example.com ;;
--     *) mail -s 'vpcflow: the hunt failed' ops@example.com ;;
--   esac
--
-- (or `vpcflow-hunt --alert AWSLogs/`, which runs the same.)
--
-- Exit status:
--   0  no finding at or above the threshold (traffic records were read)
--   1  an error: the sqlite3 shell's own status for any failed statement
--      (a wrong path, a file no line of which is read, no `findings`
--      table because the hunt did not run); the message is the last line
--      on stderr. It is 1 because the shell gives 1 for every error and
--      nothing else can: so 1 must mean "broken", and must not be reused.
--   2  findings at or above the threshold (listed above the status)
--   3  no traffic records were read: the logs hold none (only NODATA or
--      SKIPDATA records, or empty files). Checked before findings: a run
--      over no traffic has looked at nothing, whatever it says.
-- `-bail` on the command line makes a failure in -cmd (the CREATE with a
-- wrong path) exit 1 at once too, instead of going on without `flows`.
--
-- Threshold: INSERT INTO tunables VALUES ('alert.min_severity', 'critical', NULL)
-- before (default 'high'; one of low, medium, high, critical).
--
-- HOW IT WORKS: `.bail on` stops at the first failing statement (status 1);
-- a TEMP trigger raises a clear message when `findings` is missing. The
-- status itself needs `.exit N` with N computed by SQL, and the shell has
-- no "if" or "eval": so the SELECT below writes ".exit N" through a pipe
-- (`.once '|cmd'`) to a file in a private directory, and `.read '|cmd'`
-- removes it and gives its text back as a command (removed first: the
-- shell exits as soon as it reads `.exit`, without waiting). Both commands run under
-- /bin/sh as children of the sqlite3 process, so $PPID names the file
-- for this run only; the directory is the user's own (mode 700, not a
-- symlink, checked), since a predictable name in a shared /tmp could be
-- swapped for a file of someone else's commands.

.bail on
CREATE TEMP TABLE IF NOT EXISTS vpcflow_need(what TEXT, ok INTEGER);
CREATE TEMP TRIGGER IF NOT EXISTS vpcflow_need_findings BEFORE INSERT ON vpcflow_need
  WHEN NEW.what = 'findings' AND NOT NEW.ok
BEGIN
  SELECT RAISE(ABORT, 'vpcflow alert: no findings table: read sql/hunt.sql before sql/alert.sql in the same session, e.g. sqlite3 -bail :memory: -cmd ''.load vpcflow'' -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow(''AWSLogs/'')" -cmd ''.read sql/hunt.sql'' < sql/alert.sql');
END;
INSERT INTO vpcflow_need SELECT 'findings',
  (SELECT count(*) FROM pragma_table_list WHERE name IN ('findings', 'vpcflow_day', 'tunables')) = 3;

INSERT OR IGNORE INTO tunables VALUES ('alert.min_severity', 'high', 'alert.sql exits 2 at or above this');

CREATE TEMP VIEW IF NOT EXISTS vpcflow_alerting AS
  SELECT * FROM findings
   WHERE CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END
      >= CASE (SELECT value FROM tunables WHERE name = 'alert.min_severity')
              WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END;

DROP TABLE IF EXISTS temp.vpcflow_alert;
CREATE TEMP TABLE vpcflow_alert AS
  SELECT coalesce((SELECT ok FROM vpcflow_day), 0) AS traffic,
         (SELECT count(*) FROM vpcflow_alerting) AS findings,
         (SELECT value FROM tunables WHERE name = 'alert.min_severity') AS threshold;

SELECT CASE WHEN traffic = 0 THEN 'no traffic records read: exit status 3'
            ELSE findings || ' finding(s) at or above ' || threshold
                 || ': exit status ' || CASE WHEN findings > 0 THEN 2 ELSE 0 END END AS alert
  FROM vpcflow_alert;
SELECT severity, score, detection, src, dst, port, first_seen FROM vpcflow_alerting
 WHERE (SELECT traffic FROM vpcflow_alert) > 0 ORDER BY score DESC;

.headers off
.mode list
.once '|d="${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/vpcflow-$(id -u)"; mkdir -m 700 "$d" 2>/dev/null; if [ -d "$d" ] && [ ! -L "$d" ] && [ -O "$d" ]; then cat > "$d/alert.$PPID"; else cat >/dev/null; fi'
SELECT '.exit ' || CASE WHEN traffic = 0 THEN 3 WHEN findings > 0 THEN 2 ELSE 0 END FROM vpcflow_alert;
.read '|f="${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/vpcflow-$(id -u)/alert.$PPID"; if [ -f "$f" ] && [ ! -L "$f" ]; then c=$(cat "$f"); rm -f "$f"; echo "$c"; else echo ".print vpcflow alert: cannot pass the exit status through $f"; echo ".exit 1"; fi'
