-- The hunt's drill-down on the scenario (fixtures/scenario/v5): every
-- finding's first record is the one the rule of sql/hunt.sql gives when
-- written in SQL (tests/shell/hunt_first_scenario.inc), and the findings whose
-- record changed with vpcflow_first_record are listed. Expected: all 123
-- findings (detect_scenario's) have a record, none differs from the SQL
-- rule; two changed, both log_coverage, both to an earlier record:
--   eni-...000e (a silence from 11:00): it has no traffic in 11:00's
--     minute, so its first record of any status from first_seen on: its
--     NODATA record at +0 s; the old SQL took the interface's first
--     traffic at or after first_seen among the seconds in SOME finding's
--     minute (+12708 s);
--   eni-...0013: no traffic in the minute; its first record from then on
--     is traffic at +7613 s, a second in no finding's minute, so the old
--     SQL never saw it and took the next one it had (+8257 s).
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/v5');
.read fixtures/scenario/context.sql
.read tests/shell/hunt_first_scenario.inc
