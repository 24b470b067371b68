-- As hunt_first_scenario.sql on the second scenario day (fixtures/scenario/day2).
-- Expected: all 125 findings have a record, none differs from the SQL
-- rule; two changed, to an earlier record:
--   log_coverage eni-...000e: as eni-...000e on day 1 (its NODATA record
--     at +0 s, not traffic 4.7 hours later);
--   reject_spike 172.20.21.105: its first_seen is the hour (16:00:00) and
--     the source has no record in that minute: its first record in the
--     finding's span [16:00:00, last_seen 16:59:59] is at +1539 s; the old
--     SQL saw only seconds in some finding's minute and took +2400 s.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/day2/v5');
.read fixtures/scenario/day2/context.sql
.read tests/shell/hunt_first_scenario.inc
