-- vpcflow_coverage_eni (ext/day_coverage.c) against the SQL it replaced in
-- sql/detections/log_coverage.sql (tests/shell/coverage_sql.inc keeps it),
-- and against the per-record definition of a silence, on small days that
-- run under valgrind too (detect_coverage_c_vs_sql does the scenarios):
--   (a) the errors: a threshold that is not a number, no prepared day;
--   (b) a hand-made day whose rows are worked out below;
--   (c) a generated day (a fixed LCG, 2,000 records: 7 interfaces, one a
--       blob, records without an interface, without a start, SKIPDATA,
--       NODATA, NULL and lower-case statuses, one interface whose minutes
--       are spread over 80 days: the sorted path, not the dense one);
--   (d) the same day with two odd records (the detection's SQL fallback);
--   (e) starts before 1970 (minutes are floor(start / 60)).
-- Each check prints 1 when it holds (cov_check, cov_det_check: see the
-- .inc); `found` is 1 where the day is built to have silences.
.bail off
.headers on
CREATE VIRTUAL TABLE temp.v5 USING vpcflow('fixtures/v5');
CREATE TEMP TABLE recs AS SELECT * FROM v5 WHERE 0;
CREATE TEMP VIEW flows AS SELECT * FROM recs;

-- (b) B = 1770940800 (a minute boundary). eni-h:
--   r1 B+0..B+10 OK, r2 B+20..B+50 SKIPDATA (minute 0)
--   r7 no start..B+100 OK (before every start: prev_end of minute 0's
--      successors is at least B+100)
--   r3 B+130..B+140 OK (minute 2): silence 130 - 100 = 30 s
--   r4 B+7340..B+7400 OK, r5 B+7350..B+7360 NODATA (minute 122): 7200 s
--   r6 B+7470..B+7480 OK (minute 124): 70 s
-- so skip 1, nodata 1, ok 5, t0 B, t1 B+7480, s0 B+20, s1 B+50; at 60 s:
-- 2 gaps, the longest 7200, g0 = max(B+140, B+7400); at 3600 and 7200:
-- 1 gap, g0 B+140; at 7201: none (n_gaps 0, gap NULL); at 30: not
-- searched (below 60). eni-o: an end before its start (odd 1): never
-- searched. The blob X'656E692D68' (the bytes of 'eni-h') is a value of
-- its own, ordered after the text ones; the record without an interface
-- is in no row.
INSERT INTO recs(interface_id, log_status, start, "end") VALUES
  ('eni-h', 'OK', 1770940800, 1770940810),
  ('eni-h', 'SKIPDATA', 1770940820, 1770940850),
  ('eni-h', 'OK', NULL, 1770940900),
  ('eni-h', 'OK', 1770940930, 1770940940),
  ('eni-h', 'OK', 1770948140, 1770948200),
  ('eni-h', 'NODATA', 1770948150, 1770948160),
  ('eni-h', 'OK', 1770948270, 1770948280),
  ('eni-o', 'OK', 1770940800, 1770940860),
  ('eni-o', 'OK', 1770944800, 1770943800),
  (X'656E692D68', 'OK', 1770940800, 1770940805),
  (NULL, 'OK', 1770940800, 1770940801);
.read sql/prepare.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
.read sql/detections/log_coverage.sql
CREATE TEMP TABLE cov_thr(t);
INSERT INTO cov_thr VALUES (NULL);
.read tests/shell/coverage_sql.inc
.bail off
SELECT 'b' AS day, quote(interface_id) AS eni, skip_n, nodata_n, ok_n, t0 - 1770940800 AS t0,
       t1 - 1770940800 AS t1, s0 - 1770940800 AS s0, s1 - 1770940800 AS s1, odd, gap, n_gaps,
       g0 - 1770940800 AS g0, threshold
  FROM vpcflow_coverage_eni(60);
.headers off
SELECT 'b', quote(interface_id), gap, n_gaps, g0 - 1770940800, threshold FROM vpcflow_coverage_eni(3600);
SELECT 'b', quote(interface_id), gap, n_gaps, g0 - 1770940800, threshold FROM vpcflow_coverage_eni(7200.0);
SELECT 'b', quote(interface_id), gap, n_gaps, g0 - 1770940800, threshold FROM vpcflow_coverage_eni(7201);
SELECT 'b', quote(interface_id), gap, n_gaps, g0 - 1770940800, threshold FROM vpcflow_coverage_eni(30);
SELECT 'b', quote(interface_id), gap, n_gaps, g0 - 1770940800, quote(threshold) FROM vpcflow_coverage_eni;
-- a threshold that is not a number
SELECT * FROM vpcflow_coverage_eni('3600');
SELECT * FROM vpcflow_coverage_eni(x'00');
-- the argument may come from a table (the join puts cov_thr first)
UPDATE cov_thr SET t = 60;
SELECT 'b join', quote(c.interface_id), c.n_gaps FROM cov_thr, vpcflow_coverage_eni(cov_thr.t) AS c;
.headers on
SELECT 'b' AS day, * FROM cov_check;
.headers off
UPDATE tunables SET value = 60 WHERE name = 'log_coverage.gap';
SELECT 'b', * FROM cov_det_check;

-- (c) the generated day
DELETE FROM recs;
INSERT INTO recs(interface_id, log_status, start, "end")
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000),
h1 AS (SELECT i, (i * 1103515245 + 12345) % 2147483648 AS a FROM n),
h2 AS (SELECT i, a, (a * 1103515245 + 12345) % 2147483648 AS b FROM h1),
h3 AS (SELECT i, a, b, (b * 1103515245 + 12345) % 2147483648 AS c FROM h2),
k AS (SELECT i, a, b, c, (a >> 8) % 9 AS k FROM h3),
s AS (SELECT k, b, c,
             CASE k WHEN 4 THEN 1770940800 + (b % 4) * 20000 + c % 900
                    WHEN 5 THEN 1770940800 + (b % 1000000) * 7
                    WHEN 6 THEN CASE WHEN c % 5 = 0 THEN NULL ELSE 1770940800 + b % 86400 END
                    ELSE 1770940800 + b % 86400 END AS start
        FROM k)
SELECT CASE k WHEN 7 THEN X'656E692D7237' WHEN 8 THEN NULL ELSE 'eni-r' || k END,
       CASE (b >> 4) % 17 WHEN 0 THEN 'SKIPDATA' WHEN 1 THEN 'NODATA' WHEN 2 THEN NULL
                          WHEN 3 THEN 'skipdata' ELSE 'OK' END,
       start,
       CASE WHEN start IS NULL THEN 1770940800 + c % 86400
            WHEN c % 53 = 0 THEN start + 5000 ELSE start + (c >> 3) % 120 END
  FROM s;
SELECT 'c records', records FROM vpcflow_prepare('flows', 3);
SELECT 'c', count(*) = 8, sum(odd) = 0, sum(skip_n) > 0, sum(nodata_n) > 0 FROM vpcflow_coverage_eni;
UPDATE cov_thr SET t = NULL; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 0; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 59; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 59.9; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 60; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 60.5; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 90; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 120; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 3600; SELECT 'c', * FROM cov_check;
UPDATE cov_thr SET t = 1000000000; SELECT 'c', * FROM cov_check;
UPDATE tunables SET value = 30 WHERE name = 'log_coverage.gap'; SELECT 'c', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 59 WHERE name = 'log_coverage.gap'; SELECT 'c', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 60 WHERE name = 'log_coverage.gap'; SELECT 'c', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 120 WHERE name = 'log_coverage.gap'; SELECT 'c', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 3600 WHERE name = 'log_coverage.gap'; SELECT 'c', gap, same, n > 0 FROM cov_det_check;

-- (d) two odd records: eni-r2 ends before it starts, eni-r3 has no end
INSERT INTO recs(interface_id, log_status, start, "end") VALUES
  ('eni-r2', 'OK', 1770990000, 1770980000),
  ('eni-r3', 'OK', 1770990000, NULL);
SELECT 'd records', records FROM vpcflow_prepare('flows', 3);
SELECT 'd', group_concat(interface_id || ':' || odd) FROM vpcflow_coverage_eni WHERE odd > 0;
UPDATE cov_thr SET t = 60; SELECT 'd', * FROM cov_check;
UPDATE cov_thr SET t = 3600; SELECT 'd', * FROM cov_check;
UPDATE tunables SET value = 30 WHERE name = 'log_coverage.gap'; SELECT 'd', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 60 WHERE name = 'log_coverage.gap'; SELECT 'd', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 3600 WHERE name = 'log_coverage.gap'; SELECT 'd', gap, same, n > 0 FROM cov_det_check;

-- (e) starts before 1970: eni-neg -50..-40, 50..55, 200..210. Per record,
-- at 60 s: 50 - (-40) = 90 and 200 - 55 = 145, so 2 gaps, the longest
-- 145, g0 55 (rec = 1). The per-minute SQL that was replaced put -50 and
-- 50 in one minute (SQL's -50 / 60 is 0) and found only the 145 (min = 0
-- below, on purpose); the table's minutes are floor(start / 60).
DELETE FROM recs;
INSERT INTO recs(interface_id, log_status, start, "end") VALUES
  ('eni-neg', 'OK', -50, -40), ('eni-neg', 'OK', 50, 55), ('eni-neg', 'OK', 200, 210);
SELECT 'e records', records FROM vpcflow_prepare('flows', 3);
SELECT 'e', interface_id, gap, n_gaps, g0 FROM vpcflow_coverage_eni(60);
UPDATE cov_thr SET t = 60; SELECT 'e', * FROM cov_check;

-- (a) before sql/prepare.sql made a day: its own process (an error before
-- prepare.sql, which turns .bail on, would end this one)
.system env -u LD_PRELOAD sqlite3 -batch :memory: -cmd '.load ./vpcflow' 'SELECT * FROM vpcflow_coverage_eni(3600)' 2>&1; echo "exit status $?"
