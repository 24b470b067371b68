-- hunt.sql - run every detection over `flows` and print one ranked table.
--
-- Usage (from the repository root):
--
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     < sql/hunt.sql
--
-- Optional user tables, created with -cmd before the hunt (see
-- fixtures/scenario/context.sql for an example):
--   ioc(addr, note)                     -> threat_list_match
--   zones(cidr, zone), allowed(src_zone, dst_zone, port) -> trust_boundary
-- Optional tunables: CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value,
-- note) and INSERT the ones to change (each detection's header lists its own;
-- hunt.max_rows, default 40, caps the printed findings).
--
-- Output: first what was examined (time range, files, records, parse
-- errors, NODATA/SKIPDATA, records set aside as duplicates, which fields the
-- format has, the baseline cut, the user tables), then the findings of all
-- detections in one table, highest score first, then (when some were not
-- printed) how many and how to see them, and how to drill down. In -box
-- mode every line fits 120 columns (119 wide). Scores are 0-100 and
-- comparable across detections (critical >= 85, high >= 65, medium >= 40).
-- Everything stays queryable afterwards: TEMP table `findings` (with the
-- drill-down columns attack, protocol, interface_id, account_id, vpc_id,
-- first_record, investigate), the views det_<name>, the normalised rows in
-- flows_n. JSON, JSON Lines, CSV and OCSF: sql/export/. To fail a cron job
-- or CI run on findings, read sql/alert.sql after this file.
--
-- HOW IT WORKS: each detection file defines a TEMP VIEW det_<name> and then
-- prints it unless vpcflow_state holds 'quiet'; the hunt sets 'quiet', reads
-- every file, and inserts each view's rows into `findings` right after
-- reading it, so a hunt stopped with Ctrl-C (in an interactive sqlite3,
-- `.read sql/hunt.sql`) keeps the findings of the detections that
-- finished; vpcflow_state row 'hunt' then says where it was cut short
-- ("complete: 17 detections" when it was not; the summary prints it).
-- On a terminal, vpcflow_progress() shows the running phase on stderr
-- ("hunt: [8/19] beaconing 3.2 s", rewritten in place and erased before
-- the results print); nothing when stderr is not a terminal. A flows
-- table without traffic records is said in the first lines of output.

CREATE TEMP TABLE IF NOT EXISTS vpcflow_state(k TEXT PRIMARY KEY, v);
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short while preparing flows_n');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[1/19] prepare (normalise flows)'));
.read sql/prepare.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress(NULL));
SELECT 'no traffic records in flows (' || records || ' records, none with log-status OK):'
       || ' nothing to hunt; check the path and SELECT * FROM vpcflow_errors' AS warning
  FROM vpcflow_day WHERE traffic = 0;
INSERT OR IGNORE INTO tunables VALUES ('hunt.max_rows', 40, 'findings printed by hunt.sql');
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
DROP TABLE IF EXISTS temp.findings;
-- (left by a run stopped inside sql/hunt_findings.sql, which drops it)
DROP VIEW IF EXISTS temp.hunt_detection;

-- What a responder and a SIEM need beside each finding, worked out as
-- each detection's rows are inserted (the detection files stay as they are):
--   attack        the ATT&CK technique the detection's header names first
--   protocol      of the first record behind the finding (TCP, UDP, ICMP, ...)
--   interface_id  the ENI(s) that logged that record (both copies of a flow
--                 seen by two ENIs), or the ENI of a log_coverage finding
--   account_id, vpc_id   of that record, where the logs have them (v3+)
--   first_record  'log_file:log_line' of the first record behind the finding
--   investigate   the command that lists the rest (sql/investigate/timeline.sql)
-- HOW IT WORKS: a finding's first record is the first (ORDER BY start,
-- log_file, log_line) traffic record (vpcflow_traffic, the rows of
-- flows_t) with start in [first_seen, first_seen + 59 s] (a detection
-- that floors first_seen to a minute still finds its first record) that
-- is its source (and destination, and port as srcport or dstport, when it
-- has them), else (no source, or a source not active then, or a list of
-- sources: exposed_service names the scanners) the first to its
-- destination and port (as dstport); when neither is in that minute, the
-- same two over the finding's span to last_seen (reject_spike floors
-- first_seen to the hour). An ENI finding (log_coverage) takes its
-- interface's first traffic record in the minute.
-- vpcflow_first_record (ext/day_first.c, sql/README.md "Drill-down")
-- looks each finding up in the prepared day: a search by halves in the
-- day's records sorted by (address or ENI, start), built once per day.
-- log_file, log_line and interface_id, account_id and vpc_id come with
-- the record (the v2 format has no account or VPC: the account is then
-- read from the S3 key of log_file, AWSLogs/ACCOUNT/..., and the VPC stays
-- NULL). An ENI finding whose interface has no traffic in that minute
-- (an idle interface writes only NODATA; a silence or SKIPDATA need not
-- start one) takes the interface's first record of any log status from
-- first_seen on (the same function, over every record of the day).
-- WHY AT INSERT TIME: each row of `findings` is written once, whole.
-- Adding the seven columns afterwards (ALTER TABLE, then an UPDATE of
-- every row with a correlated lookup) rewrote every row of the table
-- larger, page by page through the TEMP database's 2 MB cache: 10.4 s of
-- the random 10 M hunt for 989 k findings (0.56 s at 1 M), now ~4 s
-- (sql/README.md "At volume"). The findings are the same rows with the
-- same rowids and values: the detection's rows come in its own order
-- (`LIMIT -1` keeps the view a subquery of its own, not flattened into
-- the join), and each value is the same function of the row's own
-- columns as before.
CREATE TEMP TABLE IF NOT EXISTS vpcflow_attack(detection TEXT PRIMARY KEY, technique TEXT, name TEXT, tactic TEXT);
INSERT OR REPLACE INTO vpcflow_attack VALUES
  ('port_scan', 'T1046', 'Network Service Discovery', 'Discovery'),
  ('port_sweep', 'T1046', 'Network Service Discovery', 'Discovery'),
  ('exposed_service', 'T1190', 'Exploit Public-Facing Application', 'Initial Access'),
  ('brute_force', 'T1110', 'Brute Force', 'Credential Access'),
  ('lateral_movement', 'T1021', 'Remote Services', 'Lateral Movement'),
  ('exfiltration', 'T1048', 'Exfiltration Over Alternative Protocol', 'Exfiltration'),
  ('beaconing', 'T1071', 'Application Layer Protocol', 'Command and Control'),
  ('dns_tunnel', 'T1071.004', 'Application Layer Protocol: DNS', 'Command and Control'),
  ('icmp_tunnel_tor', 'T1095', 'Non-Application Layer Protocol', 'Command and Control'),
  ('dos', 'T1498', 'Network Denial of Service', 'Impact'),
  ('reject_spike', 'T1046', 'Network Service Discovery', 'Discovery'),
  ('unusual_port', 'T1571', 'Non-Standard Port', 'Command and Control'),
  ('threat_list_match', 'T1071', 'Application Layer Protocol', 'Command and Control'),
  ('trust_boundary', 'T1599', 'Network Boundary Bridging', 'Defense Evasion'),
  ('internal_reject', 'T1046', 'Network Service Discovery', 'Discovery'),
  ('new_destination', 'T1041', 'Exfiltration Over C2 Channel', 'Exfiltration'),
  ('log_coverage', 'T1562.008', 'Impair Defenses: Disable or Modify Cloud Logs', 'Defense Evasion');
-- The investigate command: vpcflow-hunt leaves its own (a printf format
-- with %s for the address) in vpcflow_state 'investigate'; otherwise the
-- sqlite3 command of the README with the CREATE statement of `flows`.
INSERT OR IGNORE INTO vpcflow_state
SELECT 'investigate',
       CASE WHEN sql LIKE 'CREATE VIRTUAL TABLE flows %'
            THEN 'sqlite3 -box :memory: -cmd ''.load ./vpcflow'' -cmd "'
                 || replace(replace(sql, 'CREATE VIRTUAL TABLE flows ', 'CREATE VIRTUAL TABLE temp.flows '), '%', '%%')
                 || '" -cmd ''.parameter set @ip %s'' < sql/investigate/timeline.sql'
            ELSE '.parameter set @ip %s (in this session), then .read sql/investigate/timeline.sql' END
  FROM (SELECT (SELECT sql FROM sqlite_temp_master WHERE name = 'flows') AS sql);

INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during port_scan: findings holds the 0 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[2/19] port_scan'));
.read sql/detections/port_scan.sql
-- the table's columns: the detections' (CREATE ... AS SELECT, no row read)
-- and the drill-down's, each TEXT
CREATE TEMP TABLE findings AS SELECT * FROM det_port_scan LIMIT 0;
ALTER TABLE findings ADD COLUMN attack TEXT;
ALTER TABLE findings ADD COLUMN protocol TEXT;
ALTER TABLE findings ADD COLUMN interface_id TEXT;
ALTER TABLE findings ADD COLUMN account_id TEXT;
ALTER TABLE findings ADD COLUMN vpc_id TEXT;
ALTER TABLE findings ADD COLUMN first_record TEXT;
ALTER TABLE findings ADD COLUMN investigate TEXT;
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_port_scan;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during port_sweep: findings holds the 1 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[3/19] port_sweep'));
.read sql/detections/port_sweep.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_port_sweep;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during exposed_service: findings holds the 2 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[4/19] exposed_service'));
.read sql/detections/exposed_service.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_exposed_service;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during brute_force: findings holds the 3 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[5/19] brute_force'));
.read sql/detections/brute_force.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_brute_force;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during lateral_movement: findings holds the 4 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[6/19] lateral_movement'));
.read sql/detections/lateral_movement.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_lateral_movement;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during exfiltration: findings holds the 5 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[7/19] exfiltration'));
.read sql/detections/exfiltration.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_exfiltration;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during beaconing: findings holds the 6 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[8/19] beaconing'));
.read sql/detections/beaconing.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_beaconing;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during dns_tunnel: findings holds the 7 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[9/19] dns_tunnel'));
.read sql/detections/dns_tunnel.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_dns_tunnel;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during icmp_tunnel_tor: findings holds the 8 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[10/19] icmp_tunnel_tor'));
.read sql/detections/icmp_tunnel_tor.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_icmp_tunnel_tor;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during dos: findings holds the 9 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[11/19] dos'));
.read sql/detections/dos.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_dos;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during reject_spike: findings holds the 10 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[12/19] reject_spike'));
.read sql/detections/reject_spike.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_reject_spike;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during unusual_port: findings holds the 11 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[13/19] unusual_port'));
.read sql/detections/unusual_port.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_unusual_port;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during threat_list_match: findings holds the 12 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[14/19] threat_list_match'));
.read sql/detections/threat_list_match.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_threat_list_match;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during trust_boundary: findings holds the 13 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[15/19] trust_boundary'));
.read sql/detections/trust_boundary.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_trust_boundary;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during internal_reject: findings holds the 14 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[16/19] internal_reject'));
.read sql/detections/internal_reject.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_internal_reject;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during new_destination: findings holds the 15 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[17/19] new_destination'));
.read sql/detections/new_destination.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_new_destination;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during log_coverage: findings holds the 16 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[18/19] log_coverage'));
.read sql/detections/log_coverage.sql
CREATE TEMP VIEW hunt_detection AS SELECT * FROM det_log_coverage;
.read sql/hunt_findings.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[19/19] summary'));
DELETE FROM vpcflow_state WHERE k = 'quiet';
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'complete: 17 detections');
DROP TABLE IF EXISTS temp.hunt_summary;
-- Every count of the summary, as vpcflow_prepare() counted them.
CREATE TEMP TABLE hunt_summary AS
WITH c AS (SELECT files, records AS n, ok, nodata, skipdata, nat + dup AS once, nat, dup
             FROM vpcflow_day)
SELECT item AS examined, value FROM (
  SELECT 1 AS k, 'time range (UTC)' AS item,
         strftime('%Y-%m-%d %H:%M', t0, 'unixepoch') || ' to ' || strftime('%Y-%m-%d %H:%M', t1, 'unixepoch')
         || printf(' (%.1f h)', (t1 - t0) / 3600.0) AS value FROM vpcflow_span
  UNION ALL SELECT 2, 'files', (SELECT files FROM c)
  UNION ALL SELECT 3, 'records',
         (SELECT printf('%d: %d traffic, %d NODATA, %d SKIPDATA', n, ok, nodata, skipdata) FROM c)
  UNION ALL SELECT 4, 'parse errors',
         (SELECT count(*) || CASE WHEN count(*) > 0 THEN ' (SELECT * FROM vpcflow_errors)' ELSE '' END
            FROM vpcflow_errors)
  UNION ALL SELECT 5, 'counted once',
         (SELECT printf('%d records: %d NAT-gateway copies (%s), %d egress copies of flows the receiving ENI also logged',
                        once, nat,
                        coalesce((SELECT group_concat(addr, ', ') FROM vpcflow_translator), 'none'),
                        dup) FROM c)
  UNION ALL SELECT 6, 'fields',
         CASE WHEN (SELECT v FROM vpcflow_state WHERE k = 'has_v5') THEN 'v5: pkt-*, tcp-flags, flow-direction, AWS services'
              WHEN (SELECT v FROM vpcflow_state WHERE k = 'has_v3') THEN 'v3/v4: pkt-*, tcp-flags (no AWS-service fields)'
              ELSE 'v2 defaults only: directions, NAT and AWS services inferred or unknown' END
  UNION ALL SELECT 7, 'baseline for "new"',
         'records before ' || strftime('%Y-%m-%d %H:%M', cut, 'unixepoch') FROM vpcflow_span
  UNION ALL SELECT 8, 'ioc (threat_list_match)',
         CASE WHEN (SELECT v FROM vpcflow_state WHERE k = 'ioc_given')
              THEN (SELECT count(*) FROM ioc) || ' entries' ELSE 'absent: skipped' END
  UNION ALL SELECT 9, 'zones (trust_boundary)',
         CASE WHEN (SELECT v FROM vpcflow_state WHERE k = 'zones_given')
              THEN (SELECT count(*) FROM zones) || ' zones, ' || (SELECT count(*) FROM allowed) || ' allowed rows'
              ELSE 'absent: skipped' END
  UNION ALL SELECT 11, 'run', (SELECT v FROM vpcflow_state WHERE k = 'hunt')
  UNION ALL SELECT 10, 'findings',
         (SELECT printf('%d: %d critical, %d high, %d medium, %d low', count(*), sum(severity = 'critical'),
                        sum(severity = 'high'), sum(severity = 'medium'), sum(severity = 'low'))
            FROM findings)
) ORDER BY k;
-- What is printed reads without wrapping in a 120-column terminal in -box
-- mode: the summary is 119 characters wide, the list of findings has five
-- narrow columns (119 wide) whose `finding` cell holds who, what and when
-- on its first line and the evidence below it; the notes under it likewise.
-- Long text is word-wrapped here (box mode shows each line of a cell on a
-- line of its own; a word longer than the width is cut). The full rows,
-- with the drill-down columns, stay in `findings` (and in -f json/csv).
-- HOW IT WORKS: vpcflow_wrap_in holds (k, width, text); the view splits
-- each text into words (a newline is a word of its own), and a recursive
-- CTE adds word after word to the current line, starting a new one when
-- the next word would pass the width.
CREATE TEMP TABLE IF NOT EXISTS vpcflow_wrap_in(k INTEGER PRIMARY KEY, width INTEGER, t TEXT);
CREATE TEMP VIEW IF NOT EXISTS vpcflow_wrapped AS
WITH RECURSIVE
w(k, width, i, word, rest) AS (
  SELECT k, width, 0, '', replace(t, char(10), ' ' || char(10) || ' ') || ' ' FROM vpcflow_wrap_in
  UNION ALL
  SELECT k, width, i + 1,
         CASE WHEN instr(rest, ' ') - 1 <= width THEN substr(rest, 1, instr(rest, ' ') - 1)
              ELSE substr(rest, 1, width) END,
         CASE WHEN instr(rest, ' ') - 1 <= width THEN substr(rest, instr(rest, ' ') + 1)
              ELSE substr(rest, width + 1) END
    FROM w WHERE rest <> ''),
words AS (SELECT k, width, row_number() OVER (PARTITION BY k ORDER BY i) AS j, word
            FROM w WHERE i > 0 AND word <> ''),
acc(k, j, line, out) AS (
  SELECT k, 0, '', '' FROM vpcflow_wrap_in
  UNION ALL
  SELECT a.k, a.j + 1,
         CASE WHEN x.word = char(10) THEN ''
              WHEN a.line = '' THEN x.word
              WHEN length(a.line) + 1 + length(x.word) <= x.width THEN a.line || ' ' || x.word
              ELSE x.word END,
         CASE WHEN x.word = char(10) THEN a.out || a.line || char(10)
              WHEN a.line = '' OR length(a.line) + 1 + length(x.word) <= x.width THEN a.out
              ELSE a.out || a.line || char(10) END
    FROM acc AS a JOIN words AS x ON x.k = a.k AND x.j = a.j + 1)
SELECT k, (SELECT a.out || a.line FROM acc AS a WHERE a.k = o.k ORDER BY a.j DESC LIMIT 1) AS t
  FROM vpcflow_wrap_in AS o;

DROP TABLE IF EXISTS temp.hunt_top;
CREATE TEMP TABLE hunt_top AS
SELECT row_number() OVER (ORDER BY score DESC, detection, src, dst) AS "#",
       score, severity, detection,
       CASE WHEN src LIKE 'eni-%' THEN 'interface ' || src
            ELSE coalesce(src, 'many') || ' → ' || coalesce(dst, 'many') END
       || CASE WHEN port IS NOT NULL THEN ' port ' || port ELSE '' END
       || CASE WHEN protocol IS NOT NULL THEN ' ' || protocol ELSE '' END
       || ', ' || replace(replace(first_seen, 'T', ' '), 'Z', ' UTC')
       || CASE WHEN attack IS NOT NULL THEN ', ATT&CK ' || attack ELSE '' END
       || char(10) || replace(evidence, char(10), ' ') AS finding
  FROM findings
 ORDER BY score DESC, detection, src, dst
 LIMIT (SELECT value FROM tunables WHERE name = 'hunt.max_rows');
DELETE FROM vpcflow_wrap_in;
INSERT INTO vpcflow_wrap_in SELECT "#", 70, finding FROM hunt_top;
UPDATE hunt_top SET finding = (SELECT t FROM vpcflow_wrapped AS w WHERE w.k = hunt_top."#");
-- the summary's values at 88 characters
DELETE FROM vpcflow_wrap_in;
INSERT INTO vpcflow_wrap_in SELECT rowid, 88, value FROM hunt_summary;
DROP TABLE IF EXISTS temp.hunt_summary_shown;
CREATE TEMP TABLE hunt_summary_shown AS
SELECT s.examined, coalesce(w.t, s.value) AS value
  FROM hunt_summary AS s LEFT JOIN vpcflow_wrapped AS w ON w.k = s.rowid ORDER BY s.rowid;
-- What the list leaves out, and where the rest is: only when it applies
-- (nothing at all when every finding was printed).
DROP TABLE IF EXISTS temp.hunt_more;
CREATE TEMP TABLE hunt_more("not printed" TEXT);
DELETE FROM vpcflow_wrap_in;
INSERT INTO vpcflow_wrap_in
SELECT 1, 115,
       printf('%d of the %d findings are not printed (hunt.max_rows = %d). ', n - shown, n,
              (SELECT value FROM tunables WHERE name = 'hunt.max_rows'))
       || CASE WHEN (SELECT v FROM vpcflow_state WHERE k = 'investigate') LIKE 'vpcflow-hunt %'
               THEN 'All of them: vpcflow-hunt --set hunt.max_rows=' || n || ' ...,'
                    || ' or -f json / -f csv (every finding with its drill-down columns).'
               ELSE 'All of them: SELECT * FROM findings ORDER BY score DESC in this session, or before'
                    || ' the hunt -cmd "CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value, note);'
                    || ' INSERT INTO tunables VALUES (''hunt.max_rows'', ' || n || ', NULL)".' END
  FROM (SELECT count(*) AS n, (SELECT count(*) FROM hunt_top) AS shown FROM findings) WHERE n > shown;
INSERT INTO vpcflow_wrap_in
SELECT 2, 115,
       CASE WHEN (SELECT v FROM vpcflow_state WHERE k = 'investigate') LIKE 'vpcflow-hunt %'
            THEN 'Drill-down: -f json, -f csv or -f ocsf give every finding''s first record'
                 || ' (log_file:log_line) and the command that shows the rest; for #1: '
            ELSE 'Drill-down: SELECT detection, first_record, investigate FROM findings ORDER BY score DESC'
                 || ' (first_record is log_file:log_line; JSON, CSV, OCSF: sql/export/); for #1: ' END
       || (SELECT investigate FROM findings ORDER BY score DESC, detection, src, dst LIMIT 1)
 WHERE EXISTS (SELECT 1 FROM findings);
INSERT INTO hunt_more SELECT t FROM vpcflow_wrapped ORDER BY k;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress(NULL));
SELECT * FROM hunt_summary_shown ORDER BY rowid;
SELECT * FROM hunt_top ORDER BY "#";
SELECT * FROM hunt_more;
