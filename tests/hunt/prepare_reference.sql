-- prepare.sql - turn any vpcflow table named `flows` into the normalised,
-- de-duplicated TEMP table `flows_n` that every detection reads.
--
-- Usage (from the repository root; every detection and hunt.sql start
-- with `.read sql/prepare.sql`, and reading it again is a no-op):
--
--   .load ./vpcflow
--   CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/');
--   .read sql/prepare.sql
--
-- To analyse another table in the same session: DROP TABLE temp.flows_n;
-- DELETE FROM temp.vpcflow_state; then read this file again.
--
-- HOW IT WORKS
--
-- (1) Any format, one set of columns. A detection must run on the 14
--     default v2 fields and use v3-v5 fields when they exist, but SQLite
--     refuses to compile a query that names a column the table lacks. So
--     the columns come from
--         vpcflow_superset NATURAL RIGHT JOIN flows
--     vpcflow_superset is an EMPTY table declaring every field we use.
--     A NATURAL join merges the columns both sides have (so srcaddr is the
--     file's srcaddr); a column only the superset has is NULL. With an
--     empty left side the RIGHT JOIN returns every row of flows once, in
--     one scan (EXPLAIN QUERY PLAN shows the empty loop then the scan).
--     No generated SQL, no temporary files. Needs SQLite >= 3.39.
-- (2) The result is MATERIALISED once (CREATE TEMP TABLE ... AS): the
--     virtual table is direct-only and re-parses the files on every scan,
--     and the detections read the rows many times.
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

CREATE TEMP TABLE IF NOT EXISTS vpcflow_superset(
  version INTEGER, account_id TEXT, interface_id TEXT, srcaddr TEXT,
  dstaddr TEXT, srcport INTEGER, dstport INTEGER, protocol INTEGER,
  packets INTEGER, bytes INTEGER, start INTEGER, "end" INTEGER, action TEXT,
  log_status TEXT, vpc_id TEXT, subnet_id TEXT, instance_id TEXT,
  tcp_flags INTEGER, type TEXT, pkt_srcaddr TEXT, pkt_dstaddr TEXT,
  region TEXT, az_id TEXT, pkt_src_aws_service TEXT,
  pkt_dst_aws_service TEXT, flow_direction TEXT, traffic_path INTEGER,
  reject_reason TEXT, resource_id TEXT);

CREATE TEMP TABLE IF NOT EXISTS flows_n AS
SELECT
  f.log_file AS log_file, f.dt AS dt,
  version, account_id, interface_id, vpc_id, subnet_id, instance_id,
  region, az_id, resource_id,
  upper(coalesce(log_status, 'OK')) AS log_status,
  upper(action) AS action, reject_reason,
  srcaddr, dstaddr,
  coalesce(pkt_srcaddr, srcaddr) AS src,
  coalesce(pkt_dstaddr, dstaddr) AS dst,
  srcport, dstport, protocol, packets, bytes, start, "end",
  tcp_flags, traffic_path,
  pkt_src_aws_service AS src_service, pkt_dst_aws_service AS dst_service,
  lower(flow_direction) AS dir,
  is_private(coalesce(pkt_srcaddr, srcaddr)) AS src_private,
  is_private(coalesce(pkt_dstaddr, dstaddr)) AS dst_private,
  0 AS skip, 0 AS resp, 0 AS answered, 0 AS conn_start
FROM vpcflow_superset NATURAL RIGHT JOIN flows AS f;

INSERT OR IGNORE INTO vpcflow_state SELECT 'fields', group_concat(name, ' ')
  FROM pragma_table_xinfo('flows') WHERE NOT hidden;
INSERT OR IGNORE INTO vpcflow_state SELECT 'has_v3', count(*) > 0
  FROM pragma_table_xinfo('flows') WHERE name IN ('tcp_flags', 'pkt_srcaddr', 'pkt_dstaddr');
INSERT OR IGNORE INTO vpcflow_state SELECT 'has_v5', count(*) > 0
  FROM pragma_table_xinfo('flows') WHERE name IN ('flow_direction', 'pkt_dst_aws_service');

CREATE INDEX IF NOT EXISTS flows_n_tuple ON flows_n(src, dst, srcport, dstport, protocol, start);
CREATE INDEX IF NOT EXISTS flows_n_raw ON flows_n(srcaddr, srcport, dstport, protocol, start);

-- (3) direction from the ENI's own address when flow-direction is absent
CREATE TEMP TABLE IF NOT EXISTS vpcflow_eni AS
WITH a(interface_id, addr) AS (
  SELECT interface_id, srcaddr FROM flows_n WHERE dir IS NULL AND log_status = 'OK'
  UNION ALL
  SELECT interface_id, dstaddr FROM flows_n WHERE dir IS NULL AND log_status = 'OK'),
c AS (SELECT interface_id, addr, count(*) AS n FROM a
       WHERE interface_id IS NOT NULL AND addr IS NOT NULL GROUP BY 1, 2)
SELECT interface_id, addr, max(n) AS n FROM c GROUP BY interface_id;

UPDATE flows_n SET dir = CASE
    WHEN flows_n.srcaddr = e.addr THEN 'egress'
    WHEN flows_n.dstaddr = e.addr THEN 'ingress' END
  FROM vpcflow_eni AS e
 WHERE flows_n.dir IS NULL AND e.interface_id = flows_n.interface_id
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'prepared');

-- (4) NAT gateways: translator addresses
CREATE TEMP TABLE IF NOT EXISTS vpcflow_translator AS
SELECT a.dstaddr AS addr, count(*) AS matches
  FROM flows_n AS a JOIN flows_n AS b
    ON b.srcaddr = a.srcaddr AND b.srcport = a.srcport
   AND b.dstport = a.dstport AND b.protocol = a.protocol
   AND b.start BETWEEN a.start - 5 AND a.start + 5
 WHERE a.log_status = 'OK' AND is_private(a.dstaddr) AND NOT is_private(b.dstaddr)
   AND b.interface_id IS NOT a.interface_id
 GROUP BY a.dstaddr
HAVING count(*) >= (SELECT value FROM tunables WHERE name = 'nat_min_matches');

UPDATE flows_n SET skip = 1
 WHERE (srcaddr IN (SELECT addr FROM vpcflow_translator)
        OR dstaddr IN (SELECT addr FROM vpcflow_translator))
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'prepared');

-- (3) both-ENI duplicates: drop the egress copy when the receiver logged it
UPDATE flows_n AS e SET skip = 2
 WHERE e.skip = 0 AND e.log_status = 'OK' AND e.dir = 'egress'
   AND EXISTS (SELECT 1 FROM flows_n AS i
                WHERE i.src = e.src AND i.dst = e.dst
                  AND i.srcport IS e.srcport AND i.dstport IS e.dstport
                  AND i.protocol IS e.protocol
                  AND i.start BETWEEN e.start - 60 AND e.start + 60
                  AND i.dir = 'ingress' AND i.skip = 0
                  AND i.interface_id IS NOT e.interface_id)
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'prepared');

-- (3) the answering side of a connection
UPDATE flows_n SET resp = CASE
    WHEN protocol = 6 AND tcp_flags IS NOT NULL AND (tcp_flags & 18) = 18 THEN 1
    WHEN protocol = 6 AND tcp_flags IS NOT NULL AND (tcp_flags & 18) = 2 THEN 0
    WHEN srcport < 1024 AND dstport >= 1024 THEN 1
    WHEN srcport < 32768 AND dstport >= 32768 THEN 1
    ELSE 0 END
 WHERE log_status = 'OK' AND skip = 0
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'prepared');

UPDATE flows_n AS o SET answered = EXISTS (
    SELECT 1 FROM flows_n AS r
     WHERE r.src = o.dst AND r.dst = o.src AND r.srcport IS o.dstport
       AND r.dstport IS o.srcport AND r.protocol IS o.protocol
       AND r.start BETWEEN o.start - 120 AND o.start + 120
       AND r.skip = 0 AND r.log_status = 'OK')
 WHERE o.log_status = 'OK' AND o.skip = 0 AND o.resp = 0
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'prepared');

UPDATE flows_n AS o SET conn_start = CASE
    WHEN o.protocol = 6 AND o.tcp_flags IS NOT NULL THEN (o.tcp_flags & 18) = 2
    ELSE NOT EXISTS (
      SELECT 1 FROM flows_n AS p
       WHERE p.src = o.src AND p.dst = o.dst AND p.srcport IS o.srcport
         AND p.dstport IS o.dstport AND p.protocol IS o.protocol
         AND p.start BETWEEN o.start - 120 AND o.start - 1
         AND p.skip = 0 AND p.log_status = 'OK') END
 WHERE o.log_status = 'OK' AND o.skip = 0 AND o.resp = 0
   AND NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'prepared');

INSERT OR IGNORE INTO vpcflow_state SELECT 't0', min(start) FROM flows_n WHERE log_status = 'OK';
INSERT OR IGNORE INTO vpcflow_state SELECT 't1', max("end") FROM flows_n WHERE log_status = 'OK';
INSERT OR IGNORE INTO vpcflow_state
  SELECT 'cut', CAST(t0.v + (t1.v - t0.v) * (SELECT value FROM tunables WHERE name = 'baseline_fraction') AS INTEGER)
    FROM vpcflow_state AS t0, vpcflow_state AS t1 WHERE t0.k = 't0' AND t1.k = 't1';
INSERT OR IGNORE INTO vpcflow_state VALUES ('prepared', 1);

CREATE INDEX IF NOT EXISTS flows_n_src ON flows_n(src, start);

-- The rows every traffic detection reads.
CREATE TEMP VIEW IF NOT EXISTS traffic AS
  SELECT * FROM flows_n WHERE log_status = 'OK' AND skip = 0;

-- Shared helpers for the detections.
CREATE TEMP VIEW IF NOT EXISTS vpcflow_span AS
  SELECT (SELECT v FROM vpcflow_state WHERE k = 't0') AS t0,
         (SELECT v FROM vpcflow_state WHERE k = 't1') AS t1,
         (SELECT v FROM vpcflow_state WHERE k = 'cut') AS cut;
