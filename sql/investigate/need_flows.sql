-- investigate/need_flows.sql - read first by every investigate script: stop
-- with one clear message when the table `flows` or the parameter @ip is
-- missing, instead of a page of "no such table" errors.
--
-- HOW IT WORKS: `.bail on` makes the sqlite3 shell stop (exit status 1) at
-- the first failing statement. SQL has no "raise an error with this text"
-- outside triggers, so each check inserts a row into a TEMP table whose
-- TEMP trigger raises ABORT with the message when the check fails.
-- pragma_table_list sees `flows` in every schema (main, temp, attached),
-- as a table, a virtual table or a view.

.bail on
CREATE TEMP TABLE IF NOT EXISTS vpcflow_need(what TEXT, ok INTEGER);
CREATE TEMP TRIGGER IF NOT EXISTS vpcflow_need_flows BEFORE INSERT ON vpcflow_need
  WHEN NEW.what = 'flows' AND NOT NEW.ok
BEGIN
  SELECT RAISE(ABORT, 'vpcflow: no table named flows: create it before this script, e.g. sqlite3 -box :memory: -cmd ''.load vpcflow'' -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow(''AWSLogs/'')" -cmd ''.parameter set @ip 10.0.2.30'' < sql/investigate/peers.sql');
END;
CREATE TEMP TRIGGER IF NOT EXISTS vpcflow_need_ip BEFORE INSERT ON vpcflow_need
  WHEN NEW.what = '@ip' AND NOT NEW.ok
BEGIN
  SELECT RAISE(ABORT, 'vpcflow: no address to investigate: set @ip first, e.g. -cmd ''.parameter set @ip 10.0.2.30'' (an address, or an interface id eni-...)');
END;
INSERT INTO vpcflow_need SELECT 'flows', EXISTS (SELECT 1 FROM pragma_table_list WHERE name = 'flows');
INSERT INTO vpcflow_need SELECT '@ip', @ip IS NOT NULL;
