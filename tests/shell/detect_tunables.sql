-- Tunables are checked (sql/prepare.sql's end block, vpcflow_tunable() in
-- ext/func_hunt.c): an unknown name, a value of the wrong type or out of
-- its bounds is an error that names the tunable and says what is valid;
-- numeric text and spaced port lists are accepted in their kind's type.
-- The bounds are vpcflow_tunable_spec's, written there by hand.
CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value, note);
INSERT INTO tunables VALUES ('port_scan.min_ports', '50', 'text that is a number'),
                            ('exposed_service.public_ports', ' 80, 443 ,8080', 'spaces');
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/v5');
.read sql/prepare.sql
.bail off
-- the user's rows are kept, the defaults of every other tunable added
SELECT name, value, typeof(value) FROM vpcflow_tun
 WHERE name IN ('port_scan.min_ports', 'exposed_service.public_ports', 'beaconing.min_score', 'alert.min_severity')
 ORDER BY name;
SELECT count(*) = (SELECT count(*) FROM vpcflow_tunable_spec) FROM tunables;
-- every default passes its own check
SELECT count(value) = count(*) FROM vpcflow_tun;
-- one bad row at a time: each statement fails with its own message
INSERT INTO tunables VALUES ('port_scan.minports', 50, NULL);
SELECT count(value) FROM vpcflow_tun;
DELETE FROM tunables WHERE name = 'port_scan.minports';
UPDATE tunables SET value = 'fifty' WHERE name = 'port_scan.min_ports';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = 1 WHERE name = 'port_scan.min_ports';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = 25.5 WHERE name = 'port_scan.min_ports';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = 25.0 WHERE name = 'port_scan.min_ports';
SELECT value, typeof(value) FROM vpcflow_tun WHERE name = 'port_scan.min_ports';
UPDATE tunables SET value = 1.5 WHERE name = 'exposed_service.min_open';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = 0.5 WHERE name = 'exposed_service.min_open';
UPDATE tunables SET value = '80,,443' WHERE name = 'exposed_service.public_ports';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = '80,70000' WHERE name = 'exposed_service.public_ports';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = '' WHERE name = 'exposed_service.public_ports';
SELECT '[' || value || ']' FROM vpcflow_tun WHERE name = 'exposed_service.public_ports';
UPDATE tunables SET value = 'crit' WHERE name = 'alert.min_severity';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = 'Medium' WHERE name = 'alert.min_severity';
SELECT value FROM vpcflow_tun WHERE name = 'alert.min_severity';
UPDATE tunables SET value = NULL WHERE name = 'beaconing.min_conns';
SELECT count(value) FROM vpcflow_tun;
UPDATE tunables SET value = 10 WHERE name = 'beaconing.min_conns';
-- a detection read with a misspelled tunable stops before it prints a row
-- (prepare.sql turns .bail on): its own process, as the error ends it;
-- the line number inside prepare.sql is masked, it moves with every edit
.system { env -u LD_PRELOAD sqlite3 -batch :memory: -cmd '.load ./vpcflow' -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/v5')" -cmd "CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value, note)" -cmd "INSERT INTO tunables VALUES ('port_sweep.minhosts', 5, NULL)" < sql/detections/port_sweep.sql 2>&1; echo "exit status $?"; } | sed 's/near line [0-9]*/near line N/; s/valid names are: .*/valid names are: .../'
