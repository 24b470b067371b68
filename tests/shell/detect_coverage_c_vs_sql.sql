-- log_coverage over vpcflow_coverage_eni (ext/day_coverage.c) against the
-- SQL it replaced (tests/shell/coverage_sql.inc), on the scenario days:
-- fixtures/scenario/v5, fixtures/scenario/day2/v5, and v5 with the odd
-- records of detect_reference_odd (an end before its start, no end: the
-- detection's SQL fallback). coverage_c_vs_sql.sql has the small cases.
-- Each check prints 1 when it holds (cov_check, cov_det_check: see the
-- .inc). fixtures/scenario/truth.tsv: on v5, eni-00000000051e0013's flow
-- log was deleted for 2 hours, so a search at 60, 90 or 3600 s finds it
-- (found = 1) and is the only silence of an hour or more.
.bail off
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read sql/prepare.sql
INSERT OR REPLACE INTO vpcflow_state VALUES ('quiet', 1);
.read sql/detections/log_coverage.sql
CREATE TEMP TABLE cov_thr(t);
INSERT INTO cov_thr VALUES (NULL);
.read tests/shell/coverage_sql.inc
.bail off
SELECT 'v5 silent >= 1 h', group_concat(interface_id) FROM vpcflow_coverage_eni(3600) WHERE n_gaps > 0;
UPDATE cov_thr SET t = 30; SELECT 'v5', * FROM cov_check;
UPDATE cov_thr SET t = 60; SELECT 'v5', * FROM cov_check;
UPDATE cov_thr SET t = 90; SELECT 'v5', * FROM cov_check;
UPDATE cov_thr SET t = 3600; SELECT 'v5', * FROM cov_check;
UPDATE tunables SET value = 30 WHERE name = 'log_coverage.gap'; SELECT 'v5', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 60 WHERE name = 'log_coverage.gap'; SELECT 'v5', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 61 WHERE name = 'log_coverage.gap'; SELECT 'v5', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 3600 WHERE name = 'log_coverage.gap'; SELECT 'v5', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 7200 WHERE name = 'log_coverage.gap'; SELECT 'v5', gap, same, n > 0 FROM cov_det_check;

-- the second day
DROP TABLE flows;
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/day2/v5');
SELECT 'day2 records', records > 0 FROM vpcflow_prepare('flows', 3);
UPDATE cov_thr SET t = 30; SELECT 'day2', t, st, "null", "min", rec FROM cov_check;
UPDATE cov_thr SET t = 60; SELECT 'day2', t, st, "null", "min", rec FROM cov_check;
UPDATE cov_thr SET t = 3600; SELECT 'day2', t, st, "null", "min", rec FROM cov_check;
UPDATE tunables SET value = 30 WHERE name = 'log_coverage.gap'; SELECT 'day2', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 60 WHERE name = 'log_coverage.gap'; SELECT 'day2', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 3600 WHERE name = 'log_coverage.gap'; SELECT 'day2', gap, same, n > 0 FROM cov_det_check;

-- v5 and the odd records of detect_reference_odd
DROP TABLE flows;
.read tests/shell/scenario_odd.inc
SELECT 'odd records', records FROM vpcflow_prepare('flows', 3) ;
SELECT 'odd', interface_id, odd, quote(n_gaps) FROM vpcflow_coverage_eni(3600) WHERE odd > 0;
UPDATE cov_thr SET t = 60; SELECT 'odd', * FROM cov_check;
UPDATE cov_thr SET t = 3600; SELECT 'odd', * FROM cov_check;
UPDATE tunables SET value = 60 WHERE name = 'log_coverage.gap'; SELECT 'odd', gap, same, n > 0 FROM cov_det_check;
UPDATE tunables SET value = 3600 WHERE name = 'log_coverage.gap'; SELECT 'odd', gap, same, n > 0 FROM cov_det_check;
