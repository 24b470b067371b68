-- As detect_reference.sql (v5 scenario), with thresholds lowered so that the
-- rewritten detections' candidate gates (summaries first, raw rows of the
-- candidates after) let many more candidates through, and with the two
-- tunables for which a detection takes another path: log_coverage.gap below
-- 60 s (reads the records, not the per-minute summary) and
-- reject_spike.min_count below 1 (the zero-filled grid of hours).
CREATE TEMP TABLE tunables(name TEXT PRIMARY KEY, value, note);
INSERT INTO tunables VALUES
  ('port_scan.min_ports', 5, 'test'), ('port_scan.window', 120, 'test'),
  ('port_sweep.min_hosts', 10, 'test'), ('port_sweep.window', 600, 'test'),
  ('exposed_service.scanner_ports', 3, 'test'), ('exposed_service.min_open', 0.1, 'test'),
  ('brute_force.min_attempts', 3, 'test'), ('brute_force.ports', '22,3389,5985,5986,443', 'test'),
  ('lateral_movement.min_new_hosts', 2, 'test'),
  ('exfiltration.min_bytes', 1000000, 'test'), ('exfiltration.min_pcr', -1, 'test'),
  ('beaconing.min_conns', 4, 'test'), ('beaconing.min_score', 0.3, 'test'),
  ('dns_tunnel.bytes_per_min', 1000, 'test'),
  ('icmp_tunnel_tor.icmp_bytes', 10, 'test'), ('icmp_tunnel_tor.tor_ports', '9001,9030,443', 'test'),
  ('dos.out_packets', 500, 'test'), ('dos.syn_sources', 5, 'test'), ('dos.udp_sources', 5, 'test'),
  ('dos.dns_sources', 2, 'test'),
  ('reject_spike.min_count', 0, 'test'), ('reject_spike.min_z', 0.5, 'test'),
  ('internal_reject.min_rejects', 2, 'test'), ('internal_reject.min_peak', 1, 'test'),
  ('new_destination.fanout', 3, 'test'),
  ('log_coverage.gap', 30, 'test');
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read fixtures/scenario/context.sql
.read tests/shell/detect_reference.inc
