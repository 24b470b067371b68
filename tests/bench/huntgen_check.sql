-- huntgen_check.sql - does a huntgen day look like what AWS writes?
--
-- Usage (from the repository root; tests/bench/hunt.sh runs it on the
-- smallest realistic dataset of every bench-hunt run):
--
--   sqlite3 -batch :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('/work/benchdata/realistic-1000000')" \
--     < tests/bench/huntgen_check.sql
--
-- Prints one line per property, "ok" or "BAD ...", from the flow-log
-- semantics AWS documents (and tests/scenario/gen.py's header states), not
-- from the generator's code:
--   layout     S3 key names, one file per subscription and 5 minutes, every
--              record's end inside its file's 5 minutes, the v2 subscription
--              has only the 14 default fields
--   both ENIs  every intra-VPC ingress record (receiver) has the sender's
--              egress copy, ACCEPT even when the receiver rejected
--   replies    every TCP connection a receiver accepted (SYN in tcp-flags)
--              has a reply on that ENI, outside cell 0's SYN flood
--   NAT        every instance's egress record to the internet through the
--              NAT gateway has the NAT ENI's copy with pkt-dstaddr = the peer
--   flags      tcp-flags per window: as many initiator SYN|FIN (3) as
--              responder SYN-ACK|FIN (19) records, SYN|RST (6) as
--              SYN-ACK|RST (22), and no other value than 0 1 2 3 6 18 19 22
--   status     NODATA every minute of the day from every cell's idle ENI,
--              25 SKIPDATA windows (cell 0)
-- A record is in cell 0 when an address is in 10.0.0.0/16; the NAT gateway
-- of a cell has host number 5 in its public-a subnet.
.bail on
.mode list
CREATE TEMP TABLE r AS
  SELECT log_file, version, interface_id AS eni, srcaddr AS sa, dstaddr AS da,
         srcport AS sp, dstport AS dp, protocol AS pr, start AS t0, "end" AS t1,
         action, log_status AS st, tcp_flags AS fl, pkt_srcaddr AS psa,
         pkt_dstaddr AS pda, flow_direction AS dir, pkt_dst_aws_service AS dsvc
    FROM flows;
CREATE INDEX r_tuple ON r(sa, da, sp, dp, pr, t0);

SELECT 'records ' || count(*) || ' in ' || count(DISTINCT log_file) || ' files' FROM r;

-- layout
SELECT 'layout: ' || CASE WHEN count(*) = 0 THEN 'ok' ELSE 'BAD ' || count(*) || ' records outside their file''s 5 minutes or badly named files' END
  FROM r
 WHERE log_file NOT GLOB '*/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/13/123456789012_vpcflowlogs_us-east-1_fl-0[25]c0ffee000000[25]_20260213T[0-2][0-9][0-5][05]Z_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f].log.gz'
    OR t1 < 1770940800 + 3600 * CAST(substr(log_file, -21, 2) AS INTEGER) + 60 * CAST(substr(log_file, -19, 2) AS INTEGER)
    OR t1 >= 1770940800 + 3600 * CAST(substr(log_file, -21, 2) AS INTEGER) + 60 * CAST(substr(log_file, -19, 2) AS INTEGER) + 300;
SELECT 'layout: ' || CASE WHEN sum(log_file GLOB '*fl-02c0ffee0000002*' <> (version = 2)) = 0
                           AND sum(version = 2 AND (dir IS NOT NULL OR fl IS NOT NULL)) = 0
                          THEN 'ok, ' || sum(version = 5) || ' v5 and ' || sum(version = 2) || ' v2 records'
                          ELSE 'BAD v2/v5 records in the wrong subscription' END FROM r;

-- both ENIs (v5: flow-direction known). Cell 0's web2 wrote nothing 14:00-16:00.
SELECT 'both ENIs: ' || CASE WHEN count(*) = 0 THEN 'ok, ' || (SELECT count(*) FROM r WHERE dir = 'ingress'
                                    AND is_private(sa) AND is_private(da) AND sa NOT LIKE '%.5' AND da NOT LIKE '%.5') || ' intra-VPC ingress records have the sender''s ACCEPT copy'
       ELSE 'BAD ' || count(*) || ' intra-VPC ingress records without the sender''s egress ACCEPT' END
  FROM r AS i
 WHERE i.dir = 'ingress' AND is_private(i.sa) AND is_private(i.da)
   AND i.sa NOT LIKE '%.5' AND i.da NOT LIKE '%.5'
   AND NOT (i.sa = '10.0.10.22' AND i.t0 >= 1770940800 + 14 * 3600 AND i.t0 < 1770940800 + 16 * 3600)
   AND NOT EXISTS (SELECT 1 FROM r AS e WHERE e.sa = i.sa AND e.da = i.da AND e.sp = i.sp
                     AND e.dp = i.dp AND e.pr = i.pr AND e.t0 = i.t0 AND e.dir = 'egress'
                     AND e.eni <> i.eni AND e.action = 'ACCEPT');
SELECT 'both ENIs: ' || count(*) || ' intra-VPC flows the receiver rejected, sender''s copy ACCEPT' FROM r AS i
 WHERE i.dir = 'ingress' AND i.action = 'REJECT' AND is_private(i.sa) AND is_private(i.da)
   AND EXISTS (SELECT 1 FROM r AS e WHERE e.sa = i.sa AND e.da = i.da AND e.sp = i.sp AND e.dp = i.dp
                 AND e.pr = i.pr AND e.t0 = i.t0 AND e.dir = 'egress' AND e.action = 'ACCEPT');

-- replies: an accepted SYN at the receiver is answered on the same ENI.
SELECT 'replies: ' || CASE WHEN sum(NOT cell0) = 0 THEN 'ok, every accepted TCP connection answered outside cell 0'
                           ELSE 'BAD ' || sum(NOT cell0) || ' accepted connections without a reply outside cell 0' END
       || ' (' || sum(cell0) || ' unanswered in cell 0: the SYN flood at web1, the port sweep at the NAT ENI)'
  FROM (SELECT i.sa LIKE '10.0.%' OR i.da LIKE '10.0.%' AS cell0 FROM r AS i
         WHERE i.dir = 'ingress' AND i.action = 'ACCEPT' AND i.pr = 6 AND (i.fl & 18) = 2
           AND NOT EXISTS (SELECT 1 FROM r AS b WHERE b.sa = i.da AND b.da = i.sa AND b.sp = i.dp
                             AND b.dp = i.sp AND b.pr = 6 AND b.t0 = i.t0 AND b.eni = i.eni));

-- NAT gateway copies: the instance's egress to the internet via the NAT.
SELECT 'NAT: ' || CASE WHEN sum(NOT has_copy) = 0 THEN 'ok, ' || count(*) || ' instance records to the internet have the NAT ENI''s copy (pkt-dstaddr = peer)'
                       ELSE 'BAD ' || sum(NOT has_copy) || ' of ' || count(*) || ' without a NAT copy' END
  FROM (SELECT EXISTS (SELECT 1 FROM r AS n WHERE n.sa = e.sa AND n.sp = e.sp AND n.dp = e.dp
                         AND n.pr = e.pr AND n.t0 = e.t0 AND n.da LIKE '%.5' AND n.pda = e.da
                         AND n.dir = 'ingress') AS has_copy
          FROM r AS e
         WHERE e.dir = 'egress' AND is_private(e.sa) AND NOT is_private(e.da)
           AND e.sa NOT LIKE '%.5' AND e.dsvc IS NOT 'S3'
           AND (ip_in_cidr(e.sa, '10.48.0.0/12') OR ip_in_cidr(e.sa, '10.64.0.0/12')
                OR ip_in_cidr(e.sa, '10.80.0.0/12') OR e.sa LIKE '10.0.1.%'
                OR e.sa LIKE '10.0.2.%' OR e.sa LIKE '10.0.3.%')
           AND e.action = 'ACCEPT');
SELECT 'NAT: ' || count(*) || ' NAT-gateway records with pkt-srcaddr or pkt-dstaddr differing from srcaddr/dstaddr'
  FROM r WHERE psa <> sa OR pda <> da;

-- tcp-flags per window
SELECT 'flags: ' || CASE WHEN sum(fl = 3) = sum(fl = 19) AND sum(fl = 6) = sum(fl = 22)
                          AND sum(fl NOT IN (0, 1, 2, 3, 6, 18, 19, 22)) = 0
                         THEN 'ok, ' ELSE 'BAD ' END
       || sum(fl = 3) || ' x 3 (SYN|FIN), ' || sum(fl = 19) || ' x 19 (SYN-ACK|FIN), '
       || sum(fl = 2) || ' x 2, ' || sum(fl = 0) || ' x 0, ' || sum(fl = 1) || ' x 1 (long connections), '
       || sum(fl NOT IN (0, 1, 2, 3, 6, 18, 19, 22)) || ' other'
  FROM r WHERE pr = 6 AND fl IS NOT NULL;

-- NODATA / SKIPDATA
SELECT 'status: ' || CASE WHEN sum(st = 'NODATA') = 1440 * count(DISTINCT CASE WHEN st = 'NODATA' THEN eni END)
                           AND sum(st = 'SKIPDATA') = 25 THEN 'ok, ' ELSE 'BAD ' END
       || sum(st = 'NODATA') || ' NODATA from ' || count(DISTINCT CASE WHEN st = 'NODATA' THEN eni END)
       || ' idle ENIs, ' || sum(st = 'SKIPDATA') || ' SKIPDATA' FROM r;
