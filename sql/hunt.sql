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
-- every file, and materialises all views into `findings` once.

.read sql/prepare.sql
INSERT OR IGNORE INTO tunables VALUES ('hunt.max_rows', 40, 'findings printed by hunt.sql');
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
.read sql/detections/port_scan.sql
.read sql/detections/port_sweep.sql
.read sql/detections/exposed_service.sql
.read sql/detections/brute_force.sql
.read sql/detections/lateral_movement.sql
.read sql/detections/exfiltration.sql
.read sql/detections/beaconing.sql
.read sql/detections/dns_tunnel.sql
.read sql/detections/icmp_tunnel_tor.sql
.read sql/detections/dos.sql
.read sql/detections/reject_spike.sql
.read sql/detections/unusual_port.sql
.read sql/detections/threat_list_match.sql
.read sql/detections/trust_boundary.sql
.read sql/detections/internal_reject.sql
.read sql/detections/new_destination.sql
.read sql/detections/log_coverage.sql
DELETE FROM vpcflow_state WHERE k = 'quiet';

DROP TABLE IF EXISTS temp.findings;
CREATE TEMP TABLE findings AS
  SELECT * FROM det_port_scan UNION ALL SELECT * FROM det_port_sweep
  UNION ALL SELECT * FROM det_exposed_service UNION ALL SELECT * FROM det_brute_force
  UNION ALL SELECT * FROM det_lateral_movement UNION ALL SELECT * FROM det_exfiltration
  UNION ALL SELECT * FROM det_beaconing UNION ALL SELECT * FROM det_dns_tunnel
  UNION ALL SELECT * FROM det_icmp_tunnel_tor UNION ALL SELECT * FROM det_dos
  UNION ALL SELECT * FROM det_reject_spike UNION ALL SELECT * FROM det_unusual_port
  UNION ALL SELECT * FROM det_threat_list_match UNION ALL SELECT * FROM det_trust_boundary
  UNION ALL SELECT * FROM det_internal_reject UNION ALL SELECT * FROM det_new_destination
  UNION ALL SELECT * FROM det_log_coverage;

SELECT item AS examined, value FROM (
  SELECT 1 AS k, 'time range (UTC)' AS item,
         strftime('%Y-%m-%d %H:%M', t0, 'unixepoch') || ' to ' || strftime('%Y-%m-%d %H:%M', t1, 'unixepoch')
         || printf(' (%.1f h)', (t1 - t0) / 3600.0) AS value FROM vpcflow_span
  UNION ALL SELECT 2, 'files', (SELECT count(DISTINCT log_file) FROM flows_n)
  UNION ALL SELECT 3, 'records',
         (SELECT printf('%d: %d traffic, %d NODATA, %d SKIPDATA', count(*), sum(log_status = 'OK'),
                        sum(log_status = 'NODATA'), sum(log_status = 'SKIPDATA')) FROM flows_n)
  UNION ALL SELECT 4, 'parse errors',
         (SELECT count(*) || CASE WHEN count(*) > 0 THEN ' (SELECT * FROM vpcflow_errors)' ELSE '' END
            FROM vpcflow_errors)
  UNION ALL SELECT 5, 'counted once',
         (SELECT printf('%d records: %d NAT-gateway copies (%s), %d egress copies of flows the receiving ENI also logged',
                        sum(skip > 0), sum(skip = 1),
                        coalesce((SELECT group_concat(addr, ', ') FROM vpcflow_translator), 'none'),
                        sum(skip = 2)) FROM flows_n)
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
  UNION ALL SELECT 10, 'findings',
         (SELECT printf('%d: %d critical, %d high, %d medium, %d low', count(*), sum(severity = 'critical'),
                        sum(severity = 'high'), sum(severity = 'medium'), sum(severity = 'low'))
            FROM findings)
) ORDER BY k;

SELECT row_number() OVER (ORDER BY score DESC, detection, src, dst) AS "#",
       score, severity, detection, src, dst, port, first_seen, evidence
  FROM findings
 ORDER BY score DESC, detection, src, dst
 LIMIT (SELECT value FROM tunables WHERE name = 'hunt.max_rows');
