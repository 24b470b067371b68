-- prepare.sql - normalise any vpcflow table named `flows` once: the
-- de-duplicated, direction-aware flow records every detection reads.
.bail on
--
-- Usage (from the repository root; every detection and hunt.sql start
-- with `.read sql/prepare.sql`, and reading it again is a no-op):
--
--   .load ./vpcflow
--   CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/');
--   .read sql/prepare.sql
--
-- To analyse another table in the same session: DROP TABLE temp.vpcflow_day;
-- DELETE FROM temp.vpcflow_state; then read this file again.
--
-- What it makes:
--   vpcflow_day  one row: records, traffic, ok, nodata, skipdata, nat, dup,
--                files, t0, t1 - the counts of the normalised day
--   flows_n      a VIEW: every record of `flows` with its flags (3) below;
--                each read reads `flows` again (one pass over the files),
--                so copy it to a table to query it many times:
--                  CREATE TEMP TABLE my_n AS SELECT * FROM flows_n;
--   traffic      a VIEW of flows_n: log status OK, each flow once (skip 0)
--   vpcflow_eni, vpcflow_translator, vpcflow_state, tunables, vpcflow_span
-- sql/summaries.sql then gives the detections flows_t (the traffic rows,
-- from memory) and the summaries att_port and pair.
--
-- HOW IT WORKS
--
-- (1) Any format, one set of columns. A detection must run on the 14
--     default v2 fields and use v3-v5 fields when they exist; a column the
--     file format lacks reads as NULL (the normaliser looks the names up
--     in pragma_table_xinfo('flows')). Any table or view with vpcflow's
--     column names can be `flows`.
-- (2) Normalised once, in C, kept in memory. vpcflow_prepare('flows')
--     (ext/norm.c) reads `flows` in ONE pass - a vpcflow table in place,
--     through its hidden pointer column vpcflow_row (ext/rowref.h), without
--     one SQL value per field; any other table through SQL values -
--     interning every text value, and works out the flags of (3) and (4)
--     with hash tables and radix sorts. It keeps the day in memory, about
--     80 bytes per record, for the connection (ext/day.h): flows_t, the
--     summaries and log_coverage read it from there (ext/day.c), and no
--     row is ever written to a table. The flags follow the SQL that
--     defined them (UPDATEs with correlated self-joins, ~15 us per
--     record), kept as tests/hunt/prepare_reference.sql, the reference that
--     tests/hunt/diff.sh compares against, row for row.
-- (3) Flow semantics, each stored as a column so detections stay short:
--     src, dst       pkt-srcaddr/pkt-dstaddr when present, else srcaddr/dstaddr
--                    (the real peer behind a NAT gateway or an EKS pod).
--     dir            flow-direction (v5), else inferred: the ENI's own
--                    address is the one that appears in most of its records;
--                    srcaddr = that address means egress.
--     skip           0 = use; 1 = record of a NAT gateway (translator) ENI,
--                    whose instance-side record tells the same flow with the
--                    real addresses; 2 = egress copy of a flow that the
--                    receiving ENI also logged (intra-VPC traffic is logged
--                    on both ENIs; the ingress copy is kept because it holds
--                    the receiver's ACCEPT/REJECT decision).
--                    NODATA/SKIPDATA rows stay in flows_n (log_status) for
--                    coverage reports; `traffic` leaves them out.
--     resp           1 = the answering side of a connection (server port to
--                    client port): SYN-ACK in tcp-flags when present, else
--                    source port below 1024 with destination port >= 1024,
--                    or source port below 32768 with destination port
--                    >= 32768 (the Linux/Windows ephemeral ranges).
--                    Scans, sweeps and fan-outs count only resp = 0.
--     answered       initiator records (resp = 0): 1 if a reverse record
--                    exists within 2 minutes. A failure in TRW's sense is
--                    action = 'REJECT' or answered = 0.
--     conn_start     1 = this record opens a connection: SYN without ACK in
--                    tcp-flags when present, else no record of the same
--                    5-tuple in the previous 120 s. The 60 s / 600 s records
--                    of one long connection are therefore not "beacons".
--     src_private,   is_private(): RFC 1918, fc00::/7, 100.64.0.0/10.
--     dst_private
-- (4) Translators (NAT gateways) are recognised from the data, in every
--     format: the NAT ENI logs the instance's packet as srcaddr -> NAT
--     address with the instance's own source port at the same second as the
--     instance's ENI logs srcaddr -> internet. An address seen this way at
--     least 3 times is a translator. This needs the instances' ENIs in the
--     flow log (a VPC- or subnet-level flow log).
-- (5) vpcflow_state holds the time span, the baseline cut (for "new" edges,
--     ports and destinations: the first baseline_fraction of the span,
--     default 0.5) and which user tables were supplied. tunables holds
--     every threshold; set one before reading a detection:
--       CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value, note);
--       INSERT INTO tunables VALUES ('port_scan.min_ports', 50, 'mine');
-- (6) User tables (TEMP tables or views, created before this file runs):
--       ioc(addr TEXT, note TEXT)         addresses or CIDRs, threat_list_match
--       zones(cidr TEXT, zone TEXT)       trust_boundary
--       allowed(src_zone, dst_zone, port) trust_boundary; '*' = any zone,
--                                         port NULL = any port
--     When absent, an empty TEMP table of that name is created so the
--     detection compiles, and the detection prints a note instead of rows.

CREATE TEMP TABLE IF NOT EXISTS vpcflow_state(k TEXT PRIMARY KEY, v);
CREATE TEMP TABLE IF NOT EXISTS tunables(name TEXT PRIMARY KEY, value, note);
INSERT OR IGNORE INTO tunables VALUES
  ('baseline_fraction', 0.5, 'share of the time span used as baseline for "new" (first half)'),
  ('nat_min_matches', 3, 'matches that make an address a NAT translator');

INSERT OR IGNORE INTO vpcflow_state
  SELECT 'ioc_given', count(*) > 0 FROM sqlite_temp_master WHERE name = 'ioc';
INSERT OR IGNORE INTO vpcflow_state
  SELECT 'zones_given', count(*) = 2 FROM sqlite_temp_master WHERE name IN ('zones', 'allowed');
CREATE TEMP TABLE IF NOT EXISTS ioc(addr TEXT, note TEXT);
CREATE TEMP TABLE IF NOT EXISTS zones(cidr TEXT, zone TEXT);
CREATE TEMP TABLE IF NOT EXISTS allowed(src_zone TEXT, dst_zone TEXT, port INTEGER);

-- ---------------------------------------------------------------------
-- Shared by every detection: what a score means, and the tunables checked.
-- (This block only adds; everything above it stays as it is.)
--
-- Severity: vpcflow_severity(score) (ext/func_hunt.c) maps a 0-100 score
-- to critical (>= 85), high (>= 65), medium (>= 40) or low; sql/README.md,
-- "Severity", says what each asks of a responder. It is a C function, not
-- a table joined by range, because the same file also has to raise the
-- tunables errors below, which SQLite 3.40 cannot do with a computed
-- message from SQL alone (RAISE() takes a literal); one C file holds both
-- rules, and every view calls the mapping as one short expression.
--
-- Tunables: vpcflow_tunable_spec lists every setting any detection, the
-- hunt or alert.sql reads: its default, its kind (integer, number, ports,
-- severity) and bounds. Its defaults go into `tunables` here, so
--   SELECT * FROM tunables;
-- lists them all, with a note, as soon as one file has been read. The view
-- vpcflow_tun gives each (name, value) after vpcflow_tunable() has checked
-- it, in its kind's type (numeric text becomes a number, a port list loses
-- its spaces); a detection reads its settings from it in one CTE:
--   tun AS (SELECT max(value) FILTER (WHERE name = 'x.a') AS a, ... FROM vpcflow_tun)
-- A row of tunables whose name is not in the spec (port_scan.minports), or
-- whose value is not of its kind or outside its bounds, is an error naming
-- it and saying what is valid; the statement at the end of this block
-- reads the view, so every detection (and the hunt, once flows_n is built)
-- stops there (.bail on) before it computes anything.
CREATE TEMP TABLE IF NOT EXISTS vpcflow_tunable_spec(
  name TEXT PRIMARY KEY, value, kind TEXT, lo REAL, hi REAL, note TEXT);
INSERT OR IGNORE INTO vpcflow_tunable_spec VALUES
  ('baseline_fraction', 0.5, 'number', 0.01, 0.99, 'share of the time span used as baseline for "new" (first half)'),
  ('nat_min_matches', 3, 'integer', 1, NULL, 'matches that make an address a NAT translator'),
  ('hunt.max_rows', 40, 'integer', 0, NULL, 'findings printed by hunt.sql'),
  ('alert.min_severity', 'high', 'severity', NULL, NULL, 'alert.sql exits 2 at or above this (low, medium, high, critical)'),
  ('port_scan.min_ports', 25, 'integer', 2, 65536, 'distinct ports in the window (Sumo Logic: 25 / 5 min)'),
  ('port_scan.window', 300, 'integer', 1, NULL, 'sliding window, seconds'),
  ('port_sweep.min_hosts', 100, 'integer', 2, NULL, 'distinct destinations on one port (Elastic: 100 / 9 min)'),
  ('port_sweep.window', 3600, 'integer', 1, NULL, 'sliding window, seconds (Splunk: 1 h)'),
  ('exposed_service.scanner_ports', 10, 'integer', 1, 65536, 'a public source with this many ports and >= 80% rejected is a scanner'),
  ('exposed_service.min_open', 0.5, 'number', 0, 1, 'share of public sources accepted for "open to the world"'),
  ('exposed_service.public_ports', '80,443', 'ports', NULL, NULL, 'ports meant to be public'),
  ('brute_force.min_attempts', 25, 'integer', 1, NULL, 'attempts per 5 min to one host (Sentinel: 25 / 5 min)'),
  ('brute_force.ports', '22,3389,5985,5986', 'ports', NULL, NULL, 'SSH, RDP, WinRM'),
  ('lateral_movement.min_new_hosts', 5, 'integer', 1, NULL, 'internal hosts over new admin-port edges in 1 h'),
  ('lateral_movement.ports', '21,22,23,135,139,445,3389,5900,5985,5986', 'ports', NULL, NULL, 'admin ports (Elastic sweep set + RPC, VNC)'),
  ('exfiltration.min_bytes', 500000000, 'integer', 0, NULL, 'bytes out to one peer (Tailpipe: 500 MB)'),
  ('exfiltration.min_pcr', 0.4, 'number', -1, 1, 'producer-consumer ratio (PCR >= 0.4 = export)'),
  ('beaconing.min_conns', 10, 'integer', 3, NULL, 'connection starts per (src, dst, port)'),
  ('beaconing.min_score', 0.7, 'number', 0, 1, 'beacon_score() floor (RITA low bucket)'),
  ('beaconing.min_on_schedule', 0.5, 'number', 0, 1, 'share of intervals within 20 % of the median'),
  ('beaconing.fleet_hosts', 3, 'integer', 2, NULL, 'hosts beaconing to one /24 and port that make a fleet (kept below medium)'),
  ('dns_tunnel.bytes_per_min', 300000, 'integer', 0, NULL, 'DNS bytes out per minute (Sigma)'),
  ('dns_tunnel.queries_per_min', 1000, 'integer', 0, NULL, 'DNS packets out per minute (Sigma)'),
  ('icmp_tunnel_tor.icmp_bytes', 256, 'number', 0, NULL, 'average ICMP bytes per packet (Elastic)'),
  ('icmp_tunnel_tor.tor_ports', '9001,9030', 'ports', NULL, NULL, 'Tor ORPort and DirPort (Elastic)'),
  ('dos.out_packets', 10000, 'integer', 1, NULL, 'packets per minute to one peer (Tailpipe)'),
  ('dos.syn_sources', 200, 'integer', 1, NULL, 'SYN-only sources per minute (Sigma)'),
  ('dos.udp_sources', 100, 'integer', 1, NULL, 'UDP sources per minute (Sigma)'),
  ('dos.dns_sources', 50, 'integer', 1, NULL, 'UDP sources from port 53 per minute (Sigma)'),
  ('dos.flood_sources', 100, 'integer', 1, NULL, 'new sources per minute that make a completed-connection candidate'),
  ('dos.flood_conns', 500, 'integer', 1, NULL, 'completed connections per minute that make a candidate'),
  ('dos.flood_src_floor', 5, 'number', 0.01, NULL, 'baseline floor, new sources per minute'),
  ('dos.flood_conn_floor', 10, 'number', 0.01, NULL, 'baseline floor, completed connections per minute'),
  ('dos.flood_ratio', 10, 'number', 1, NULL, 'surge over the baseline that scores 45 (medium)'),
  ('reject_spike.min_z', 3, 'number', 0, NULL, 'standard deviations above the source''s own past hours (Splunk)'),
  ('reject_spike.min_count', 10, 'integer', 0, NULL, 'refused attempts in the hour'),
  ('internal_reject.min_rejects', 10, 'integer', 1, NULL, 'refused attempts from one internal host'),
  ('internal_reject.min_peak', 5, 'integer', 1, NULL, 'refused attempts in the busiest 10 minutes'),
  ('new_destination.fanout', 20, 'integer', 1, NULL, 'new peers on one port folded into one row'),
  ('log_coverage.gap', 3600, 'integer', 1, NULL, 'silence between two records of one interface, seconds');
INSERT OR IGNORE INTO tunables SELECT name, value, note FROM vpcflow_tunable_spec;
CREATE TEMP VIEW IF NOT EXISTS vpcflow_tun AS
  SELECT t.name, vpcflow_tunable(t.name, t.value, s.kind, s.lo, s.hi,
                   (SELECT group_concat(name, ', ') FROM (SELECT name FROM vpcflow_tunable_spec ORDER BY name))) AS value
    FROM tunables AS t LEFT JOIN vpcflow_tunable_spec AS s USING (name);
-- (its own one-row table: vpcflow_state stays what tests/hunt/diff.sh
-- compares with the reference normalisation)
CREATE TEMP TABLE IF NOT EXISTS vpcflow_tun_checked(n INTEGER);
INSERT OR REPLACE INTO vpcflow_tun_checked(rowid, n) SELECT 1, count(value) FROM vpcflow_tun;

-- (the tunables are checked above, before the normalisation, so a
-- misspelt setting stops the run at once, not after minutes of reading)

-- (2)-(4): the day, normalised once in C and kept in memory; the row of
-- vpcflow_day holds its counts (records, traffic, ok, nodata, skipdata,
-- nat, dup, files, t0, t1)
CREATE TEMP TABLE IF NOT EXISTS vpcflow_day AS
SELECT * FROM vpcflow_prepare('flows', (SELECT value FROM tunables WHERE name = 'nat_min_matches'));
-- every column and flag, for queries of your own: computed again from
-- `flows` on each read (one pass over the files, the flags kept from
-- vpcflow_prepare); copy it into a table to query it many times
CREATE TEMP VIEW IF NOT EXISTS flows_n AS
SELECT * FROM vpcflow_normalize('flows', (SELECT value FROM tunables WHERE name = 'nat_min_matches'));

INSERT OR IGNORE INTO vpcflow_state SELECT 'fields', group_concat(name, ' ')
  FROM pragma_table_xinfo('flows') WHERE NOT hidden;
INSERT OR IGNORE INTO vpcflow_state SELECT 'has_v3', count(*) > 0
  FROM pragma_table_xinfo('flows') WHERE name IN ('tcp_flags', 'pkt_srcaddr', 'pkt_dstaddr');
INSERT OR IGNORE INTO vpcflow_state SELECT 'has_v5', count(*) > 0
  FROM pragma_table_xinfo('flows') WHERE name IN ('flow_direction', 'pkt_dst_aws_service');

-- The lists the normalisation found (kept by the last vpcflow_normalize()
-- call, so these do not read `flows` again): each ENI's own address where
-- flow-direction is absent (3), the NAT translators (4).
CREATE TEMP TABLE IF NOT EXISTS vpcflow_eni AS
SELECT interface_id, addr, n FROM vpcflow_eni_addresses('flows', (SELECT value FROM tunables WHERE name = 'nat_min_matches'));
CREATE TEMP TABLE IF NOT EXISTS vpcflow_translator AS
SELECT addr, matches FROM vpcflow_translators('flows', (SELECT value FROM tunables WHERE name = 'nat_min_matches'));

-- Every detection reads this file again: each statement below must cost a
-- catalog lookup then, never a read of flows.
INSERT OR IGNORE INTO vpcflow_state SELECT 't0', t0 FROM vpcflow_day;
INSERT OR IGNORE INTO vpcflow_state SELECT 't1', t1 FROM vpcflow_day;
INSERT OR IGNORE INTO vpcflow_state
  SELECT 'cut', CAST(t0.v + (t1.v - t0.v) * (SELECT value FROM tunables WHERE name = 'baseline_fraction') AS INTEGER)
    FROM vpcflow_state AS t0, vpcflow_state AS t1 WHERE t0.k = 't0' AND t1.k = 't1';
INSERT OR IGNORE INTO vpcflow_state VALUES ('prepared', 1);

-- The traffic rows with every column (a read of flows_n; the detections
-- read the same rows from memory through flows_t, sql/summaries.sql).
CREATE TEMP VIEW IF NOT EXISTS traffic AS
  SELECT * FROM flows_n WHERE log_status = 'OK' AND skip = 0;

-- Shared helpers for the detections.
CREATE TEMP VIEW IF NOT EXISTS vpcflow_span AS
  SELECT (SELECT v FROM vpcflow_state WHERE k = 't0') AS t0,
         (SELECT v FROM vpcflow_state WHERE k = 't1') AS t1,
         (SELECT v FROM vpcflow_state WHERE k = 'cut') AS cut;
