-- stub_prepare.sql - sql/prepare.sql as tests/hunt/time.sh and session.sh
-- give it to the detections: the rows come from a database file that
-- mkdb.sh saved (main.flows_n, vpcflow_state, tunables, the user tables),
-- not from flow logs.
CREATE TEMP VIEW IF NOT EXISTS traffic AS
  SELECT * FROM main.flows_n WHERE log_status = 'OK' AND skip = 0;
-- the day the detections read (ext/day.c), made from the saved rows: the
-- normalised addresses and directions given as pkt-* and flow-direction,
-- so vpcflow_prepare() finds the flags the saved rows hold
CREATE TEMP VIEW IF NOT EXISTS flows_saved AS
  SELECT log_file, interface_id, srcaddr, dstaddr, src AS pkt_srcaddr, dst AS pkt_dstaddr,
         srcport, dstport, protocol, packets, bytes, start, "end", action, log_status,
         tcp_flags, dir AS flow_direction, src_service AS pkt_src_aws_service,
         dst_service AS pkt_dst_aws_service
    FROM main.flows_n;
CREATE TEMP TABLE IF NOT EXISTS vpcflow_day AS
  SELECT * FROM vpcflow_prepare('flows_saved', (SELECT value FROM tunables WHERE name = 'nat_min_matches'));
CREATE TEMP VIEW IF NOT EXISTS vpcflow_span AS
  SELECT (SELECT v FROM vpcflow_state WHERE k = 't0') AS t0,
         (SELECT v FROM vpcflow_state WHERE k = 't1') AS t1,
         (SELECT v FROM vpcflow_state WHERE k = 'cut') AS cut;
-- the tunables as prepare.sql saved them (already checked when mkdb.sh ran)
CREATE TEMP VIEW IF NOT EXISTS vpcflow_tun AS SELECT name, value FROM tunables;
