-- investigate/hourly.sql - one address's bytes per hour, with bars and a sparkline.
--
-- Usage (from the repository root):
--   sqlite3 -box :memory: -cmd '.load ./vpcflow' \
--     -cmd "CREATE VIRTUAL TABLE temp.flows USING vpcflow('AWSLogs/')" \
--     -cmd '.parameter set @ip 10.0.2.30' < sql/investigate/hourly.sql
--
-- First a one-line summary per direction with a sparkline over the whole
-- time range (one character per hour), then one row per hour with a bar.

-- Stops at the first error with its message (exit status 1), and says so
-- when `flows` or @ip is missing (need_flows.sql).
.read sql/investigate/need_flows.sql
.read sql/prepare.sql

WITH h AS (
  SELECT start / 3600 AS hr, sum(CASE WHEN src = @ip THEN bytes ELSE 0 END) AS b_out,
         sum(CASE WHEN dst = @ip THEN bytes ELSE 0 END) AS b_in,
         sum(action = 'REJECT') AS rejected
    FROM traffic WHERE src = @ip OR dst = @ip GROUP BY hr)
SELECT 'out' AS direction, sum(b_out) AS bytes, sparkline(hr, b_out) AS per_hour FROM h
UNION ALL
SELECT 'in', sum(b_in), sparkline(hr, b_in) FROM h
UNION ALL
SELECT 'rejected records', sum(rejected), sparkline(hr, rejected) FROM h;

WITH h AS (
  SELECT start / 3600 AS hr, sum(CASE WHEN src = @ip THEN bytes ELSE 0 END) AS b_out,
         sum(CASE WHEN dst = @ip THEN bytes ELSE 0 END) AS b_in
    FROM traffic WHERE src = @ip OR dst = @ip GROUP BY hr)
SELECT strftime('%Y-%m-%d %H:00', hr * 3600, 'unixepoch') AS hour, b_out AS bytes_out, b_in AS bytes_in,
       bar(b_out + b_in, 0, max(max(b_out + b_in) OVER (), 1), 40) AS volume
  FROM h ORDER BY hr;
