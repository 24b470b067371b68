-- investigate/peers.sql - who one address talked to, on which ports, how much.
--
-- Usage (from the repository root; or vpcflow-hunt --peers ADDR DIR):
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.parameter set @ip 10.0.2.30' < sql/investigate/peers.sql
--
-- @ip: an address, or an interface id (eni-...) for its own address
-- (investigate/target.sql). An address not in the logs is said, and the
-- exit status is 1. Optional: .parameter set @limit 200 (default 50).
--
-- One row per peer: bytes each way, PCR (1 = we only send, -1 = we only
-- receive), ports used (server ports: the port of whoever answered; the
-- first 8, then how many in all), refused share, first and last time.
-- Biggest transfers first. When there are more peers than @limit, a last
-- line says how many were left out and how to see them.

-- Stops at the first error with its message (exit status 1), and says so
-- when `flows` or @ip is missing (need_flows.sql).
.read sql/investigate/need_flows.sql
.read sql/prepare.sql
.read sql/investigate/target.sql

DROP TABLE IF EXISTS temp.vpcflow_peers;
CREATE TEMP TABLE vpcflow_peers AS
WITH me AS (SELECT ip FROM vpcflow_target),
t AS (
  SELECT CASE WHEN src = me.ip THEN dst ELSE src END AS peer,
         CASE WHEN src = me.ip THEN bytes ELSE 0 END AS b_out,
         CASE WHEN dst = me.ip THEN bytes ELSE 0 END AS b_in,
         CASE WHEN resp = 0 THEN dstport ELSE srcport END AS port,
         protocol, action, start, resp, src = me.ip AS mine
    FROM traffic, me WHERE src = me.ip OR dst = me.ip),
p AS (SELECT DISTINCT peer, protocol, port, protocol_name(protocol) || '/' || port AS p FROM t)
SELECT peer, ip_class(peer) AS class, sum(b_out) AS bytes_out, sum(b_in) AS bytes_in,
       round(pcr(sum(b_out), sum(b_in)), 2) AS pcr,
       (SELECT group_concat(p, ',') FROM (SELECT p FROM p WHERE p.peer = t.peer ORDER BY protocol, port LIMIT 8))
       || CASE WHEN (SELECT count(*) FROM p WHERE p.peer = t.peer) > 8
               THEN ' (' || (SELECT count(*) FROM p WHERE p.peer = t.peer) || ' in all)' ELSE '' END AS ports,
       sum(resp = 0 AND mine) AS opened_by_us, sum(resp = 0 AND NOT mine) AS opened_by_peer,
       round(avg(action = 'REJECT'), 2) AS rejected,
       strftime('%Y-%m-%d %H:%M', min(start), 'unixepoch') AS first_seen,
       strftime('%Y-%m-%d %H:%M', max(start), 'unixepoch') AS last_seen
  FROM t GROUP BY peer;
SELECT * FROM vpcflow_peers ORDER BY bytes_out + bytes_in DESC, peer LIMIT coalesce(@limit, 50);
SELECT printf('%d of %d peers not shown (the smallest transfers): .parameter set @limit %d',
              n - coalesce(@limit, 50), n, n) AS "cut"
  FROM (SELECT count(*) AS n FROM vpcflow_peers) WHERE n > coalesce(@limit, 50);
