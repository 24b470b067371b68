-- The severity rules of sql/README.md ("Severity") that the scenario days do
-- not exercise, on a hand-built day of v5 records (a TEMP table `flows` with
-- vpcflow's column names; prepare.sql reads any such table). Each case is
-- built so that the old scores put the routine one at medium or above; the
-- expected severities and scores are worked out from the detections'
-- header formulas (numbers in the comments).
--
-- Web host 10.0.0.5: 1000 internet clients use its public ports 80 and 443
-- and ping it (ICMP echo, answered); a scanner 203.0.113.7 is refused on 30
-- ports of 10.0.0.6-8 but answered on 10.0.0.5's 80, 443 and 8443.
--   8443: 20 + 25 (scanner) + 10 log10(1 + 1) = 48.0, not public: medium
--   443, 80: 20 + 25 + 10 log10(1 + 1001) - 25 = 50.0 (was medium): public,
--            at most 30: low, below 8443
--   ICMP: 20 + 10 log10(1 + 1000) = 50.0 (was medium): ICMP, at most 30
-- Host 10.0.1.20 (active before the cut) after the cut:
--   198.18.3.3:443, 12 answered connections of 20 KB (0.24 MB):
--     25 + 12 log10(1.24) + 10 + 5 log10(13) = 41.7 (was medium):
--     < 1 MB and < 50 connections: at most 39, low
--   198.18.3.4:443, 1 answered connection of 5 MB:
--     25 + 12 log10(6) + 10 + 5 log10(2) = 45.8: medium
-- Beacons, constant size and period (beacon_score 1):
--   10.0.1.30 -> 198.18.4.5:443 every 300 s, 100 starts: medium or above
--   10.0.1.31 -> 198.18.4.6:443 every 3600 s, 12 starts (< 20): low, as
--     10.0.1.20 -> 198.18.3.3:443 above (every 600 s, 12 starts)
--   10.0.1.40-42 -> 198.18.9.1-3:443 every 300 s, 100 starts each: one
--     /24, one port, 3 hosts = a fleet: low
CREATE TEMP TABLE flows(version INTEGER, account_id TEXT, interface_id TEXT, srcaddr TEXT,
  dstaddr TEXT, srcport INTEGER, dstport INTEGER, protocol INTEGER, packets INTEGER,
  bytes INTEGER, start INTEGER, "end" INTEGER, action TEXT, log_status TEXT,
  tcp_flags INTEGER, flow_direction TEXT, pkt_srcaddr TEXT, pkt_dstaddr TEXT);
-- conn: one connection; ours = the VPC address whose ENI logs it; inbound =
-- opened from the internet; ok = accepted and answered
CREATE TEMP TABLE conn(ours, peer, oport, pport, proto, bytes, start, inbound, ok);
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 1000)
INSERT INTO conn
  SELECT '10.0.0.5', '198.19.' || (n / 250) || '.' || (n % 250 + 1), p, 40000 + n, 6, 9000,
         1770940800 + 60 * n + (p = 443) * 7, 1, 1 FROM i, (SELECT 80 AS p UNION ALL SELECT 443)
  UNION ALL
  SELECT '10.0.0.5', '198.19.' || (n / 250) || '.' || (n % 250 + 1), 0, 0, 1, 84,
         1770940800 + 60 * n + 20, 1, 1 FROM i;
WITH RECURSIVE p(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM p WHERE n < 29)
INSERT INTO conn
  SELECT h, '203.0.113.7', 1000 + n, 50000 + n, 6, 60, 1771000000 + n, 1, 0
    FROM p, (SELECT '10.0.0.6' AS h UNION ALL SELECT '10.0.0.7' UNION ALL SELECT '10.0.0.8');
INSERT INTO conn VALUES
  ('10.0.0.5', '203.0.113.7', 80, 50100, 6, 300, 1771000100, 1, 1),
  ('10.0.0.5', '203.0.113.7', 443, 50101, 6, 300, 1771000101, 1, 1),
  ('10.0.0.5', '203.0.113.7', 8443, 50102, 6, 300, 1771000102, 1, 1);
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 99)
INSERT INTO conn
  SELECT '10.0.1.20', '198.18.2.1', 30000 + n, 443, 6, 2000, 1770944400 + 60 * n, 0, 1 FROM k WHERE n < 3
  UNION ALL SELECT '10.0.1.20', '198.18.3.3', 31000 + n, 443, 6, 20000, 1771000000 + 600 * n, 0, 1 FROM k WHERE n < 12
  UNION ALL SELECT '10.0.1.20', '198.18.3.4', 32000, 443, 6, 5000000, 1771010000, 0, 1
  UNION ALL SELECT '10.0.1.30', '198.18.4.5', 33000 + n, 443, 6, 500, 1770990000 + 300 * n, 0, 1 FROM k
  UNION ALL SELECT '10.0.1.31', '198.18.4.6', 34000 + n, 443, 6, 500, 1770990000 + 3600 * n, 0, 1 FROM k WHERE n < 12
  UNION ALL SELECT '10.0.1.' || (40 + h), '198.18.9.' || (1 + h), 35000 + n, 443, 6, 500, 1770990000 + 300 * n + h, 0, 1
              FROM k, (SELECT 0 AS h UNION ALL SELECT 1 UNION ALL SELECT 2);
-- every host active before the cut, and a record near midnight for the span
INSERT INTO conn SELECT DISTINCT ours, '198.18.2.1', 29000, 443, 6, 1000, 1770941000, 0, 1 FROM conn
  WHERE ours NOT IN ('10.0.1.20', '10.0.0.5');
INSERT INTO conn VALUES ('10.0.0.5', '198.19.0.1', 443, 39999, 6, 9000, 1771027000, 1, 1);
-- records: the opener's (SYN+FIN = 3 for TCP), the answer (SYN-ACK+FIN = 19)
INSERT INTO flows
  SELECT 5, '123456789012', 'eni-' || replace(ours, '.', ''),
         CASE WHEN inbound THEN peer ELSE ours END, CASE WHEN inbound THEN ours ELSE peer END,
         CASE WHEN inbound THEN pport ELSE oport END, CASE WHEN inbound THEN oport ELSE pport END,
         proto, 4, bytes, start, start + 5, CASE WHEN ok THEN 'ACCEPT' ELSE 'REJECT' END, 'OK',
         CASE WHEN proto = 6 THEN CASE WHEN ok THEN 3 ELSE 2 END ELSE 0 END,
         CASE WHEN inbound THEN 'ingress' ELSE 'egress' END,
         CASE WHEN inbound THEN peer ELSE ours END, CASE WHEN inbound THEN ours ELSE peer END
    FROM conn
  UNION ALL
  SELECT 5, '123456789012', 'eni-' || replace(ours, '.', ''),
         CASE WHEN inbound THEN ours ELSE peer END, CASE WHEN inbound THEN peer ELSE ours END,
         CASE WHEN inbound THEN oport ELSE pport END, CASE WHEN inbound THEN pport ELSE oport END,
         proto, 4, 400, start + 1, start + 6, 'ACCEPT', 'OK', CASE WHEN proto = 6 THEN 19 ELSE 0 END,
         CASE WHEN inbound THEN 'egress' ELSE 'ingress' END,
         CASE WHEN inbound THEN ours ELSE peer END, CASE WHEN inbound THEN peer ELSE ours END
    FROM conn WHERE ok;
.read sql/prepare.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
.read sql/detections/exposed_service.sql
.read sql/detections/new_destination.sql
.read sql/detections/beaconing.sql
SELECT 'exposed_service', dst, substr(evidence, 1, instr(evidence, '/') - 1) AS proto, port, score, severity
  FROM det_exposed_service WHERE dst = '10.0.0.5' ORDER BY score DESC, port;
SELECT 'new_destination', src, dst, port, score, severity
  FROM det_new_destination WHERE src = '10.0.1.20' AND dst LIKE '198.18.3.%' ORDER BY dst;
SELECT 'beaconing', src, dst, port, CASE WHEN severity IN ('medium', 'high', 'critical') THEN 'medium or above'
                                         ELSE severity END
  FROM det_beaconing ORDER BY src;
