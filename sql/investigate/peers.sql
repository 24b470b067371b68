-- investigate/peers.sql - who one address talked to, on which ports, how much.
--
-- Usage (from the repository root):
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.parameter set @ip 10.0.2.30' < sql/investigate/peers.sql
--
-- One row per peer: bytes each way, PCR (1 = we only send, -1 = we only
-- receive), ports used (server ports: the port of whoever answered),
-- refused share, first and last time. Biggest senders first.

-- Stops at the first error with its message (exit status 1), and says so
-- when `flows` or @ip is missing (need_flows.sql).
.read sql/investigate/need_flows.sql
.read sql/prepare.sql

WITH t AS (
  SELECT CASE WHEN src = @ip THEN dst ELSE src END AS peer,
         CASE WHEN src = @ip THEN bytes ELSE 0 END AS b_out,
         CASE WHEN dst = @ip THEN bytes ELSE 0 END AS b_in,
         CASE WHEN resp = 0 THEN dstport ELSE srcport END AS port,
         protocol, action, start, resp, src = @ip AS mine
    FROM traffic WHERE src = @ip OR dst = @ip)
SELECT peer, ip_class(peer) AS class, sum(b_out) AS bytes_out, sum(b_in) AS bytes_in,
       round(pcr(sum(b_out), sum(b_in)), 2) AS pcr,
       (SELECT group_concat(p, ',') FROM (SELECT DISTINCT protocol_name(t2.protocol) || '/' || t2.port AS p
                                             FROM t AS t2 WHERE t2.peer = t.peer LIMIT 8)) AS ports,
       sum(resp = 0 AND mine) AS opened_by_us, sum(resp = 0 AND NOT mine) AS opened_by_peer,
       round(avg(action = 'REJECT'), 2) AS rejected,
       strftime('%Y-%m-%d %H:%M', min(start), 'unixepoch') AS first_seen,
       strftime('%Y-%m-%d %H:%M', max(start), 'unixepoch') AS last_seen
  FROM t GROUP BY peer
 ORDER BY bytes_out + bytes_in DESC
 LIMIT coalesce(@limit, 50);
