-- As detect_scenario_v2.sql on the second scenario day, in the default
-- 14-field v2 format (fixtures/scenario/day2/v2): what v2 cannot know is
-- the same as on day 1 (SSM agents polling AWS look like beacons, S3
-- backups through the gateway endpoint like uploads to the internet). On
-- this day the exfiltration is smaller (1.2 GB) and the backup's four
-- 2 GB streams to S3 rank right below it, in exfiltration's places 2-3 and
-- in the hunt's top 20: the expectation names that look-alike and no other.
CREATE VIRTUAL TABLE temp.flows USING vpcflow('fixtures/scenario/day2/v2');
.read fixtures/scenario/day2/context.sql
.mode tabs
.import --schema temp fixtures/scenario/day2/truth.tsv truth
.mode list
.read tests/shell/detect_match.inc
