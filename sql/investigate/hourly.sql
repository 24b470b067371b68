-- investigate/hourly.sql - one address's bytes per hour, with bars and a sparkline.
--
-- Usage (from the repository root; or vpcflow-hunt --hourly ADDR DIR):
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.parameter set @ip 10.0.2.30' < sql/investigate/hourly.sql
--
-- @ip: an address, or an interface id (eni-...) for its own address
-- (investigate/target.sql). An address not in the logs is said, and the
-- exit status is 1.
--
-- First a one-line summary per direction with a sparkline over the whole
-- time range (one character per hour), then one row per hour with traffic
-- with a bar (hours without any are left out: the sparkline shows them).

-- Stops at the first error with its message (exit status 1), and says so
-- when `flows` or @ip is missing (need_flows.sql).
.read sql/investigate/need_flows.sql
.read sql/prepare.sql
.read sql/investigate/target.sql

DROP TABLE IF EXISTS temp.vpcflow_hourly;
CREATE TEMP TABLE vpcflow_hourly AS
  SELECT start / 3600 AS hr, sum(CASE WHEN src = me.ip THEN bytes ELSE 0 END) AS b_out,
         sum(CASE WHEN dst = me.ip THEN bytes ELSE 0 END) AS b_in,
         sum(action = 'REJECT') AS rejected
    FROM traffic, (SELECT ip FROM vpcflow_target) AS me
   WHERE src = me.ip OR dst = me.ip GROUP BY hr;
SELECT 'out' AS direction, sum(b_out) AS bytes, sparkline(hr, b_out) AS per_hour FROM vpcflow_hourly
UNION ALL
SELECT 'in', sum(b_in), sparkline(hr, b_in) FROM vpcflow_hourly
UNION ALL
SELECT 'rejected records', sum(rejected), sparkline(hr, rejected) FROM vpcflow_hourly;

SELECT strftime('%Y-%m-%d %H:00', hr * 3600, 'unixepoch') AS hour, b_out AS bytes_out, b_in AS bytes_in,
       bar(b_out + b_in, 0, max(max(b_out + b_in) OVER (), 1), 40) AS volume
  FROM vpcflow_hourly ORDER BY hr;
