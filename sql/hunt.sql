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
-- detections in one table, highest score first. Scores are 0-100 and
-- comparable across detections (critical >= 85, high >= 65, medium >= 40).
-- Everything stays queryable afterwards: TEMP table `findings`, the views
-- det_<name>, the normalised rows in flows_n. To fail a cron job or CI run on
-- findings, read sql/alert.sql after this file.
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

INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during port_scan: findings holds the 0 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[2/19] port_scan'));
.read sql/detections/port_scan.sql
CREATE TEMP TABLE findings AS SELECT * FROM det_port_scan;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during port_sweep: findings holds the 1 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[3/19] port_sweep'));
.read sql/detections/port_sweep.sql
INSERT INTO findings SELECT * FROM det_port_sweep;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during exposed_service: findings holds the 2 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[4/19] exposed_service'));
.read sql/detections/exposed_service.sql
INSERT INTO findings SELECT * FROM det_exposed_service;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during brute_force: findings holds the 3 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[5/19] brute_force'));
.read sql/detections/brute_force.sql
INSERT INTO findings SELECT * FROM det_brute_force;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during lateral_movement: findings holds the 4 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[6/19] lateral_movement'));
.read sql/detections/lateral_movement.sql
INSERT INTO findings SELECT * FROM det_lateral_movement;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during exfiltration: findings holds the 5 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[7/19] exfiltration'));
.read sql/detections/exfiltration.sql
INSERT INTO findings SELECT * FROM det_exfiltration;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during beaconing: findings holds the 6 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[8/19] beaconing'));
.read sql/detections/beaconing.sql
INSERT INTO findings SELECT * FROM det_beaconing;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during dns_tunnel: findings holds the 7 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[9/19] dns_tunnel'));
.read sql/detections/dns_tunnel.sql
INSERT INTO findings SELECT * FROM det_dns_tunnel;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during icmp_tunnel_tor: findings holds the 8 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[10/19] icmp_tunnel_tor'));
.read sql/detections/icmp_tunnel_tor.sql
INSERT INTO findings SELECT * FROM det_icmp_tunnel_tor;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during dos: findings holds the 9 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[11/19] dos'));
.read sql/detections/dos.sql
INSERT INTO findings SELECT * FROM det_dos;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during reject_spike: findings holds the 10 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[12/19] reject_spike'));
.read sql/detections/reject_spike.sql
INSERT INTO findings SELECT * FROM det_reject_spike;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during unusual_port: findings holds the 11 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[13/19] unusual_port'));
.read sql/detections/unusual_port.sql
INSERT INTO findings SELECT * FROM det_unusual_port;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during threat_list_match: findings holds the 12 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[14/19] threat_list_match'));
.read sql/detections/threat_list_match.sql
INSERT INTO findings SELECT * FROM det_threat_list_match;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during trust_boundary: findings holds the 13 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[15/19] trust_boundary'));
.read sql/detections/trust_boundary.sql
INSERT INTO findings SELECT * FROM det_trust_boundary;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during internal_reject: findings holds the 14 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[16/19] internal_reject'));
.read sql/detections/internal_reject.sql
INSERT INTO findings SELECT * FROM det_internal_reject;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during new_destination: findings holds the 15 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[17/19] new_destination'));
.read sql/detections/new_destination.sql
INSERT INTO findings SELECT * FROM det_new_destination;
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt', 'cut short during log_coverage: findings holds the 16 detections before it');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress('[18/19] log_coverage'));
.read sql/detections/log_coverage.sql
INSERT INTO findings SELECT * FROM det_log_coverage;
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
DROP TABLE IF EXISTS temp.hunt_top;
CREATE TEMP TABLE hunt_top AS
SELECT row_number() OVER (ORDER BY score DESC, detection, src, dst) AS "#",
       score, severity, detection, src, dst, port, first_seen, evidence
  FROM findings
 ORDER BY score DESC, detection, src, dst
 LIMIT (SELECT value FROM tunables WHERE name = 'hunt.max_rows');
INSERT OR REPLACE INTO vpcflow_state VALUES ('hunt_phase', vpcflow_progress(NULL));
SELECT * FROM hunt_summary ORDER BY rowid;
SELECT * FROM hunt_top ORDER BY "#";
