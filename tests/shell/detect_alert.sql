-- alert.sql turns findings into a failing statement (the shell then exits 1)
-- and stays quiet below the threshold. The findings here are written by
-- hand, so the test needs no flow logs.
CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value, note);
CREATE TEMP TABLE findings(detection, score, severity, src, dst, port, first_seen, last_seen, evidence);
INSERT INTO findings VALUES
  ('port_scan', 100.0, 'critical', '10.0.1.15', '10.0.2.30', NULL, '2026-02-13T14:05:00Z', '2026-02-13T14:07:00Z', 'x'),
  ('dns_tunnel', 15.0, 'low', '10.0.10.22', '198.51.100.8', 53, '2026-02-13T00:01:00Z', '2026-02-13T23:56:59Z', 'y');
INSERT INTO tunables VALUES ('alert.min_severity', 'high', NULL);
.read sql/alert.sql
UPDATE tunables SET value = 'critical' WHERE name = 'alert.min_severity';
DELETE FROM findings WHERE severity = 'critical';
.read sql/alert.sql
