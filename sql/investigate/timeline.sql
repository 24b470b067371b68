-- investigate/timeline.sql - first contacts of one address, in time order.
--
-- Usage (from the repository root):
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.parameter set @ip 10.0.1.15' < sql/investigate/timeline.sql
--
-- One row per (peer, port, direction) the address took part in, at the
-- time it first happened: what the host started doing, and when. @ip may
-- also be an interface id (eni-...): then its own address is used.
-- Optional: .parameter set @limit 200 (default 100).

-- Stops at the first error with its message (exit status 1), and says so
-- when `flows` or @ip is missing (need_flows.sql).
.read sql/investigate/need_flows.sql
.read sql/prepare.sql

WITH
me AS (SELECT coalesce((SELECT addr FROM vpcflow_eni WHERE interface_id = @ip),
                       (SELECT src FROM flows_n WHERE interface_id = @ip AND dir = 'egress' LIMIT 1),
                       @ip) AS ip),
t AS (SELECT CASE WHEN src = (SELECT ip FROM me) THEN 'out' ELSE 'in' END AS dir,
             CASE WHEN src = (SELECT ip FROM me) THEN dst ELSE src END AS peer,
             CASE WHEN resp = 0 THEN dstport ELSE srcport END AS port, protocol, action, resp,
             start, bytes
        FROM traffic WHERE src = (SELECT ip FROM me) OR dst = (SELECT ip FROM me))
SELECT strftime('%Y-%m-%d %H:%M:%S', min(start), 'unixepoch') AS first_seen,
       strftime('%H:%M:%S', max(start), 'unixepoch') AS last_seen,
       CASE WHEN max(resp) = 0 THEN dir || ' (opened by ' || CASE dir WHEN 'out' THEN 'us' ELSE 'peer' END || ')'
            ELSE dir END AS direction,
       peer, ip_class(peer) AS class, protocol_name(protocol) AS proto, port,
       count(*) AS records, sum(action = 'REJECT') AS rejected, sum(bytes) AS bytes
  FROM t
 GROUP BY dir, peer, port, protocol
 ORDER BY min(start)
 LIMIT coalesce(@limit, 100);
