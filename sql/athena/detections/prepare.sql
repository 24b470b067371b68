-- prepare.sql (Athena) - the views every Athena detection reads: the
-- Trino SQL form of sql/prepare.sql + sql/summaries.sql (flows_n,
-- flows_t, att_port, pair, vpcflow_span) over the table that
-- vpcflow_athena_ddl() creates (vpc_flow_logs, partitioned by dt).
--
-- HOW TO RUN (Athena engine version 3)
--   1. Create the table: run the statement that
--        SELECT vpcflow_athena_ddl('logs/', 's3://bucket/AWSLogs/<acct>/vpcflowlogs/<region>/');
--      prints, in the database you will query.
--   2. Set the days to analyse in vpcflow_days below (the ONE partition
--      filter every detection goes through: dt BETWEEN 'yyyy/MM/dd' AND ...).
--   3. Run each CREATE OR REPLACE VIEW statement of this file, in order
--      (Athena runs one statement per query: paste them one at a time, or
--      split on ';' and call `aws athena start-query-execution` for each).
--   4. Run any file of this folder; each is one SELECT.
--   Changing the days: edit vpcflow_days and run its statement again; the
--   other views read it and need no change.
--
-- FIELDS. The views name the v5 fields (tcp_flags, pkt_srcaddr,
-- pkt_dstaddr, pkt_src_aws_service, pkt_dst_aws_service,
-- flow_direction), so the table must have them (vpcflow_athena_ddl() over
-- v5 files gives them). For a v2 table replace those six columns where
-- vpcflow_days reads them (inside NULLIF(x, '-'), and tcp_flags; not the
-- names after AS) by CAST(NULL AS integer) (tcp_flags) and
-- CAST(NULL AS varchar) (the five others): the local detections treat a
-- v2 file the same way (prepare.sql's superset columns are NULL).
-- tests/athena/views_diff.sh runs exactly that replacement on v2 logs.
--
-- HOW IT DIFFERS FROM THE LOCAL VERSION
-- * Locally the flags are computed in C (ext/norm.c) and materialised
--   once (TEMP tables). Here they are views: Athena inlines them into
--   every detection, so each detection re-reads the days and runs the
--   self-joins again (cost: several scans of the data per detection). To
--   pay once, materialise flows_t with CTAS
--   (CREATE TABLE flows_t_mat WITH (format = 'PARQUET') AS SELECT * FROM
--   flows_t) and point att_port, pair and the detections at it.
-- * The definitions are those of the reference SQL that norm.c replaced
--   (tests/hunt/prepare_reference.sql), its window EXISTS tests written as
--   self-joins on the conversation key plus a range on start:
--   dir (flow-direction, else the ENI's most frequent address; ties: the
--   smallest address), NAT translators (>= 3 matches within 5 s on
--   another interface), "skip" (1 = NAT copy, 2 = egress copy of a flow the
--   receiving ENI also logged, within 60 s), resp (SYN-ACK, else ports),
--   answered (a reverse record within 120 s), conn_start (SYN without
--   ACK, else no same-direction record in the previous 120 s).
-- * Approximations: is_private() is written with contains() over
--   IPADDRESS (RFC 1918, 100.64.0.0/10, fc00::/7); it does not class a
--   NAT64 address (64:ff9b::a.b.c.d) by the IPv4 address it carries as
--   the local function does, and an unparsable address gives NULL (not
--   private) instead of an error. '-' (a field the record lacks) is read
--   by Athena as the text '-' in string columns: every string column is
--   NULLIF(x, '-') here (the local reader gives NULL).
-- * Only the days in vpcflow_days are seen: a connection whose reply or
--   ingress copy falls on the next day (just after midnight) is judged
--   without it, as locally when only one day's files are read.
-- * The baseline cut of vpcflow_span uses baseline_fraction 0.5 (the
--   local tunable's default), written as a literal.
--
-- NOT CHECKED HERE: none of these views has run on Athena. The offline
-- check (make athena-check, tests/athena/) parses them with Trino's
-- grammar and checks their table, column and function names.

CREATE OR REPLACE VIEW vpcflow_days AS
WITH r AS (
  SELECT NULLIF(interface_id, '-') AS interface_id,
         NULLIF(srcaddr, '-') AS srcaddr, NULLIF(dstaddr, '-') AS dstaddr,
         NULLIF(pkt_srcaddr, '-') AS pkt_srcaddr, NULLIF(pkt_dstaddr, '-') AS pkt_dstaddr,
         srcport, dstport, protocol, packets, bytes, start, "end",
         upper(NULLIF(action, '-')) AS action,
         upper(COALESCE(NULLIF(log_status, '-'), 'OK')) AS log_status,
         tcp_flags AS tcp_flags,                     -- v2: CAST(NULL AS integer) AS tcp_flags
         NULLIF(pkt_src_aws_service, '-') AS src_service,
         NULLIF(pkt_dst_aws_service, '-') AS dst_service,
         lower(NULLIF(flow_direction, '-')) AS dir0,
         dt
    FROM vpc_flow_logs
   WHERE dt BETWEEN '2026/02/13' AND '2026/02/13'      -- the days to analyse
),
a AS (
  SELECT r.*, COALESCE(pkt_srcaddr, srcaddr) AS src, COALESCE(pkt_dstaddr, dstaddr) AS dst,
         TRY_CAST(COALESCE(pkt_srcaddr, srcaddr) AS IPADDRESS) AS src_ip,
         TRY_CAST(COALESCE(pkt_dstaddr, dstaddr) AS IPADDRESS) AS dst_ip,
         TRY_CAST(dstaddr AS IPADDRESS) AS dstaddr_ip
    FROM r
)
SELECT interface_id, srcaddr, dstaddr, src, dst, srcport, dstport, protocol, packets, bytes,
       start, "end", action, log_status, tcp_flags, src_service, dst_service, dir0, dt,
       -- is_private(): RFC 1918, 100.64.0.0/10 (CGNAT), fc00::/7
       CASE WHEN src_ip IS NULL THEN 0
            WHEN contains('10.0.0.0/8', src_ip) OR contains('172.16.0.0/12', src_ip)
              OR contains('192.168.0.0/16', src_ip) OR contains('100.64.0.0/10', src_ip)
              OR contains('fc00::/7', src_ip) THEN 1 ELSE 0 END AS src_private,
       CASE WHEN dst_ip IS NULL THEN 0
            WHEN contains('10.0.0.0/8', dst_ip) OR contains('172.16.0.0/12', dst_ip)
              OR contains('192.168.0.0/16', dst_ip) OR contains('100.64.0.0/10', dst_ip)
              OR contains('fc00::/7', dst_ip) THEN 1 ELSE 0 END AS dst_private,
       CASE WHEN dstaddr_ip IS NULL THEN 0
            WHEN contains('10.0.0.0/8', dstaddr_ip) OR contains('172.16.0.0/12', dstaddr_ip)
              OR contains('192.168.0.0/16', dstaddr_ip) OR contains('100.64.0.0/10', dstaddr_ip)
              OR contains('fc00::/7', dstaddr_ip) THEN 1 ELSE 0 END AS dstaddr_private
  FROM a;

-- Each ENI's own address, for records without flow-direction: its most
-- frequent address (ties: the smallest).
CREATE OR REPLACE VIEW vpcflow_eni AS
WITH a AS (
  SELECT interface_id, srcaddr AS addr FROM vpcflow_days WHERE dir0 IS NULL AND log_status = 'OK'
  UNION ALL
  SELECT interface_id, dstaddr FROM vpcflow_days WHERE dir0 IS NULL AND log_status = 'OK'),
c AS (SELECT interface_id, addr, count(*) AS n FROM a
       WHERE interface_id IS NOT NULL AND addr IS NOT NULL GROUP BY interface_id, addr),
k AS (SELECT c.*, row_number() OVER (PARTITION BY interface_id ORDER BY n DESC, addr) AS rk FROM c)
SELECT interface_id, addr, n FROM k WHERE rk = 1;

-- NAT translators: the NAT ENI logs the instance's packet (instance ->
-- NAT address, the instance's source port) within 5 s of the instance's
-- ENI logging instance -> internet; >= 3 such matches (nat_min_matches).
CREATE OR REPLACE VIEW vpcflow_translator AS
SELECT a.dstaddr AS addr, count(*) AS matches
  FROM vpcflow_days AS a
  JOIN vpcflow_days AS b
    ON b.srcaddr = a.srcaddr AND b.srcport = a.srcport
   AND b.dstport = a.dstport AND b.protocol = a.protocol
   AND b.start BETWEEN a.start - 5 AND a.start + 5
 WHERE a.log_status = 'OK' AND a.dstaddr_private = 1 AND b.dstaddr_private = 0
   AND b.interface_id IS DISTINCT FROM a.interface_id
 GROUP BY a.dstaddr
HAVING count(*) >= 3;

-- Every record with its flags (the local flows_n, the columns detections use).
-- Each window test of the reference (EXISTS over a 60 s / 120 s window of
-- the same conversation) is a self-join on the conversation's key plus a
-- range on start, giving the DISTINCT keys that pass; the records are then
-- LEFT JOINed to those keys. Equi-joins (hashable) instead of correlated
-- subqueries; the ports and protocol enter the keys as coalesce(x, -1),
-- which no real value takes, so NULL matches NULL as the reference's IS.
CREATE OR REPLACE VIEW flows_n AS
WITH d AS (
  SELECT v.*,
         COALESCE(v.dir0, CASE WHEN v.srcaddr = e.addr THEN 'egress'
                               WHEN v.dstaddr = e.addr THEN 'ingress' END) AS dir,
         CASE WHEN v.srcaddr IN (SELECT addr FROM vpcflow_translator)
                OR v.dstaddr IN (SELECT addr FROM vpcflow_translator) THEN 1 ELSE 0 END AS skip_nat,
         coalesce(v.srcport, -1) AS sp, coalesce(v.dstport, -1) AS dp, coalesce(v.protocol, -1) AS pr
    FROM vpcflow_days AS v
    LEFT JOIN vpcflow_eni AS e ON e.interface_id = v.interface_id),
-- skip 2: an egress copy of a flow that another interface logged as
-- ingress within 60 s (the ingress copy holds the receiver's decision)
eg AS (
  SELECT DISTINCT e.src, e.dst, e.sp, e.dp, e.pr, e.start, coalesce(e.interface_id, '-') AS eni
    FROM d AS e JOIN d AS i
      ON i.src = e.src AND i.dst = e.dst AND i.sp = e.sp AND i.dp = e.dp AND i.pr = e.pr
   WHERE e.log_status = 'OK' AND e.dir = 'egress' AND e.skip_nat = 0
     AND i.dir = 'ingress' AND i.skip_nat = 0
     AND i.start BETWEEN e.start - 60 AND e.start + 60
     AND i.interface_id IS DISTINCT FROM e.interface_id),
s AS (
  SELECT d.*,
         CASE WHEN d.skip_nat = 1 THEN 1 WHEN eg.src IS NOT NULL THEN 2 ELSE 0 END AS "skip"
    FROM d LEFT JOIN eg
      ON eg.src = d.src AND eg.dst = d.dst AND eg.sp = d.sp AND eg.dp = d.dp AND eg.pr = d.pr
     AND eg.start = d.start AND eg.eni = coalesce(d.interface_id, '-')),
r AS (
  SELECT s.*,
         CASE WHEN log_status <> 'OK' OR "skip" <> 0 THEN 0
              WHEN protocol = 6 AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 18 THEN 1
              WHEN protocol = 6 AND tcp_flags IS NOT NULL AND bitwise_and(tcp_flags, 18) = 2 THEN 0
              WHEN srcport < 1024 AND dstport >= 1024 THEN 1
              WHEN srcport < 32768 AND dstport >= 32768 THEN 1
              ELSE 0 END AS resp
    FROM s),
-- the conversations' keys of the records that count (OK, not skipped)
k AS (SELECT DISTINCT src, dst, sp, dp, pr, start FROM r WHERE "skip" = 0 AND log_status = 'OK'),
-- answered: a reverse record within 120 s
ans AS (
  SELECT DISTINCT o.src, o.dst, o.sp, o.dp, o.pr, o.start
    FROM k AS o JOIN k AS b
      ON b.src = o.dst AND b.dst = o.src AND b.sp = o.dp AND b.dp = o.sp AND b.pr = o.pr
   WHERE b.start BETWEEN o.start - 120 AND o.start + 120),
-- not a connection start (without tcp-flags): a record of the same
-- 5-tuple in the previous 120 s
cont AS (
  SELECT DISTINCT o.src, o.dst, o.sp, o.dp, o.pr, o.start
    FROM k AS o JOIN k AS p
      ON p.src = o.src AND p.dst = o.dst AND p.sp = o.sp AND p.dp = o.dp AND p.pr = o.pr
   WHERE p.start BETWEEN o.start - 120 AND o.start - 1)
SELECT r.interface_id, r.srcaddr, r.dstaddr, r.src, r.dst, r.srcport, r.dstport, r.protocol,
       r.packets, r.bytes, r.start, r."end", r.action, r.log_status, r.tcp_flags,
       r.src_service, r.dst_service, r.dir, r.src_private, r.dst_private, r."skip", r.resp, r.dt,
       CASE WHEN r.log_status = 'OK' AND r."skip" = 0 AND r.resp = 0 AND a.src IS NOT NULL
            THEN 1 ELSE 0 END AS answered,
       CASE WHEN r.log_status <> 'OK' OR r."skip" <> 0 OR r.resp <> 0 THEN 0
            WHEN r.protocol = 6 AND r.tcp_flags IS NOT NULL
              THEN CASE WHEN bitwise_and(r.tcp_flags, 18) = 2 THEN 1 ELSE 0 END
            WHEN c.src IS NOT NULL THEN 0
            ELSE 1 END AS conn_start
  FROM r
  LEFT JOIN ans AS a
    ON a.src = r.src AND a.dst = r.dst AND a.sp = r.sp AND a.dp = r.dp AND a.pr = r.pr AND a.start = r.start
  LEFT JOIN cont AS c
    ON c.src = r.src AND c.dst = r.dst AND c.sp = r.sp AND c.dp = r.dp AND c.pr = r.pr AND c.start = r.start;

-- The rows every traffic detection reads (sql/summaries.sql's flows_t;
-- its log_file/log_line, which name the local file and line, have no
-- Athena counterpart but "$path").
CREATE OR REPLACE VIEW flows_t AS
SELECT resp, src_private, dst_private, protocol, action, conn_start, answered, dstport, srcport,
       src, dst, start, "end", packets, bytes, tcp_flags, dst_service, src_service, interface_id
  FROM flows_n WHERE log_status = 'OK' AND "skip" = 0;

-- Connection attempts per (src, dst, protocol, dstport, dst_service).
CREATE OR REPLACE VIEW att_port AS
SELECT src, dst, protocol, dstport, dst_service,
       count(*) AS n, count(action) AS n_action,
       sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
       sum(CASE WHEN action = 'ACCEPT' THEN 1 ELSE 0 END) AS accepted,
       count(CASE WHEN action = 'REJECT' OR answered = 0 THEN 1
                  WHEN NOT (action = 'REJECT' OR answered = 0) THEN 0 END) AS n_failed,
       sum(CASE WHEN action = 'REJECT' OR answered = 0 THEN 1 ELSE 0 END) AS failed,
       sum(answered) AS answered, max(answered) AS answered_max,
       sum(CASE WHEN action = 'ACCEPT' AND answered = 1 THEN 1 ELSE 0 END) AS acc_answered,
       sum(conn_start) AS conns, min(start) AS t0, max(start) AS t1,
       max(src_private) AS src_private, max(dst_private) AS dst_private
  FROM flows_t
 WHERE resp = 0
 GROUP BY src, dst, protocol, dstport, dst_service;

-- Records with a public side, per (src, dst, src_service, dst_service).
CREATE OR REPLACE VIEW pair AS
SELECT src, dst, src_service, dst_service, count(*) AS n, sum(bytes) AS bytes,
       sum(packets) AS packets, min(start) AS t0, max("end") AS t1,
       max(src_private) AS src_private, max(dst_private) AS dst_private
  FROM flows_t
 WHERE NOT (src_private = 1 AND dst_private = 1)
 GROUP BY src, dst, src_service, dst_service;

-- The time span and the baseline cut (baseline_fraction 0.5).
CREATE OR REPLACE VIEW vpcflow_span AS
SELECT t0, t1, CAST(floor(t0 + (t1 - t0) * 0.5e0) AS bigint) AS cut
  FROM (SELECT min(start) AS t0, max("end") AS t1 FROM flows_n WHERE log_status = 'OK');

-- protocol_name(): the IANA keywords ext/func_net.c knows.
CREATE OR REPLACE VIEW vpcflow_protocol AS
SELECT protocol, name FROM (VALUES
  (0, 'HOPOPT'), (1, 'ICMP'), (2, 'IGMP'), (4, 'IPv4'), (6, 'TCP'), (8, 'EGP'),
  (17, 'UDP'), (27, 'RDP'), (33, 'DCCP'), (41, 'IPv6'), (43, 'IPv6-Route'),
  (44, 'IPv6-Frag'), (46, 'RSVP'), (47, 'GRE'), (50, 'ESP'), (51, 'AH'),
  (58, 'IPv6-ICMP'), (59, 'IPv6-NoNxt'), (60, 'IPv6-Opts'), (88, 'EIGRP'),
  (89, 'OSPFIGP'), (94, 'IPIP'), (103, 'PIM'), (112, 'VRRP'), (115, 'L2TP'),
  (132, 'SCTP'), (136, 'UDPLite'), (137, 'MPLS-in-IP')) AS p (protocol, name);
