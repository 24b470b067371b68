-- investigate/timeline.sql - what one address did, summarised, then in time order.
--
-- Usage (from the repository root; or vpcflow-hunt --investigate ADDR DIR):
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.parameter set @ip 10.0.1.15' < sql/investigate/timeline.sql
--
-- @ip: an address, or an interface id (eni-...) for its own address
-- (investigate/target.sql). An address not in the logs is said, and the
-- exit status is 1. Optional: .parameter set @limit 200 (default 100
-- timeline rows).
--
-- Four tables, the summary before the list:
--   1. the address: its interfaces, first and last record, records,
--      bytes each way, peers, and how many of them are new (first seen
--      after the baseline cut of sql/prepare.sql: the first half of the
--      logs' time span by default)
--   2. the 5 largest transfers (peer, port, direction), always shown
--   3. the new peers, largest first (up to 10; a last line says how many
--      more there are)
--   4. the timeline: one row per direction, peer and protocol at the time
--      it first happened, its ports folded ("1032 ports: 21, 22, 23, ...":
--      a scan of a thousand ports is one row), records, refused, bytes.
--      At most @limit rows; a last line says how many were left out and
--      how to see them.

-- Stops at the first error with its message (exit status 1), and says so
-- when `flows` or @ip is missing (need_flows.sql).
.read sql/investigate/need_flows.sql
.read sql/prepare.sql
.read sql/investigate/target.sql

-- the address's records, each once (one scan of traffic)
DROP TABLE IF EXISTS temp.vpcflow_tl;
CREATE TEMP TABLE vpcflow_tl AS
SELECT CASE WHEN src = me.ip THEN 'out' ELSE 'in' END AS dir,
       CASE WHEN src = me.ip THEN dst ELSE src END AS peer,
       CASE WHEN resp = 0 THEN dstport ELSE srcport END AS port,
       protocol, action, resp, start, bytes, interface_id
  FROM traffic, (SELECT ip FROM vpcflow_target) AS me
 WHERE src = me.ip OR dst = me.ip;
DROP TABLE IF EXISTS temp.vpcflow_tl_peer;
CREATE TEMP TABLE vpcflow_tl_peer AS
SELECT peer, min(start) AS first, sum(bytes) AS bytes,
       min(start) >= (SELECT cut FROM vpcflow_span) AS new
  FROM vpcflow_tl GROUP BY peer;

-- its own interfaces: those that logged it on its side (egress records it
-- sent, ingress records it received), or that v2 logs gave it
DROP TABLE IF EXISTS temp.vpcflow_tl_eni;
CREATE TEMP TABLE vpcflow_tl_eni AS
SELECT DISTINCT interface_id AS i FROM flows_n, (SELECT ip FROM vpcflow_target) AS me
 WHERE interface_id IS NOT NULL AND log_status = 'OK'
   AND ((src = me.ip AND dir = 'egress') OR (dst = me.ip AND dir = 'ingress'))
UNION
SELECT interface_id FROM vpcflow_eni WHERE addr = (SELECT ip FROM vpcflow_target);

-- 1. the address
SELECT (SELECT ip FROM vpcflow_target)
       || coalesce(' (asked: ' || (SELECT eni FROM vpcflow_target) || ')', '') AS address,
       (SELECT group_concat(i, ',') FROM (SELECT i FROM vpcflow_tl_eni ORDER BY i LIMIT 3))
       || CASE WHEN (SELECT count(*) FROM vpcflow_tl_eni) > 3
               THEN ' (' || (SELECT count(*) FROM vpcflow_tl_eni) || ' in all)' ELSE '' END AS interfaces,
       strftime('%Y-%m-%d %H:%M:%S', min(start), 'unixepoch') AS first_seen,
       strftime('%Y-%m-%d %H:%M:%S', max(start), 'unixepoch') AS last_seen,
       count(*) AS records, sum(CASE WHEN dir = 'out' THEN bytes ELSE 0 END) AS bytes_out,
       sum(CASE WHEN dir = 'in' THEN bytes ELSE 0 END) AS bytes_in,
       (SELECT count(*) FROM vpcflow_tl_peer) AS peers,
       (SELECT count(*) FROM vpcflow_tl_peer WHERE new) || ' after '
       || (SELECT strftime('%Y-%m-%d %H:%M', cut, 'unixepoch') FROM vpcflow_span) AS new_peers
  FROM vpcflow_tl;

-- 2. the largest transfers
SELECT dir AS direction, peer, protocol_name(protocol) AS proto, port, sum(bytes) AS bytes,
       count(*) AS records,
       strftime('%Y-%m-%d %H:%M', min(start), 'unixepoch') AS first_seen,
       strftime('%H:%M', max(start), 'unixepoch') AS last_seen
  FROM vpcflow_tl GROUP BY dir, peer, protocol, port
 ORDER BY sum(bytes) DESC, peer, port LIMIT 5;

-- 3. the new peers
SELECT p.peer AS new_peer, ip_class(p.peer) AS class, p.bytes,
       strftime('%Y-%m-%d %H:%M:%S', p.first, 'unixepoch') AS first_seen,
       (SELECT group_concat(DISTINCT t.dir) FROM vpcflow_tl AS t WHERE t.peer = p.peer) AS direction
  FROM vpcflow_tl_peer AS p WHERE p.new
 ORDER BY p.bytes DESC, p.peer LIMIT 10;
SELECT printf('%d more new peers not shown: SELECT * FROM vpcflow_tl_peer WHERE new ORDER BY bytes DESC', n - 10) AS "cut"
  FROM (SELECT count(*) AS n FROM vpcflow_tl_peer WHERE new) WHERE n > 10;

-- 4. the timeline, ports folded per direction, peer and protocol
DROP TABLE IF EXISTS temp.vpcflow_tl_rows;
CREATE TEMP TABLE vpcflow_tl_rows AS
WITH g AS (
  SELECT dir, peer, protocol, min(start) AS first, max(start) AS last, max(resp) AS any_reply,
         count(*) AS records, sum(action = 'REJECT') AS rejected, sum(bytes) AS bytes,
         count(DISTINCT port) AS nports
    FROM vpcflow_tl GROUP BY dir, peer, protocol)
SELECT strftime('%Y-%m-%d %H:%M:%S', first, 'unixepoch') AS first_seen,
       strftime('%H:%M:%S', last, 'unixepoch') AS last_seen,
       CASE WHEN any_reply = 0 THEN dir || ' (opened by ' || CASE dir WHEN 'out' THEN 'us' ELSE 'peer' END || ')'
            ELSE dir END AS direction,
       peer, ip_class(peer) AS class, protocol_name(protocol) AS proto,
       CASE WHEN nports = 1 THEN (SELECT min(port) FROM vpcflow_tl AS t
                                   WHERE t.dir = g.dir AND t.peer = g.peer AND t.protocol = g.protocol) || ''
            ELSE nports || ' ports: '
                 || (SELECT group_concat(port, ', ') FROM (SELECT DISTINCT port FROM vpcflow_tl AS t
                      WHERE t.dir = g.dir AND t.peer = g.peer AND t.protocol = g.protocol ORDER BY port LIMIT 5))
                 || CASE WHEN nports > 5 THEN ', ...' ELSE '' END END AS ports,
       records, rejected, bytes, first AS t
  FROM g;
SELECT first_seen, last_seen, direction, peer, class, proto, ports, records, rejected, bytes
  FROM vpcflow_tl_rows ORDER BY t, peer, proto, direction LIMIT coalesce(@limit, 100);
SELECT printf('%d of %d timeline rows not shown (the latest): .parameter set @limit %d', n - coalesce(@limit, 100), n, n) AS "cut"
  FROM (SELECT count(*) AS n FROM vpcflow_tl_rows) WHERE n > coalesce(@limit, 100);
