-- summaries.sql - summary tables that the detections read instead of the
-- raw rows of `traffic`, built once per analysis.
--
-- Usage: every detection reads it after sql/prepare.sql (reading it again
-- is a no-op), so each detection still runs alone:
--
--   .read sql/prepare.sql
--   .read sql/summaries.sql
--
-- To analyse another table in the same session, do what prepare.sql says
-- (DROP TABLE temp.vpcflow_day; DELETE FROM temp.vpcflow_state): without
-- the 'summarised' key in vpcflow_state the next read empties and refills
-- every table here.
--
-- HOW IT WORKS
--
-- A day of 10 M records cannot be scanned and sorted once per detection.
-- So the groupings several detections share are computed here once, in C
-- from the day sql/prepare.sql keeps in memory (ext/day.c), and a
-- detection goes back to raw rows only for the few candidates its summary
-- gate leaves (one filtered walk of flows_t, with an IN list of the
-- candidates, never a per-row correlated subquery).
--
-- Each table is filled FROM (one row while 'summarised' is absent, else
-- none) CROSS JOIN the source: CROSS JOIN keeps that row as the outer loop,
-- so a second read of this file computes nothing.
--
-- Every summary keeps SUMS and COUNTS, never averages or rounded values, and
-- groups by the exact text of the addresses: a detection that derives an
-- average from them gets the very double that avg() over the raw rows gave
-- (SQLite's avg() divides a double sum of the integers by the count; sums
-- of integers below 2^53 are exact), and addr_breadth()/port_breadth() over
-- the distinct values of a summary equal those over the raw rows. For each
-- averaged flag the count of non-NULL values is kept too (avg() skips
-- NULLs).
--
--   flows_t    a VIEW of vpcflow_traffic: the rows of `traffic` (OK records,
--              each flow once) with the 18 columns the detections read, and
--              interface_id, log_file and log_line, from memory, in the
--              order of `flows` (which group_concat and LIMIT 1 in some
--              detections depend on). Its constant tests (resp = 0,
--              protocol IN (6, 17), src_private = 1, action = 'ACCEPT',
--              dstport IS NOT NULL, ...) are applied in C before SQLite
--              sees a row, so write private-address tests as = 1 / = 0
--              (a bare `src_private` is not passed to a virtual table).
--   att_port   connection attempts (resp = 0), one row per (src, dst,
--              protocol, dstport, dst_service): records, REJECTs, failures
--              in TRW's sense (REJECT or unanswered), answered, connection
--              starts, first and last start. Realistic days fold ~30
--              attempts into a row (real6: 300 k -> 9 k); random addresses
--              do not fold, but the table is narrow and sorted once instead
--              of once per detection.
--              Read by port_scan, port_sweep, exposed_service,
--              lateral_movement, unusual_port, trust_boundary.
--   pair       all records with a public side (NOT (src_private AND
--              dst_private)), one row per (src, dst, src_service,
--              dst_service): records, bytes, packets, first start, last end.
--              Read by exfiltration, new_destination, threat_list_match.

CREATE TEMP VIEW IF NOT EXISTS flows_t AS SELECT * FROM vpcflow_traffic;

CREATE TEMP TABLE IF NOT EXISTS att_port(
  src TEXT, dst TEXT, protocol INTEGER, dstport INTEGER, dst_service TEXT,
  n INTEGER,          -- records
  n_action INTEGER,   -- records with an action (avg(action = ...) counts these)
  rejected INTEGER,   -- action = 'REJECT'
  accepted INTEGER,   -- action = 'ACCEPT'
  n_failed INTEGER,   -- records where (action = 'REJECT' OR answered = 0) is not NULL
  failed INTEGER,     -- action = 'REJECT' OR answered = 0
  answered INTEGER,   -- sum(answered)
  answered_max INTEGER, -- max(answered)
  acc_answered INTEGER, -- action = 'ACCEPT' AND answered = 1
  conns INTEGER,      -- sum(conn_start)
  t0 INTEGER, t1 INTEGER, -- min(start), max(start)
  src_private INTEGER, dst_private INTEGER);

-- From the day in memory (ext/day.c): the rows, values and order of
--   SELECT src, dst, protocol, dstport, dst_service,
--          count(*), count(action), sum(action = 'REJECT'), sum(action = 'ACCEPT'),
--          count(action = 'REJECT' OR answered = 0), sum(action = 'REJECT' OR answered = 0),
--          sum(answered), max(answered), sum(action = 'ACCEPT' AND answered = 1), sum(conn_start),
--          min(start), max(start), src_private, dst_private
--     FROM flows_t WHERE resp = 0 GROUP BY src, dst, protocol, dstport, dst_service
-- (tests/hunt/compare.sql checks that they are equal, row for row)
DELETE FROM att_port WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'summarised');
INSERT INTO att_port
SELECT vpcflow_att_port.*
  FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'summarised')) AS todo
       CROSS JOIN vpcflow_att_port;

CREATE TEMP TABLE IF NOT EXISTS pair(
  src TEXT, dst TEXT, src_service TEXT, dst_service TEXT,
  n INTEGER, bytes INTEGER, packets INTEGER,
  t0 INTEGER, t1 INTEGER,  -- min(start), max("end")
  src_private INTEGER, dst_private INTEGER);

-- From the day in memory (ext/day.c): the rows, values and order of
--   SELECT src, dst, src_service, dst_service, count(*), sum(bytes), sum(packets),
--          min(start), max("end"), src_private, dst_private
--     FROM flows_t WHERE NOT (src_private AND dst_private)
--    GROUP BY src, dst, src_service, dst_service
DELETE FROM pair WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'summarised');
INSERT INTO pair
SELECT vpcflow_pair.*
  FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM vpcflow_state WHERE k = 'summarised')) AS todo
       CROSS JOIN vpcflow_pair;

INSERT OR IGNORE INTO vpcflow_state VALUES ('summarised', 1);
